import { createEnginePool, EngineError, listAlgorithms, validateImage } from '@skinscope/engine';
import type { Analyzer } from './ports/analyzer.ts';

/** The upload check both analyzers share: header limits and a cheap reduced decode (engine errors on failure). */
async function validateUpload(bytes: Uint8Array): Promise<{ width: number; height: number; format: string }> {
  const { width, height, format } = await validateImage(bytes);
  return { width, height, format };
}

/** The default Analyzer: the engine's worker-thread pool (`workers` threads, each with its own models). */
export async function createEngineAnalyzer(workers: number): Promise<Analyzer & { size: number }> {
  const pool = await createEnginePool({ workers });
  const algorithms = listAlgorithms();
  return {
    size: pool.size,
    analyze: (bytes, options, onResult) => pool.analyze(bytes, options, onResult),
    validateImage: validateUpload,
    listAlgorithms: () => algorithms,
    close: () => pool.close(),
  };
}

/**
 * An Analyzer that validates uploads and lists algorithms but runs no models, for the `api` role
 * (analysis happens in `worker` processes).
 */
export function createValidatingAnalyzer(): Analyzer {
  const algorithms = listAlgorithms();
  return {
    analyze: () =>
      Promise.reject(
        new EngineError('engine_unavailable', 'this process does not run the engine (role api)'),
      ),
    validateImage: validateUpload,
    listAlgorithms: () => algorithms,
    close: async () => {},
  };
}
