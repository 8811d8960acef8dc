import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Job, JobQueue } from '../ports/job-queue.ts';
import type { Database } from '../store/db-schema.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The JobQueue as a table of the Store's database. A job is runnable when it is `queued` and its
 * `run_after` has passed, or when it is `running` and its lease (`locked_until`) ran out because the
 * process holding it died. Claiming happens in a transaction, so two workers never hold one job.
 */
export function sqlJobQueue(db: Kysely<Database>, now: () => number = Date.now): JobQueue {
  return {
    async enqueue(kind, payload, options) {
      const id = randomUUID();
      const t = iso(now());
      await db
        .insertInto('jobs')
        .values({
          id,
          kind,
          payload: JSON.stringify(payload),
          status: 'queued',
          attempts: 0,
          max_attempts: options?.maxAttempts ?? 3,
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
      return db.transaction().execute(async (trx) => {
        const t = iso(now());
        const row = await trx
          .selectFrom('jobs')
          .selectAll()
          .where((eb) =>
            eb.or([
              eb.and([eb('status', '=', 'queued'), eb('run_after', '<=', t)]),
              eb.and([eb('status', '=', 'running'), eb('locked_until', '<', t)]),
            ]),
          )
          .orderBy('created_at')
          .limit(1)
          .executeTakeFirst();
        if (!row) return undefined;
        await trx
          .updateTable('jobs')
          .set({
            status: 'running',
            attempts: row.attempts + 1,
            locked_by: workerId,
            locked_until: iso(now() + leaseMs),
            updated_at: t,
          })
          .where('id', '=', row.id)
          .execute();
        return {
          id: row.id,
          kind: row.kind,
          payload: JSON.parse(row.payload),
          attempts: row.attempts + 1,
          maxAttempts: row.max_attempts,
        } as Job;
      });
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
    async fail(jobId, error, retryInMs) {
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
      if (!row) return false;
      const retry = row.attempts < row.max_attempts;
      await db
        .updateTable('jobs')
        .set({
          status: retry ? 'queued' : 'failed',
          run_after: iso(now() + retryInMs),
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
        .where('status', 'in', ['queued', 'running'])
        .where('payload', '=', JSON.stringify({ imageId }))
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
  };
}
