import { createEnginePool, listAlgorithms, validateImage } from '@skinscope/engine';
import type { Analyzer } from './ports/analyzer.ts';

/** The default Analyzer: the engine's worker-thread pool (`workers` threads, each with its own models). */
export async function createEngineAnalyzer(workers: number): Promise<Analyzer & { size: number }> {
  const pool = await createEnginePool({ workers });
  const algorithms = listAlgorithms();
  return {
    size: pool.size,
    analyze: (bytes, options, onResult) => pool.analyze(bytes, options, onResult),
    validateImage: async (bytes) => {
      const header = await validateImage(bytes);
      return { width: header.width, height: header.height, format: header.format };
    },
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
    analyze: () => Promise.reject(new Error('this process does not run the engine (role api)')),
    validateImage: async (bytes) => {
      const header = await validateImage(bytes);
      return { width: header.width, height: header.height, format: header.format };
    },
    listAlgorithms: () => algorithms,
    close: async () => {},
  };
}
