import { JOB_KINDS, type JobKind, type JobOf } from '../ports/job-queue.ts';

/** How one kind of job is run, retried and given up on. */
export interface JobHandler<K extends JobKind> {
  /**
   * Does the work; a throw fails this attempt, retried by the queue with the back-off of the job's
   * retry policy (given at enqueue) until its attempts are spent.
   */
  run(job: JobOf<K>): Promise<void>;
  /** Called once when the last attempt failed. */
  onGiveUp?(job: JobOf<K>, error: string): Promise<void>;
}

/** One handler per kind of the job catalogue. */
export type JobHandlers = { [K in JobKind]: JobHandler<K> };

/** The start-up check: exactly the catalogue's kinds have a handler (throws naming what is missing or extra). */
export function checkHandlers(handlers: Record<string, unknown>): void {
  const missing = JOB_KINDS.filter((k) => typeof handlers[k] !== 'object' || handlers[k] === null);
  const extra = Object.keys(handlers).filter((k) => !(JOB_KINDS as readonly string[]).includes(k));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `job handlers do not match the job catalogue: missing ${missing.join(', ') || 'none'}; unknown ${extra.join(', ') || 'none'}`,
    );
  }
}
