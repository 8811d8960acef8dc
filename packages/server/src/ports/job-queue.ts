/**
 * The `JobQueue` port: durable background work. A job is claimed with a lease; the holder renews it
 * while it works. A job whose lease ran out (its process died) is claimed again, so an accepted job
 * survives restarts. Adapters: a table in the Store's database (default); BullMQ later.
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

export interface JobQueue {
  enqueue<K extends JobKind>(
    kind: K,
    payload: JobPayloads[K],
    options?: { maxAttempts?: number },
  ): Promise<string>;
  /** Claims the oldest runnable job for `leaseMs` milliseconds, or undefined when none is runnable. */
  claim(workerId: string, leaseMs: number): Promise<Job | undefined>;
  /** Extends the lease of a job this worker holds. */
  renew(jobId: string, workerId: string, leaseMs: number): Promise<void>;
  complete(jobId: string): Promise<void>;
  /** Puts the job back (until its attempts are spent, then marks it failed). Returns true if it will retry. */
  fail(jobId: string, error: string, retryInMs: number): Promise<boolean>;
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
}
