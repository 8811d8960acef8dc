import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { DEFAULT_RETRY, type Job, type JobQueue, retryDelayMs } from '../ports/job-queue.ts';
import type { Database, JobsTable } from '../store/db-schema.ts';

const iso = (ms: number) => new Date(ms).toISOString();
/** Candidates a claim tries before it reports no job (others took them meanwhile). */
const CLAIM_CANDIDATES = 8;

/**
 * The JobQueue as a table of the Store's database (SQLite or PostgreSQL). A job is runnable when it is
 * `queued` and its `run_after` has passed, or when it is `running` and its lease (`locked_until`) ran
 * out because the process holding it died. A claim is a compare-and-set: the UPDATE only takes the row
 * while it still has the status, attempts and update time it was read with, so of two workers (two
 * connections, on any database) racing for one job exactly one wins and the other tries the next.
 */
export function sqlJobQueue(db: Kysely<Database>, now: () => number = Date.now): JobQueue {
  const take = async (row: Selectable<JobsTable>, workerId: string, leaseMs: number) => {
    const t = iso(now());
    const result = await db
      .updateTable('jobs')
      .set({
        status: 'running',
        attempts: row.attempts + 1,
        locked_by: workerId,
        locked_until: iso(now() + leaseMs),
        updated_at: t,
      })
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .where('attempts', '=', row.attempts)
      .where('updated_at', '=', row.updated_at)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  };
  return {
    async enqueue(kind, payload, options) {
      const id = randomUUID();
      const t = iso(now());
      const policy = { ...DEFAULT_RETRY, ...options };
      await db
        .insertInto('jobs')
        .values({
          id,
          kind,
          payload: JSON.stringify(payload),
          image_id: payload.imageId,
          status: 'queued',
          attempts: 0,
          max_attempts: policy.maxAttempts,
          backoff_ms: policy.backoffMs,
          backoff_cap_ms: policy.backoffCapMs,
          run_after: t,
          locked_by: null,
          locked_until: null,
          last_error: null,
          created_at: t,
          updated_at: t,
        })
        .execute();
      return id;
    },
    async claim(workerId, leaseMs) {
      const t = iso(now());
      const candidates = await db
        .selectFrom('jobs')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'queued'), eb('run_after', '<=', t)]),
            eb.and([eb('status', '=', 'running'), eb('locked_until', '<', t)]),
          ]),
        )
        .orderBy('created_at')
        .orderBy('id')
        .limit(CLAIM_CANDIDATES)
        .execute();
      for (const row of candidates) {
        if (!(await take(row, workerId, leaseMs))) continue;
        return {
          id: row.id,
          kind: row.kind,
          payload: JSON.parse(row.payload),
          attempts: row.attempts + 1,
          maxAttempts: row.max_attempts,
        } as Job;
      }
      return undefined;
    },
    async renew(jobId, workerId, leaseMs) {
      await db
        .updateTable('jobs')
        .set({ locked_until: iso(now() + leaseMs), updated_at: iso(now()) })
        .where('id', '=', jobId)
        .where('locked_by', '=', workerId)
        .where('status', '=', 'running')
        .execute();
    },
    async complete(jobId) {
      await db
        .updateTable('jobs')
        .set({ status: 'done', locked_by: null, locked_until: null, updated_at: iso(now()) })
        .where('id', '=', jobId)
        .execute();
    },
    async fail(jobId, error) {
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
      if (!row) return false;
      const retry = row.attempts < row.max_attempts;
      const delay = retryDelayMs(
        { backoffMs: row.backoff_ms, backoffCapMs: row.backoff_cap_ms },
        row.attempts,
      );
      await db
        .updateTable('jobs')
        .set({
          status: retry ? 'queued' : 'failed',
          run_after: iso(now() + delay),
          locked_by: null,
          locked_until: null,
          last_error: error.slice(0, 2000),
          updated_at: iso(now()),
        })
        .where('id', '=', jobId)
        .execute();
      return retry;
    },
    async running() {
      const rows = await db
        .selectFrom('jobs')
        .select(['id', 'locked_by'])
        .where('status', '=', 'running')
        .where('locked_by', 'is not', null)
        .execute();
      return rows.map((r) => ({ id: r.id, lockedBy: r.locked_by! }));
    },
    async release(jobId, lockedBy) {
      const t = iso(now());
      const result = await db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'queued',
          attempts: eb('attempts', '-', 1),
          run_after: t,
          locked_by: null,
          locked_until: null,
          updated_at: t,
        }))
        .where('id', '=', jobId)
        .where('status', '=', 'running')
        .where('locked_by', '=', lockedBy)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async hasUnfinished(imageId) {
      const row = await db
        .selectFrom('jobs')
        .select('id')
        .where('image_id', '=', imageId)
        .where('kind', '=', 'analyze_image')
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst();
      return row !== undefined;
    },
    async pending() {
      const { count } = await db
        .selectFrom('jobs')
        .where('status', 'in', ['queued', 'running'])
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return Number(count);
    },
    async close() {},
  };
}
