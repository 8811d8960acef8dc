import { randomUUID } from 'node:crypto';
import { FACE_SKIN_METRICS_2 } from '../catalog/catalog.ts';
import type { AlgorithmResult, Analyzer } from '../ports/analyzer.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import { DependencyUnavailableError } from '../ports/dependency-error.ts';
import type { Job, JobOf, JobQueue } from '../ports/job-queue.ts';
import type { AlgorithmResultRecord, AuxImage, ImageRecord, Store } from '../ports/store.ts';
import { failureRecords, type RunPlan, resultRecords, techNamesFor } from './analysis-records.ts';
import { checkHandlers, type JobHandler, type JobHandlers } from './job-handlers.ts';
import { partialResults } from './partial-results.ts';
import { type WorkerIdentity, workerIdentity } from './worker-identity.ts';

/** What the processor tells the rest of the server while and after it analyses an image. */
export interface ProcessingEvents {
  /** Results of one algorithm, the moment they are computed and saved (partial results). */
  resultComputed(image: ImageRecord, results: AlgorithmResultRecord[]): void;
  /**
   * The image's final status is saved. Awaited before the analysis job completes, so durable follow-ups
   * (webhook deliveries, removing the photo) are queued at least once.
   */
  imageProcessed(image: ImageRecord, status: 'done' | 'failed'): Promise<void>;
}

export interface ProcessorDeps {
  store: Store;
  blobs: BlobStore;
  queue: JobQueue;
  analyzer: Analyzer;
  /** Jobs processed at once (one per engine worker). */
  concurrency: number;
  /** Lease of a claimed job, ms; renewed every third of it while the job runs. */
  leaseMs: number;
  /** How often an idle slot looks for work, ms (a `wake()` starts it at once). Default 1000. */
  pollMs?: number;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Who this processor is, and which holders of running jobs are its own dead predecessors. Default: this machine and process. */
  identity?: WorkerIdentity;
  /** Handlers of the other kinds of the job catalogue (the processor handles `analyze_image`). */
  handlers: Omit<JobHandlers, 'analyze_image'>;
  events?: ProcessingEvents;
  /**
   * How often to queue images that stayed `queued` or `processing` without a job for that long (an
   * upload whose queueing failed while the queue was down), ms; default: only at start.
   */
  orphanSweepMs?: number;
}

/** Images looked at per orphan sweep (oldest first). */
const ORPHAN_SWEEP_LIMIT = 500;

export interface Processor {
  start(): void;
  /** Tells idle slots a job was queued. */
  wake(): void;
  /** Stops claiming; waits for the jobs in hand to finish. */
  stop(): Promise<void>;
}

const PERMANENT = new Set(['not_an_image', 'truncated_image', 'image_too_large', 'image_too_small']);
const errorCode = (error: unknown) => (error as { code?: unknown })?.code;

/**
 * Claims jobs from the queue, `concurrency` at a time, and runs each with its kind's handler: image
 * analysis here, the other kinds from `deps.handlers`. Throws at creation unless every kind of the job
 * catalogue has exactly one handler.
 */
