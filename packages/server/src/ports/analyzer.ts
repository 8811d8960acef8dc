import type { AlgorithmInfo, AlgorithmResult, Analysis, AnalyzeOptions } from '@skinscope/engine';

export type { AlgorithmInfo, AlgorithmResult, Analysis, AnalyzeOptions };

/**
 * The `Analyzer` port: image bytes in, engine analysis out. The default adapter is the engine's
 * worker-thread pool (`engine.analyzer.ts`). `validateImage` is a cheap header check used at upload
 * time; it throws the engine's `EngineError` (codes `not_an_image`, `truncated_image`, ...).
 */
export interface Analyzer {
  /** `onResult` is called with each algorithm's result as soon as it is ready (partial results). */
  analyze(
    bytes: Uint8Array,
    options?: AnalyzeOptions,
    onResult?: (result: AlgorithmResult) => void,
  ): Promise<Analysis>;
  validateImage(bytes: Uint8Array): Promise<{ width: number; height: number; format: string }>;
  listAlgorithms(): readonly AlgorithmInfo[];
  close(): Promise<void>;
}
