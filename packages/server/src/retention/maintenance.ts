import type { DeletionService } from '../deletion/deletion.service.ts';
import type { RetentionService } from './retention.service.ts';

export interface Maintenance {
  /** One round now: finish interrupted deletions, then apply retention. */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The scheduled housekeeping of a worker: at start (so a deletion cut short by a crash finishes on
 * restart) and every `intervalMs` after, it sweeps flagged deletions and runs the retention job.
 */
export function startMaintenance(deps: {
  deletion: DeletionService;
  retention: RetentionService;
  intervalMs: number;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}): Maintenance {
  let current: Promise<void> = Promise.resolve();
  let stopped = false;
  const runOnce = () => {
    current = current.then(async () => {
      try {
        const purged = await deps.deletion.sweep();
        const retained = await deps.retention.run();
        if (purged > 0 || retained.photosDeleted > 0 || retained.resultsDeleted > 0) {
          deps.log.info({ purged, ...retained }, 'maintenance: deletions finished and retention applied');
        }
      } catch (error) {
        deps.log.error({ err: String(error) }, 'maintenance round failed');
      }
    });
    return current;
  };
  void runOnce();
  const timer = setInterval(() => {
    if (!stopped) void runOnce();
  }, deps.intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
