import { Worker } from 'node:worker_threads';
import { type Analysis, type AnalyzeOptions, EngineError, type EngineErrorCode } from '@skinscope/engine';

/** Message to an engine worker thread. */
export interface PoolRequest {
  id: number;
  bytes: Uint8Array;
  options?: AnalyzeOptions;
}

/** Message from an engine worker thread. */
export type PoolReply =
  | { type: 'ready' }
  | { type: 'result'; id: number; analysis: Analysis }
  | {
      type: 'error';
      id: number;
      error: { name: string; message: string; code?: EngineErrorCode; details?: Record<string, unknown> };
    };

interface Task {
  request: PoolRequest;
  resolve(analysis: Analysis): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

/** Engine worker threads (one model instance each); a crashed worker is replaced and its image rejected. */
export interface ThreadPool {
  readonly size: number;
  analyze(bytes: Uint8Array, options?: AnalyzeOptions): Promise<Analysis>;
  close(): Promise<void>;
}

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

/**
 * The server's engine worker pool: the same job as the engine's `createEnginePool`, started through a
 * `.mjs` bootstrap that registers tsx (Node 20 does not apply `--import` in a worker's execArgv).
 */
export async function createThreadPool(workers: number): Promise<ThreadPool> {
  const queue: Task[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;

  const dispatch = () => {
    for (const slot of slots) {
      if (slot.task || queue.length === 0) continue;
      const task = queue.shift()!;
      slot.task = task;
      slot.worker.postMessage(task.request);
    }
  };

  const spawn = (): Promise<Slot> =>
    new Promise((resolveReady, rejectReady) => {
      const worker = new Worker(BOOT);
      const slot: Slot = { worker, task: null };
      let ready = false;
      worker.on('message', (reply: PoolReply) => {
        if (reply.type === 'ready') {
          ready = true;
          resolveReady(slot);
          return;
        }
        const task = slot.task;
        slot.task = null;
        if (task) {
          if (reply.type === 'result') task.resolve(reply.analysis);
          else if (reply.error.code) task.reject(new EngineError(reply.error.code, reply.error.message, reply.error.details));
          else task.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
        }
        dispatch();
      });
      worker.on('error', (error) => {
        if (!ready) rejectReady(error);
      });
      worker.on('exit', (code) => {
        if (!ready) {
          rejectReady(new Error(`engine worker exited with code ${code} before it was ready`));
          return;
        }
        const task = slot.task;
        slot.task = null;
        slots.splice(slots.indexOf(slot), 1);
        task?.reject(new EngineError('engine_unavailable', `engine worker exited with code ${code}`));
        if (!closed) {
          spawn()
            .then((fresh) => {
              slots.push(fresh);
              dispatch();
            })
            .catch((error) => console.error('could not restart an engine worker:', error));
        }
      });
    });

  slots.push(...(await Promise.all(Array.from({ length: Math.max(1, workers) }, spawn))));

  return {
    size: slots.length,
    analyze(bytes, options) {
      if (closed) return Promise.reject(new EngineError('engine_unavailable', 'the engine pool is closed'));
      return new Promise<Analysis>((resolve, reject) => {
        queue.push({ request: { id: nextId++, bytes, options }, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const task of queue.splice(0)) task.reject(new EngineError('engine_unavailable', 'the engine pool is closed'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
