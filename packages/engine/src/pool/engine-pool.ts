import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Analysis, AnalyzeOptions } from '../analysis.ts';
import { EngineError } from '../errors.ts';
import type { AlgorithmInfo } from '../framework/registry.ts';
import { DEFAULT_DECODE_LIMITS, type ImageHeader, verifyImage } from '../image/decode.ts';
import { defaultRegistry } from '../metrics/default-registry.ts';
import type { AlgorithmResult } from '../result/result-shape.ts';
import type { WorkerMemory, WorkerReply, WorkerRequest } from './worker-protocol.ts';

/** Options of the engine worker pool. */
export interface EnginePoolOptions {
  /** Number of worker threads, each with its own face models (~150-450 MB each). Default: one per core. */
  workers?: number;
}

/** Engine workers in worker threads; `analyze` queues the image and resolves when a worker is done. */
export interface EnginePool {
  readonly size: number;
  /** `onResult` receives each algorithm's result as soon as it is ready, before the whole analysis resolves. */
  analyze(
    bytes: Uint8Array,
    options?: AnalyzeOptions,
    onResult?: (result: AlgorithmResult) => void,
  ): Promise<Analysis>;
  /** Each worker's memory (answered between analyses' awaits, without queueing behind them). */
  memory(): Promise<WorkerMemory[]>;
  close(): Promise<void>;
}

interface Task {
  request: WorkerRequest;
  onResult?: (result: AlgorithmResult) => void;
  resolve(analysis: Analysis): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  /** Pending memory probes by id. */
  probes: Map<number, { resolve(memory: WorkerMemory): void; reject(error: Error): void }>;
}

const WORKER_URL = new URL('./engine-worker.entry.mjs', import.meta.url);

/** Starts the pool and waits until every worker has loaded its models. */
export async function createEnginePool(options: EnginePoolOptions = {}): Promise<EnginePool> {
  const size = Math.max(1, options.workers ?? availableParallelism());
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
      const worker = new Worker(WORKER_URL);
      const slot: Slot = { worker, task: null, probes: new Map() };
      let ready = false;
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') {
          ready = true;
          resolveReady(slot);
          return;
        }
        if (reply.type === 'memory') {
          slot.probes.get(reply.id)?.resolve(reply.memory);
          slot.probes.delete(reply.id);
          return;
        }
        if (reply.type === 'partial') {
          slot.task?.onResult?.(reply.result);
          return;
        }
        const task = slot.task;
        slot.task = null;
        if (task) {
          if (reply.type === 'result') task.resolve(reply.analysis);
          else task.reject(reviveError(reply.error));
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
        const index = slots.indexOf(slot);
        if (index >= 0) slots.splice(index, 1);
        task?.reject(new EngineError('engine_unavailable', `engine worker exited with code ${code}`));
        for (const probe of slot.probes.values())
          probe.reject(new EngineError('engine_unavailable', `engine worker exited with code ${code}`));
        slot.probes.clear();
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

  slots.push(...(await Promise.all(Array.from({ length: size }, spawn))));

  return {
    size,
    analyze(bytes, analyzeOptions, onResult) {
      if (closed) return Promise.reject(new EngineError('engine_unavailable', 'the engine pool is closed'));
      return new Promise<Analysis>((resolve, reject) => {
        const request = { id: nextId++, bytes, options: analyzeOptions, partial: Boolean(onResult) };
        queue.push({ request, onResult, resolve, reject });
        dispatch();
      });
    },
    memory() {
      return Promise.all(
        slots.map(
          (slot) =>
            new Promise<WorkerMemory>((resolve, reject) => {
              const id = nextId++;
              slot.probes.set(id, { resolve, reject });
              slot.worker.postMessage({ type: 'memory', id });
            }),
        ),
      );
    },
    async close() {
      closed = true;
      for (const task of queue.splice(0))
        task.reject(new EngineError('engine_unavailable', 'the engine pool is closed'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

function reviveError(e: Extract<WorkerReply, { type: 'error' }>['error']): Error {
  if (e.code) return new EngineError(e.code, e.message, e.details ?? {});
  const error = new Error(e.message);
  error.name = e.name;
  if (e.stack) error.stack = e.stack;
  return error;
}

/** The algorithms of the default registry, for dictionaries (no models are loaded). */
export function listAlgorithms(): AlgorithmInfo[] {
  return defaultRegistry().info();
}

/** Checks an upload before it is queued (header limits and a cheap reduced decode); throws the decode's typed errors. */
export function validateImage(bytes: Uint8Array): Promise<ImageHeader> {
  return verifyImage(bytes, DEFAULT_DECODE_LIMITS);
}