export function createProcessor(deps: ProcessorDeps): Processor {
  const identity = deps.identity ?? workerIdentity();
  const workerId = identity.id;
  const holdUntil = () => new Date(Date.now() + deps.leaseMs).toISOString();
  const pollMs = deps.pollMs ?? 1000;
  let running = false;
  let sweeper: ReturnType<typeof setInterval> | undefined;
  const waiters = new Set<() => void>();
  const loops: Promise<void>[] = [];

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiters.add(done);
    });

  const plansOf = async (image: ImageRecord): Promise<RunPlan[]> => {
    if (image.applicationRunIds.length === 0) {
      return [{ id: '', applicationId: FACE_SKIN_METRICS_2.id, enabledAlgorithms: null }];
    }
    const runs = await Promise.all(
      image.applicationRunIds.map((id) => deps.store.datasets.getRun(image.companyId, id)),
    );
    return runs.filter((r) => r !== undefined);
  };

  const processed = async (image: ImageRecord, status: 'done' | 'failed') => {
    await deps.events?.imageProcessed({ ...image, status }, status);
  };

  const processJob = async (job: JobOf<'analyze_image'>) => {
    const image = await deps.store.images.getForProcessing(job.payload.imageId);
    if (!image?.blobKey) return;
    const bytes = await deps.blobs.get(image.blobKey);
    if (!bytes) {
      await deps.store.images.update(image.id, { status: 'failed', error: 'image file missing' });
      return;
    }
    const attemptId = randomUUID();
    await deps.store.images.startAttempt(image.id, attemptId, holdUntil());
    const hold = setInterval(
      () => void deps.store.images.renewAttempt(image.id, attemptId, holdUntil()).catch(() => {}),
      Math.max(100, deps.leaseMs / 3),
    );
    try {
      await analyseAttempt(image, bytes, attemptId);
    } finally {
      clearInterval(hold);
    }
  };

  const analyseAttempt = async (image: ImageRecord, bytes: Uint8Array, attemptId: string) => {
    const runs = await plansOf(image);
    const algorithms = deps.analyzer.listAlgorithms();
    const tagged = (results: readonly AlgorithmResult[]) =>
      resultRecords(image, runs, results, algorithms).map((r) => ({ ...r, attemptId }));
    const notify = (records: AlgorithmResultRecord[]) => {
      if (records.length === 0) return;
      try {
        deps.events?.resultComputed(image, records);
      } catch (error) {
        deps.log.error({ imageId: image.id, err: String(error) }, 'announcing a partial result failed');
      }
    };
    // Partial results are saved as they come, those that arrive close together in one transaction;
    // the final save keeps the saved ones and writes the rest.
    const partials = partialResults({
      save: async (batch) => {
        const records = tagged(batch);
        await deps.store.images.appendResults(records);
        notify(records);
      },
      onError: (error) =>
        deps.log.error({ imageId: image.id, err: String(error) }, 'saving a partial result failed'),
    });
    try {
      const analysis = await deps.analyzer.analyze(
        bytes,
        { algorithms: techNamesFor(runs, algorithms), restored: true },
        (result) => partials.add(result),
      );
      // Those still waiting are saved with the final results, and announced once saved.
      const last = new Set((await partials.takeWaiting()).map((r) => r.algorithm_tech_name));
      const results = tagged(analysis.results.filter((r) => !partials.saved.has(r.algorithm_tech_name)));
      const auxImages: AuxImage[] = [];
      if (analysis.restored) {
        const id = randomUUID();
        const blobKey = `aux/${image.companyId}/${id}.jpg`;
        await deps.blobs.put(blobKey, analysis.restored.jpeg, 'image/jpeg');
        auxImages.push({
          id,
          companyId: image.companyId,
          imageId: image.id,
          auxImageType: 'selfie_front_face_restored',
          blobKey,
          width: analysis.restored.width,
          height: analysis.restored.height,
          creationTime: new Date().toISOString(),
        });
      }
      const saved = await deps.store.images.saveAnalysis({
        imageId: image.id,
        attemptId,
        keepAppended: true,
        results,
        auxImages,
        status: 'done',
        error: null,
      });
      if (!saved) {
        for (const a of auxImages) await deps.blobs.delete(a.blobKey);
        deps.log.info({ imageId: image.id, attemptId }, 'deleted or taken over by a newer attempt meanwhile');
      } else {
        notify(results.filter((r) => last.has(r.algorithmTechName)));
        await processed(image, 'done');
      }
    } catch (error) {
      await partials.flush();
      const code = String(errorCode(error) ?? 'internal_error');
      if (!PERMANENT.has(code)) throw error;
      const message = (error as Error).message;
      const results = failureRecords(image, runs, algorithms, message, code);
      const saved = await deps.store.images.saveAnalysis({
        imageId: image.id,
        attemptId,
        results,
        auxImages: [],
        status: 'failed',
        error: message,
      });
      if (saved) await processed(image, 'failed');
    }
  };

  const analysis: JobHandler<'analyze_image'> = {
    run: processJob,
    async onGiveUp(job, message) {
      const image = await deps.store.images.getForProcessing(job.payload.imageId);
      if (!image) return;
      const runs = await plansOf(image);
      const results = failureRecords(
        image,
        runs,
        deps.analyzer.listAlgorithms(),
        'Processing failed',
        'internal_error',
      );
      const saved = await deps.store.images.saveAnalysis({
        imageId: image.id,
        results,
        auxImages: [],
        status: 'failed',
        error: message,
      });
      if (saved) await processed(image, 'failed');
    },
  };
  const handlers: JobHandlers = { ...deps.handlers, analyze_image: analysis };
  checkHandlers(handlers);
  const run = <K extends Job['kind']>(job: JobOf<K>) =>
    (handlers[job.kind] as unknown as JobHandler<K>).run(job);
  const handlerOf = <K extends Job['kind']>(job: JobOf<K>) => handlers[job.kind] as unknown as JobHandler<K>;

  const handle = async (job: Job) => {
    const renew = setInterval(
      () => void deps.queue.renew(job.id, workerId, deps.leaseMs).catch(() => {}),
      Math.max(100, deps.leaseMs / 3),
    );
    try {
      await run(job);
      await deps.queue.complete(job.id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof DependencyUnavailableError) {
        // Not the job's fault: put it back without spending an attempt (else its lease runs out).
        deps.log.error({ jobId: job.id, kind: job.kind, err: message }, 'job interrupted by an outage');
        await deps.queue.release(job.id, workerId).catch(() => false);
        await sleep(pollMs);
        return;
      }
      deps.log.error(
        { jobId: job.id, kind: job.kind, imageId: job.payload.imageId, err: message },
        'job failed',
      );
      const retry = await deps.queue.fail(job.id, message);
      if (!retry) await handlerOf(job).onGiveUp?.(job, message);
    } finally {
      clearInterval(renew);
    }
  };

  const loop = async () => {
    while (running) {
      let job: Job | undefined;
      try {
        job = await deps.queue.claim(workerId, deps.leaseMs);
      } catch (error) {
        deps.log.error({ err: String(error) }, 'claiming a job failed');
      }
      if (!job) {
        await sleep(pollMs);
        continue;
      }
      // A store or queue outage while finishing a job: its lease runs out and it is claimed again.
      await handle(job).catch((error) =>
        deps.log.error({ jobId: job.id, err: String(error) }, 'finishing a job failed'),
      );
    }
  };

  /**
   * Crash recovery at start: jobs held by this machine's dead processors go back to the queue at once
   * (not after their lease), and images left `queued` or `processing` without a job (a crash between
   * recording an upload and queueing it) are queued.
   */
  const recoverOrphans = async () => {
    for (const job of await deps.queue.running()) {
      if (identity.isOwnDead(job.lockedBy) && (await deps.queue.release(job.id, job.lockedBy))) {
        deps.log.info({ jobId: job.id, was: job.lockedBy }, 'reclaimed a job of a dead worker');
      }
    }
    await requeueJobless(10_000, 0);
  };

  /**
   * Queues images left `queued` or `processing` without an unfinished job (oldest first, at most
   * `limit`) that are older than `graceMs`, so an upload being recorded right now is left alone.
   */
  const requeueJobless = async (limit: number, graceMs: number) => {
    for (const imageId of await deps.store.images.idsByStatus(['queued', 'processing'], limit)) {
      if (await deps.queue.hasUnfinished(imageId)) continue;
      const image = await deps.store.images.getForProcessing(imageId);
      if (!image || Date.parse(image.creationTime) > Date.now() - graceMs) continue;
      await deps.queue.enqueue('analyze_image', { imageId });
      deps.log.info({ imageId }, 'requeued an image without a job');
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      const started = recoverOrphans().catch((error) =>
        deps.log.error({ err: String(error) }, 'recovering queued images failed'),
      );
      for (let i = 0; i < deps.concurrency; i++) loops.push(started.then(loop));
      if (deps.orphanSweepMs) {
        const every = deps.orphanSweepMs;
        sweeper = setInterval(
          () =>
            void requeueJobless(ORPHAN_SWEEP_LIMIT, every).catch((error) =>
              deps.log.error({ err: String(error) }, 'requeueing images without a job failed'),
            ),
          every,
        );
      }
    },
    wake() {
      for (const w of [...waiters]) w();
    },
    async stop() {
      running = false;
      clearInterval(sweeper);
      for (const w of [...waiters]) w();
      await Promise.all(loops.splice(0));
    },
  };
}
