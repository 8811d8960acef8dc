import { readFile } from 'node:fs/promises';
import type { Analysis } from '../analysis.ts';
import { createEngine, type Engine } from '../analyze.ts';
import { FaceModels } from '../face/face-models.ts';
import { type AlgorithmPayload, isAlgorithmPayload } from '../result/result-shape.ts';
import { portraitPath } from './faces.ts';

/** One engine per test file (loading the models takes about a second). */
export async function testEngine(): Promise<Engine> {
  return createEngine({ faces: await FaceModels.load() });
}

export async function analyzePortrait(engine: Engine, name: string): Promise<Analysis> {
  return engine.analyze(await readFile(portraitPath(name)));
}

export function payloadOf(analysis: Analysis, techName: string): AlgorithmPayload {
  const result = analysis.results.find((r) => r.algorithm_tech_name === techName);
  if (!result) throw new Error(`no ${techName} result`);
  if (!isAlgorithmPayload(result.result)) throw new Error(`${techName} failed: ${result.result.error}`);
  return result.result;
}

/** A sub-metric (or the main metric) of an area, as a number. */
export function metricOf(analysis: Analysis, techName: string, metric: string, area = 'face'): number {
  const areaResult = payloadOf(analysis, techName).area_results.find((a) => a.area_name === area);
  if (!areaResult) throw new Error(`${techName} has no area ${area}`);
  const m = [areaResult.main_metric, ...areaResult.sub_metrics].find((x) => x.tech_name === metric);
  if (!m || typeof m.value !== 'number') throw new Error(`${techName}/${area} has no numeric ${metric}`);
  return m.value;
}
