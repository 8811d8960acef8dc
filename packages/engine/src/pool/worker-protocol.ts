import type { Analysis, AnalyzeOptions } from '../analysis.ts';
import type { EngineErrorCode } from '../errors.ts';
import type { AgeNetOutputs } from '../face/age-model.ts';
import type { AlgorithmResult } from '../result/result-shape.ts';

/**
 * Message from the pool to an engine worker: an image to analyse, a memory probe, or a step of
 * running the age model of one worker's analysis on another (see AgeRequest).
 */
export type WorkerMessage =
  | WorkerRequest
  | { type: 'memory'; id: number }
  /** Run the age networks on another worker's views and answer with `age-ran` (this worker was idle). */
  | { type: 'age-run'; id: number; batch: Float32Array; views: number }
  /** Load the age networks and run them once, then answer `age-ready` (an idle worker that has not loaded them yet). */
  | { type: 'age-load' }
  /** The outputs for this worker's `age` request `id`, computed by another worker. */
  | { type: 'age-outputs'; id: number; outputs: AgeNetOutputs }
  /** No other worker took this worker's `age` request `id` (or the one that did failed): run it here. */
  | { type: 'age-local'; id: number };

/** An image to analyse. */
export interface WorkerRequest {
  type?: 'analyze';
  id: number;
  bytes: Uint8Array;
  options?: AnalyzeOptions;
  /** Whether to post each algorithm's result as soon as it is ready. */
  partial: boolean;
}

/**
 * An analysing worker's age model views (`views` faceres views and the regressor's, renderViews's
 * layout), offered to the pool: it passes them to an idle worker whose age networks are loaded (`age-run`), or answers
 * `age-local`. The worker keeps its own copy meanwhile, so that it can run them itself.
 */
export interface AgeRequest {
  type: 'age';
  id: number;
  batch: Float32Array;
  views: number;
}

/** An Analysis as a worker posts it: results posted before as `partial` replaced by their tech names. */
export type PostedAnalysis = Omit<Analysis, 'results'> & { results: (AlgorithmResult | string)[] };

/** Message from an engine worker to the pool. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'memory'; id: number; memory: WorkerMemory }
  | { type: 'partial'; id: number; result: AlgorithmResult }
  /**
   * The analysis; of a request with `partial`, each result already posted as a `partial` is given
   * by its tech name only (the pool puts the posted result back), so no result crosses twice.
   */
  | { type: 'result'; id: number; analysis: PostedAnalysis }
  | {
      type: 'error';
      id: number;
      error: {
        name: string;
        message: string;
        code?: EngineErrorCode;
        details?: Record<string, unknown>;
        stack?: string;
      };
    }
  | AgeRequest
  /** The answer to `age-run` `id`: the age networks' outputs, or the message of the error it threw. */
  | { type: 'age-ran'; id: number; outputs: AgeNetOutputs }
  | { type: 'age-ran'; id: number; error: string }
  /** This worker's age networks are loaded and has run once: it can take `age-run` requests. */
  | { type: 'age-ready' };

/** One engine worker's memory, MiB (its V8 heap, its array buffers, its wasm heap), and its live tensors. */
export interface WorkerMemory {
  heapUsedMiB: number;
  /** Memory held outside the V8 heap by this thread's objects (array buffers, wasm memory). */
  externalMiB: number;
  arrayBuffersMiB: number;
  /** Size of the tfjs wasm heap (it grows to the largest input and never shrinks). */
  wasmHeapMiB: number;
  /** Live tfjs tensors: the model weights plus any leaked intermediate. */
  tensors: number;
}
