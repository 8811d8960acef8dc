/**
 * The `JobQueue` port: durable background work. A job is claimed with a lease; the holder renews it
 * while it works. A job whose lease ran out (its process died) is claimed again, so an accepted job
 * survives restarts. Retries and their back-off belong to the adapter (`RetryPolicy`, fixed at enqueue).
 * Adapters: a table in the Store's database (default, `queue/sql.job-queue.ts`) and BullMQ on Redis
 * (`queue/bullmq.job-queue.ts`), so that workers can run on many machines.
 */

/** The job catalogue: every kind of job and its payload. Each kind has exactly one handler (`JobHandlers`). */
export interface JobPayloads {
  /** Analyse an uploaded image with the application runs it was queued for. */
  analyze_image: { imageId: string };
  /** Send one webhook delivery (one call per webhook, application and processed image). */
  deliver_webhook: { deliveryId: string; imageId: string };
}

export type JobKind = keyof JobPayloads;

/** Every kind of the catalogue, for the start-up check that each has a handler. */
export const JOB_KINDS: readonly JobKind[] = ['analyze_image', 'deliver_webhook'];

/** A claimed job: one variant per kind, so `kind` narrows `payload`. */
export type Job = {
  [K in JobKind]: { id: string; kind: K; payload: JobPayloads[K]; attempts: number; maxAttempts: number };
}[JobKind];

export type JobOf<K extends JobKind> = Extract<Job, { kind: K }>;

/**
 * How a failed job is retried: at most `maxAttempts` attempts in all (1-100, default 3); after failed
 * attempt n the next waits `min(backoffCapMs, backoffMs · 2^(n-1))` ms (defaults 2000 and 60 000 ms).
 */
export interface RetryPolicy {
  maxAttempts: number;
  backoffMs: number;
  backoffCapMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, backoffMs: 2000, backoffCapMs: 60_000 };

/** The delay before the attempt after failed attempt number `attempts` (1-based), ms. */
export const retryDelayMs = (policy: Pick<RetryPolicy, 'backoffMs' | 'backoffCapMs'>, attempts: number) =>
  Math.min(policy.backoffCapMs, policy.backoffMs * 2 ** Math.max(0, attempts - 1));

export interface JobQueue {
  /** Queues a job, runnable at once; returns its id. */
  enqueue<K extends JobKind>(
    kind: K,
    payload: JobPayloads[K],
    options?: Partial<RetryPolicy>,
  ): Promise<string>;
  /** Claims the oldest runnable job for `leaseMs` milliseconds, or undefined when none is runnable. */
  claim(workerId: string, leaseMs: number): Promise<Job | undefined>;
  /** Extends the lease of a job this worker holds. */
  renew(jobId: string, workerId: string, leaseMs: number): Promise<void>;
  complete(jobId: string): Promise<void>;
  /**
   * Fails the current attempt: the job runs again after its policy's back-off while attempts remain
   * (returns true), else it is marked failed for good (returns false).
   */
  fail(jobId: string, error: string): Promise<boolean>;
  /** Jobs held by a worker now (`running`), with the holder's id, for crash recovery. */
  running(): Promise<{ id: string; lockedBy: string }[]>;
  /**
   * Puts a running job back in the queue at once, runnable now, when `lockedBy` still holds it (its
   * holder is known to be dead); false when it does not. Counts as no attempt.
   */
  release(jobId: string, lockedBy: string): Promise<boolean>;
  /** True when an unfinished (queued or running) job analyses this image. */
  hasUnfinished(imageId: string): Promise<boolean>;
  /** Number of jobs not finished (queued or running). */
  pending(): Promise<number>;
  /** Releases connections (the Store's database is closed by the Store). */
  close(): Promise<void>;
}
