import sharp from 'sharp';
import type { Analysis, AnalyzeOptions, RestoredImage } from './analysis.ts';
import { EngineError } from './errors.ts';
import { type AgeEstimator, AgeModel } from './face/age-model.ts';
import type { FaceModels } from './face/face-models.ts';
import type { MetricModule, ModelOutputs } from './framework/metric.ts';
import type { MetricRegistry } from './framework/registry.ts';
import { ALWAYS_RUN, failAll, runMetrics } from './framework/runner.ts';
import { buildFaceFrame } from './geometry/face-frame.ts';
import { buildFaceGeometry } from './geometry/face-geometry.ts';
import { type RestoreTransform, renderRestored, restoreTransform } from './geometry/restore.ts';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits, decodeImage } from './image/decode.ts';
import type { RgbImage } from './image/rgb-image.ts';
import { AGE_INPUT_ID } from './metrics/age/age.input.ts';
import { defaultRegistry } from './metrics/default-registry.ts';
import type { AlgorithmResult } from './result/result-shape.ts';

export const NO_FACE_ERROR = 'No face detected';

/** What an engine needs: the loaded face models (one per thread), the metrics and the decode limits. */
export interface EngineDeps {
  faces: FaceModels;
  /**
   * The age model (faceres), in this thread (AgeModel) or its own (AgeModelThread); when absent, an
   * AgeModel is loaded on first use, only if a selected metric needs age.
   */
  age?: AgeEstimator;
  registry?: MetricRegistry;
  limits?: Partial<DecodeLimits>;
}

/** The analysis pipeline: decode → face → geometry → metrics → result (DESIGN.md "The engine"). */
export interface Engine {
  readonly registry: MetricRegistry;
  /** `onResult` receives each algorithm's result as soon as it is computed (for partial results). */
  analyze(
    bytes: Uint8Array,
    options?: AnalyzeOptions,
    onResult?: (result: AlgorithmResult) => void,
  ): Promise<Analysis>;
}

export function createEngine(deps: EngineDeps): Engine {
  const registry = deps.registry ?? defaultRegistry();
  const limits = { ...DEFAULT_DECODE_LIMITS, ...deps.limits };
  let age: Promise<AgeEstimator> | undefined = deps.age ? Promise.resolve(deps.age) : undefined;
  const ageModel = () => {
    age ??= AgeModel.load();
    return age;
  };
  return {
    registry,
    analyze: (bytes, options = {}, onResult) =>
      analyzeWith(deps.faces, ageModel, registry, limits, bytes, options, onResult),
  };
}

/** Resolves the metrics to run: the requested ones plus the always-run detector, in registry order. */
export function selectMetrics(registry: MetricRegistry, algorithms?: readonly string[]): MetricModule[] {
  if (!algorithms) return [...registry.metrics];
  const unknown = algorithms.filter((a) => !registry.get(a));
  if (unknown.length) {
    throw new EngineError('unknown_algorithm', `Unknown algorithm(s): ${unknown.join(', ')}.`, {
      unknown,
      known: registry.metrics.map((m) => m.techName),
    });
  }
  const wanted = new Set<string>([...ALWAYS_RUN, ...algorithms]);
  return registry.metrics.filter((m) => wanted.has(m.techName));
}

/** Whether any of the metrics needs the age model's output. */
export function needsAgeModel(selection: readonly MetricModule[]): boolean {
  return selection.some((m) => m.needs.includes(AGE_INPUT_ID));
}

async function analyzeWith(
  faces: FaceModels,
  ageModel: () => Promise<AgeEstimator>,
  registry: MetricRegistry,
  limits: DecodeLimits,
  bytes: Uint8Array,
  options: AnalyzeOptions,
  onResult?: (result: AlgorithmResult) => void,
): Promise<Analysis> {
  const selection = selectMetrics(registry, options.algorithms);
  const timings: Record<string, number> = {};
  const started = performance.now();
  let t = started;
  const lap = (stage: string) => {
    const now = performance.now();
    timings[stage] = now - t;
    t = now;
  };

  const image = await decodeImage(bytes, limits);
  lap('decode');
  const detected = await faces.detect(image.rgb);
  lap('face');
  const imageInfo = { width: image.originalWidth, height: image.originalHeight, format: image.format };
  const largest = detected[0];
  if (!largest) {
    timings.total = performance.now() - started;
    return { image: imageInfo, faceCount: 0, results: failAll(selection, NO_FACE_ERROR, 'no_face'), timings };
  }
  const face = buildFaceGeometry(largest, image.rgb);
  // The age model needs only the eyes: it starts before the face frame is built (an age model in a
  // thread of its own runs meanwhile).
  const age = needsAgeModel(selection) ? ageModel().then((m) => m.estimate(image.rgb, face)) : null;
  age?.catch(() => undefined); // awaited below; this only keeps a failure meanwhile from going unhandled
  const frame = buildFaceFrame(image.rgb, face);
  const restore = restoreTransform(face, image.toOriginal);
  lap('geometry');
  const models: ModelOutputs = {};
  if (age) {
    models.age = await age;
    lap('age_model');
  }
  // The restored face is drawn before the metrics and its JPEG encoded on sharp's thread pool while
  // the (synchronous) metrics run, so the encoding adds no latency when a core is free.
  const encoding = options.restored !== false ? encodeRestored(image.rgb, restore, image.toOriginal) : null;
  if (encoding) {
    encoding.catch(() => undefined); // awaited below; this only keeps a failure during the metrics from going unhandled
    lap('restored');
  }
  const run = runMetrics(
    registry,
    { image, face, frame, faceCount: detected.length, restore, models },
    selection,
    onResult,
  );
  Object.assign(timings, run.timings);
  t = performance.now();
  let restored: RestoredImage | undefined;
  if (encoding) {
    restored = await encoding;
    timings.restored = (timings.restored ?? 0) + performance.now() - t;
  }
  timings.total = performance.now() - started;
  return { image: imageInfo, faceCount: detected.length, results: run.results, restored, timings };
}

/** Renders the restored face (synchronously) and starts its JPEG encoding (on sharp's threads). */
function encodeRestored(
  rgb: RgbImage,
  restore: RestoreTransform,
  toOriginal: number,
): Promise<RestoredImage> {
  const pixels = renderRestored(rgb, restore, toOriginal);
  return sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer()
    .then((jpeg) => ({
      jpeg: new Uint8Array(jpeg),
      width: pixels.width,
      height: pixels.height,
      transform: restore,
    }));
}
