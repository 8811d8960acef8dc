import type { Analysis, AnalyzeOptions } from '../analysis.ts';
import type { EngineErrorCode } from '../errors.ts';
import type { AlgorithmResult } from '../result/result-shape.ts';

/** Message from the pool to an engine worker. */
export interface WorkerRequest {
  id: number;
  bytes: Uint8Array;
  options?: AnalyzeOptions;
  /** Whether to post each algorithm's result as soon as it is ready. */
  partial: boolean;
}

/** Message from an engine worker to the pool. */
export type WorkerReply =
  | { type: 'ready' }
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
