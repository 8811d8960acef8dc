import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Analysis, AnalyzeOptions } from '../analysis.ts';
import { EngineError } from '../errors.ts';
import { outputBuffers } from '../face/age-model.ts';
import type { AlgorithmInfo } from '../framework/registry.ts';
import { DEFAULT_DECODE_LIMITS, type ImageHeader, verifyImage } from '../image/decode.ts';
import { defaultRegistry } from '../metrics/default-registry.ts';
import type { AlgorithmResult } from '../result/result-shape.ts';
import type {
  AgeRequest,
  PostedAnalysis,
  WorkerMemory,
  WorkerMessage,
  WorkerReply,
  WorkerRequest,
} from './worker-protocol.ts';

/** Options of the engine worker pool. */
export interface EnginePoolOptions {
  /** Number of worker threads, each with its own face models (~150-450 MB each). Default: one per core. */
  workers?: number;
  /** The workers' entry module (default: engine-worker.entry.mjs, which runs engine-worker.ts). */
  workerUrl?: URL;
}

/** Where the pool's analyses ran the age model since it started (see EnginePool). */
export interface AgePlacement {
  /** On another, idle worker. */
  remote: number;
  /** In the analysing worker, as no other was idle with its age model loaded. */
  local: number;
  /** In the analysing worker after the idle one it was passed to failed or exited. */
  fallbacks: number;
}

/**
 * Engine workers in worker threads; `analyze` queues the image and resolves when a worker is done.
 *
 * The age model of an analysis runs on another worker when one is idle at that moment with its
 * faceres loaded (no extra model copy): the analysing worker renders the views and sends them, and
 * computes the metrics that do not need the age meanwhile. When no worker is idle (the pool under
 * full load) it runs in the analysing worker itself, so nothing waits on a busy worker; an idle
 * worker that has not loaded faceres yet is told to load it for the next analysis. A worker taken
 * for an age model run gets no new image until it has answered; if it fails or exits meanwhile, the
 * analysing worker runs the views itself. The results are the same either way.
 */
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
  /** Where the age model ran so far. */
  agePlacement(): AgePlacement;
  /** Rejects the queued analyses and ends the workers (an analysis still running rejects too). */
  close(): Promise<void>;
}

interface Task {
  request: WorkerRequest;
  onResult?: (result: AlgorithmResult) => void;
  /** The results posted as `partial` so far, by tech name (the final reply names them only). */
  posted: Map<string, AlgorithmResult>;
  resolve(analysis: Analysis): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  /** Another worker's age request this worker is running: that worker and its request id. */
  help: { from: Slot; id: number } | null;
  /** Whether faceres is loaded and warm here (`age-ready`); `ageLoading`: asked to load it. */
  ageReady: boolean;
  ageLoading: boolean;
  /** Pending memory probes by id. */
  probes: Map<number, { resolve(memory: WorkerMemory): void; reject(error: Error): void }>;
}

const WORKER_URL = new URL('./engine-worker.entry.mjs', import.meta.url);

/**
 * Initial size of each worker's old generation, MiB (V8's `--initial-old-space-size`). An analysis
 * allocates and drops tens of MB of typed arrays and short-lived objects; from V8's small default
 * heap the external-memory pressure they cause starts a full (mark-compact) collection about once
 * per analysis, mostly on V8's background threads. With 128 MiB of room (and the smaller young
 * generation below) a worker runs about one mark-compact per 5-6 analyses instead of 0.7-0.8 per
 * analysis with 64 MiB (pool of 2 workers, 80 analyses after 40 warm-up ones: 14-15 against 55-67).
 */
export const WORKER_INITIAL_OLD_SPACE_MB = 128;

/**
 * Largest size of each worker's young-generation semi-space, MiB (V8's `--max-semi-space-size`;
 * V8's default on 64-bit is 16). Half the default holds about 10-15 MiB less per worker, which pays
 * for most of the larger old generation above (`skinscope serve` with both: 879 and 913 MiB after
 * the API bench's throughput run, against 904-919 MiB with 64 MiB and the default young
 * generation), at the cost of more, cheap, scavenges.
 */
export const WORKER_MAX_SEMI_SPACE_MB = 8;

/** The V8 flags the pool sets for its workers (and `npm run bench` for its in-process engine). */
export const WORKER_HEAP_FLAGS: readonly string[] = [
  `--initial-old-space-size=${WORKER_INITIAL_OLD_SPACE_MB}`,
  `--max-semi-space-size=${WORKER_MAX_SEMI_SPACE_MB}`,
];

/** Message of the `engine_unavailable` error of an analysis the pool's close() ended or refused. */
const POOL_CLOSED = 'the engine pool is closed';

/**
 * Starts the pool and waits until every worker has loaded its models. V8 reads heap flags when an
 * isolate starts, so the pool sets WORKER_HEAP_FLAGS for the process before its workers
 * start (worker threads take no V8 options of their own); threads started later in the process
 * get it too.
 */
