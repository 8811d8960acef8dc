import type { Analysis, AnalyzeOptions } from '../analysis.ts';
import type { EngineErrorCode } from '../errors.ts';

/** Message from the pool to an engine worker. */
export interface WorkerRequest {
  id: number;
  bytes: Uint8Array;
  options?: AnalyzeOptions;
}

/** Message from an engine worker to the pool. */
export type WorkerReply =
  | { type: 'ready' }
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
