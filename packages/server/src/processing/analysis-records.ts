import { randomUUID } from 'node:crypto';
import { algorithmDict, algorithmId, FACE_DETECTOR, FACE_SKIN_METRICS_2 } from '../catalog/catalog.ts';
import type { AlgorithmInfo, AlgorithmResult } from '../ports/analyzer.ts';
import type { AlgorithmResultRecord, ApplicationRun } from '../ports/store.ts';

/** A run an image is processed by; `id` is empty for the implicit run of a v3 `/compute/` call. */
export type RunPlan = Pick<ApplicationRun, 'id' | 'applicationId' | 'enabledAlgorithms'>;

/** Tech names a run computes: its enabled algorithms (always with the face detector), or all. */
export function runTechNames(run: RunPlan, algorithms: readonly AlgorithmInfo[]): string[] {
  if (run.enabledAlgorithms === null) return algorithms.map((a) => a.techName);
  const ids = new Set(run.enabledAlgorithms);
  const names = algorithmDict(algorithms)
    .filter((a) => ids.has(a.id))
    .map((a) => a.tech_name);
  return [...new Set([FACE_DETECTOR, ...names])];
}

/** The union of what several runs compute, or undefined for "everything". */
export function techNamesFor(
  runs: readonly RunPlan[],
  algorithms: readonly AlgorithmInfo[],
): string[] | undefined {
  if (runs.some((r) => r.enabledAlgorithms === null)) return undefined;
  return [...new Set(runs.flatMap((r) => runTechNames(r, algorithms)))];
}

/** One result record per algorithm of each run, from the engine's results (all of them, or one partial). */
export function resultRecords(
  image: { id: string; companyId: string },
  runs: readonly RunPlan[],
  results: readonly AlgorithmResult[],
  algorithms: readonly AlgorithmInfo[],
): AlgorithmResultRecord[] {
  const now = new Date().toISOString();
  return runs.flatMap((run) => {
    const wanted = new Set(runTechNames(run, algorithms));
    return results
      .filter((r) => wanted.has(r.algorithm_tech_name) || run.enabledAlgorithms === null)
      .map((r) => ({
        id: randomUUID(),
        companyId: image.companyId,
        imageId: image.id,
        applicationRunId: run.id,
        applicationId: run.applicationId || FACE_SKIN_METRICS_2.id,
        algorithmVersionId: algorithmId(r.algorithm_tech_name),
        algorithmFamilyTechName: r.algorithm_family_tech_name,
        algorithmTechName: r.algorithm_tech_name,
        isOk: r.is_ok,
        result: r.result,
        creationTime: now,
      }));
  });
}

/** Failed results (`is_ok: false`) for every algorithm of each run, when the image could not be analysed. */
export function failureRecords(
  image: { id: string; companyId: string },
  runs: readonly RunPlan[],
  algorithms: readonly AlgorithmInfo[],
  error: string,
  errorCode: string,
): AlgorithmResultRecord[] {
  const now = new Date().toISOString();
  const byName = new Map(algorithms.map((a) => [a.techName, a]));
  return runs.flatMap((run) =>
    runTechNames(run, algorithms).map((name) => ({
      id: randomUUID(),
      companyId: image.companyId,
      imageId: image.id,
      applicationRunId: run.id,
      applicationId: run.applicationId || FACE_SKIN_METRICS_2.id,
      algorithmVersionId: algorithmId(name),
      algorithmFamilyTechName: byName.get(name)?.familyTechName ?? `selfie_v2.${name}`,
      algorithmTechName: name,
      isOk: false,
      result: { error, error_code: errorCode },
      creationTime: now,
    })),
  );
}