export async function createEnginePool(options: EnginePoolOptions = {}): Promise<EnginePool> {
  setFlagsFromString(WORKER_HEAP_FLAGS.join(' '));
  const size = Math.max(1, options.workers ?? availableParallelism());
  const queue: Task[] = [];
  const slots: Slot[] = [];
  /** Workers started (a replacement, or the first ones) that have not loaded their models yet. */
  const starting = new Set<Worker>();
  const placement: AgePlacement = { remote: 0, local: 0, fallbacks: 0 };
  let nextId = 1;
  let closed = false;

  const dispatch = () => {
    for (const slot of slots) {
      if (slot.task || slot.help || queue.length === 0) continue;
      const task = queue.shift()!;
      slot.task = task;
      slot.worker.postMessage(task.request);
    }
  };

  const spawn = (): Promise<Slot> =>
    new Promise((resolveReady, rejectReady) => {
      const worker = new Worker(options.workerUrl ?? WORKER_URL);
      starting.add(worker);
      const slot: Slot = {
        worker,
        task: null,
        help: null,
        ageReady: false,
        ageLoading: false,
        probes: new Map(),
      };
      let ready = false;
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') {
          ready = true;
          starting.delete(worker);
          resolveReady(slot);
          return;
        }
        if (reply.type === 'memory') {
          slot.probes.get(reply.id)?.resolve(reply.memory);
          slot.probes.delete(reply.id);
          return;
        }
        if (reply.type === 'partial') {
          slot.task?.posted.set(reply.result.algorithm_tech_name, reply.result);
          slot.task?.onResult?.(reply.result);
          return;
        }
        if (reply.type === 'age') {
          placeAge(slot, reply);
          return;
        }
        if (reply.type === 'age-ready') {
          slot.ageReady = true;
          slot.ageLoading = false;
          return;
        }
        if (reply.type === 'age-ran') {
          const help = slot.help;
          slot.help = null;
          if (help && slots.includes(help.from)) {
            if ('outputs' in reply) {
              const { outputs } = reply;
              post(help.from, { type: 'age-outputs', id: help.id, outputs }, outputBuffers(outputs));
            } else {
              placement.fallbacks++;
              post(help.from, { type: 'age-local', id: help.id });
            }
          }
          dispatch();
          return;
        }
        const task = slot.task;
        slot.task = null;
        if (task) {
          if (reply.type === 'result') resolveWithPosted(task, reply.analysis);
          else task.reject(reviveError(reply.error));
        }
        dispatch();
      });
      worker.on('error', (error) => {
        if (!ready) rejectReady(error);
      });
      worker.on('exit', (code) => {
        if (!ready) {
          starting.delete(worker);
          rejectReady(new Error(`engine worker exited with code ${code} before it was ready`));
          return;
        }
        const task = slot.task;
        slot.task = null;
        const index = slots.indexOf(slot);
        if (index >= 0) slots.splice(index, 1);
        const help = slot.help;
        slot.help = null;
        if (help && !closed && slots.includes(help.from)) {
          placement.fallbacks++;
          post(help.from, { type: 'age-local', id: help.id });
        }
        task?.reject(
          new EngineError(
            'engine_unavailable',
            closed ? POOL_CLOSED : `engine worker exited with code ${code}`,
          ),
        );
        for (const probe of slot.probes.values())
          probe.reject(new EngineError('engine_unavailable', `engine worker exited with code ${code}`));
        slot.probes.clear();
        if (!closed) {
          spawn()
            .then((fresh) => {
              if (closed) return void fresh.worker.terminate();
              slots.push(fresh);
              dispatch();
            })
            .catch((error) => {
              if (!closed) console.error('could not restart an engine worker:', error);
            });
        }
      });
    });

  const post = (slot: Slot, message: WorkerMessage, transfer: ArrayBuffer[] = []) =>
    slot.worker.postMessage(message, transfer);

  /** Passes an analysing worker's age views to an idle worker with faceres loaded, or answers "run it yourself". */
  const placeAge = (from: Slot, request: AgeRequest) => {
    const idle = (s: Slot) => s !== from && !s.task && !s.help;
    const helper = closed ? undefined : slots.find((s) => idle(s) && s.ageReady);
    if (!helper) {
      placement.local++;
      post(from, { type: 'age-local', id: request.id });
      const cold = slots.find((s) => idle(s) && !s.ageReady && !s.ageLoading);
      if (cold && !closed) {
        cold.ageLoading = true;
        post(cold, { type: 'age-load' });
      }
      return;
    }
    placement.remote++;
    helper.help = { from, id: request.id };
    const id = nextId++;
    post(helper, { type: 'age-run', id, batch: request.batch, views: request.views }, [
      request.batch.buffer as ArrayBuffer,
    ]);
  };

  slots.push(...(await Promise.all(Array.from({ length: size }, spawn))));

  return {
    size,
    analyze(bytes, analyzeOptions, onResult) {
      if (closed) return Promise.reject(new EngineError('engine_unavailable', POOL_CLOSED));
      return new Promise<Analysis>((resolve, reject) => {
        const request = { id: nextId++, bytes, options: analyzeOptions, partial: Boolean(onResult) };
        queue.push({ request, onResult, posted: new Map(), resolve, reject });
        dispatch();
      });
    },
    agePlacement: () => ({ ...placement }),
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
      for (const task of queue.splice(0)) task.reject(new EngineError('engine_unavailable', POOL_CLOSED));
      await Promise.all([...slots.map((s) => s.worker), ...starting].map((w) => w.terminate()));
    },
  };
}

/** Resolves a task with the analysis its worker posted, the results it named only (posted before as partials) put back. */
function resolveWithPosted(task: Task, analysis: PostedAnalysis): void {
  const results: AlgorithmResult[] = [];
  for (const r of analysis.results) {
    const result = typeof r === 'string' ? task.posted.get(r) : r;
    if (!result) {
      task.reject(new Error(`the engine worker named result ${r} without having posted it`));
      return;
    }
    results.push(result);
  }
  task.resolve({ ...analysis, results });
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
