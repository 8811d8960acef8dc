/** The engine pool the evaluation runs on, with a helper that never throws. */
import type { Analysis, AnalyzeOptions, EnginePool } from '../../packages/engine/src/index.ts';

export type Outcome = { ok: true; analysis: Analysis; ms: number } | { ok: false; error: Error; ms: number };

export async function tryAnalyze(
  pool: EnginePool,
  bytes: Uint8Array,
  options?: AnalyzeOptions,
): Promise<Outcome> {
  const t0 = performance.now();
  try {
    const analysis = await pool.analyze(bytes, { restored: false, ...options });
    return { ok: true, analysis, ms: performance.now() - t0 };
  } catch (error) {
    return { ok: false, error: error as Error, ms: performance.now() - t0 };
  }
}

/** Analyses every input (through the pool, so both workers stay busy); failures come back as null. */
export async function analyzeAll(
  pool: EnginePool,
  inputs: Uint8Array[],
  options?: AnalyzeOptions,
): Promise<(Analysis | null)[]> {
  const outcomes = await Promise.all(inputs.map((b) => tryAnalyze(pool, b, options)));
  const errors = new Map<string, number>();
  for (const o of outcomes) if (!o.ok) errors.set(o.error.message, (errors.get(o.error.message) ?? 0) + 1);
  for (const [message, count] of errors)
    console.error(`eval: ${count} of ${inputs.length} analyses failed: ${message}`);
  return outcomes.map((o) => (o.ok ? o.analysis : null));
}
