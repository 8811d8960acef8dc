import { type Job as BullJob, Queue, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { guardOutages } from '../ports/dependency-error.ts';
import { DEFAULT_RETRY, type Job, type JobKind, type JobQueue, retryDelayMs } from '../ports/job-queue.ts';

/** What a BullMQ job carries: the catalogue's payload and the cap of its back-off. */
interface BullData {
  payload: Record<string, string>;
  backoffCapMs: number;
}

export interface BullmqJobQueueOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
  url: string;
  /** Queue name; every process of one deployment uses the same. Default `skinscope`. */
  name?: string;
  /** Lease of a claimed job (BullMQ's lock duration), ms: a job whose holder died runs again after it. */
  leaseMs: number;
  /** Times a job may lose its holder (kill -9) before BullMQ fails it. Default 10. */
  maxStalls?: number;
}

const UNFINISHED_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;
const UNFINISHED = new Set<string>(UNFINISHED_STATES);
/** The custom back-off type: `min(cap, delay · 2^(n-1))` with the cap in the job's data. */
const BACKOFF = 'capped_exponential';

/** A Redis connection to a `redis://` or `rediss://` URL; errors are left to the commands that fail. */
export function redisConnection(url: string, extra: RedisOptions = {}): Redis {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`not a redis:// URL: ${url}`);
  const client = new Redis(url, { retryStrategy: (times) => Math.min(times * 200, 2000), ...extra });
  client.on('error', () => {});
  return client;
}

/** ioredis errors meaning Redis cannot be reached (refused, cut, offline queue off, retries spent). */
export function isRedisOutage(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; name?: unknown };
  if (e?.name === 'MaxRetriesPerRequestError') return true;
  const text = `${typeof e?.code === 'string' ? e.code : ''} ${typeof e?.message === 'string' ? e.message : ''}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Stream isn't writeable|Connection is closed|Reached the max retries/i.test(
    text,
  );
}

/** Job ids derive from what the job is about, so queueing the same work twice keeps one job. */
function jobIdOf(kind: JobKind, payload: Record<string, string>): string {
  return kind === 'deliver_webhook' ? `${kind}-${payload.deliveryId}` : `${kind}-${payload.imageId}`;
}

/**
 * The JobQueue on BullMQ (Redis), for workers on any number of machines. Jobs are fetched manually
 * (`Worker.getNextJob`) so the port's claim/renew/complete/fail map onto BullMQ's lock: the lock token
 * is the claiming worker's id, its duration the lease, and BullMQ's stalled-job check puts a job whose
 * holder died back in the queue. Retries use BullMQ's own back-off (attempts and delay set at enqueue).
 * An analysis job's id is `analyze_image-<imageId>`: queueing an image already queued keeps one job.
 * Finished jobs are removed from Redis (the Store keeps the outcome). A Redis outage is a
 * `DependencyUnavailableError` for the producer side (the API answers 503); a worker waits for Redis.
 */
export function bullmqJobQueue(options: BullmqJobQueueOptions): JobQueue {
  const name = options.name ?? 'skinscope';
  const connections = [redisConnection(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })];
  const queue = new Queue<BullData>(name, { connection: connections[0]! });
  queue.on('error', () => {});
  const ready = queue.waitUntilReady().catch(() => undefined);
  let worker: Worker<BullData> | undefined;
  /** Jobs this process holds: BullMQ needs the job object and its lock token to finish one. */
  const held = new Map<string, { job: BullJob<BullData>; token: string }>();

  const workerOf = () => {
    if (!worker) {
      const connection = redisConnection(options.url, { maxRetriesPerRequest: null });
      connections.push(connection);
      worker = new Worker<BullData>(name, null, {
        connection,
        autorun: false,
        lockDuration: options.leaseMs,
        stalledInterval: Math.max(250, Math.min(options.leaseMs, 30_000)),
        maxStalledCount: options.maxStalls ?? 10,
        settings: {
          backoffStrategy: (attemptsMade, _type, _error, job) => {
            const data = job?.data as BullData | undefined;
            const backoff = job?.opts.backoff;
            const base = Number(backoff && typeof backoff === 'object' ? backoff.delay : 0);
            return retryDelayMs({ backoffMs: base, backoffCapMs: data?.backoffCapMs ?? base }, attemptsMade);
          },
        },
      });
      worker.on('error', () => {});
      void worker.startStalledCheckTimer().catch(() => {});
    }
    return worker;
  };

  const toJob = (job: BullJob<BullData>): Job =>
    ({
      id: job.id!,
      kind: job.name as JobKind,
      payload: job.data.payload,
      attempts: Math.max(1, job.attemptsStarted ?? job.attemptsMade + 1),
      maxAttempts: job.opts.attempts ?? 1,
    }) as Job;

  const adapter: JobQueue = {
    async enqueue(kind, payload, retry) {
      await ready;
      const policy = { ...DEFAULT_RETRY, ...retry };
      const data = { payload: payload as Record<string, string>, backoffCapMs: policy.backoffCapMs };
      const job = await queue.add(kind, data, {
        jobId: jobIdOf(kind, data.payload),
        attempts: policy.maxAttempts,
        backoff: { type: BACKOFF, delay: policy.backoffMs },
        removeOnComplete: true,
        removeOnFail: true,
      });
      return job.id!;
    },
    async claim(workerId) {
      const job = await workerOf().getNextJob(workerId, { block: false });
      if (!job) return undefined;
      held.set(job.id!, { job, token: workerId });
      return toJob(job);
    },
    async renew(jobId, workerId, leaseMs) {
      const mine = held.get(jobId);
      if (mine && mine.token === workerId) await mine.job.extendLock(workerId, leaseMs);
    },
    async complete(jobId) {
      const mine = held.get(jobId);
      if (!mine) return;
      held.delete(jobId);
      try {
        await mine.job.moveToCompleted(null, mine.token, false);
      } catch (error) {
        // A lost lock means another worker took the job over after this one's lease ran out.
        if (isRedisOutage(error)) throw error;
      }
    },
    async fail(jobId, error) {
      const mine = held.get(jobId);
      if (!mine) return false;
      held.delete(jobId);
      const { job, token } = mine;
      const retry = job.attemptsMade + 1 < (job.opts.attempts ?? 1);
      try {
        await job.moveToFailed(new Error(error.slice(0, 2000)), token, false);
      } catch (lost) {
        if (isRedisOutage(lost)) throw lost;
        return true; // another worker holds the job now: it is not given up
      }
      return retry;
    },
    async running() {
      await ready;
      const client = await queue.getBackend().client;
      const out: { id: string; lockedBy: string }[] = [];
      for (const job of await queue.getActive()) {
        const lockedBy = job.id ? await client.get(`${queue.toKey(job.id)}:lock`) : null;
        if (lockedBy) out.push({ id: job.id!, lockedBy });
      }
      return out;
    },
    async release(jobId, lockedBy) {
      await ready;
      if (held.get(jobId)?.token === lockedBy) held.delete(jobId);
      const job = await queue.getJob(jobId);
      if (!job || (await job.getState()) !== 'active') return false;
      try {
        await job.moveToWait(lockedBy);
        return true;
      } catch {
        return false;
      }
    },
    async hasUnfinished(imageId) {
      await ready;
      return UNFINISHED.has(await queue.getJobState(jobIdOf('analyze_image', { imageId })));
    },
    async pending() {
      await ready;
      const counts = await queue.getJobCounts(...UNFINISHED_STATES);
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
    async close() {
      await worker?.close(true);
      await queue.close();
      for (const c of connections) c.disconnect();
    },
  };
  return guardOutages(adapter, 'queue', isRedisOutage);
}
