import type { Analysis, AnalyzeOptions } from '../analysis.ts';
import type { EngineErrorCode } from '../errors.ts';
import type { AlgorithmResult } from '../result/result-shape.ts';

/** Message from the pool to an engine worker: an image to analyse, or a memory probe. */
export type WorkerMessage = WorkerRequest | { type: 'memory'; id: number };

/** An image to analyse. */
export interface WorkerRequest {
  type?: 'analyze';
  id: number;
  bytes: Uint8Array;
  options?: AnalyzeOptions;
  /** Whether to post each algorithm's result as soon as it is ready. */
  partial: boolean;
}

/** Message from an engine worker to the pool. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'memory'; id: number; memory: WorkerMemory }
  | { type: 'partial'; id: number; result: AlgorithmResult }
  | { type: 'result'; id: number; analysis: Analysis }
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
    };

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
