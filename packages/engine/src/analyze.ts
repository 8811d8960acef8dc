import sharp from 'sharp';
import type { Analysis, AnalyzeOptions, RestoredImage } from './analysis.ts';
import { EngineError } from './errors.ts';
import { type AgeEstimator, AgeModel, type AgeModelOutput } from './face/age-model.ts';
import type { FaceModels } from './face/face-models.ts';
import type { EyeLine } from './face/face-view.ts';
import type { MetricModule, ModelOutputs } from './framework/metric.ts';
import type { MetricRegistry } from './framework/registry.ts';
import { ALWAYS_RUN, failAll, type MetricRun, needsInput, startRun } from './framework/runner.ts';
import { buildFaceFrame } from './geometry/face-frame.ts';
import { buildFaceGeometry } from './geometry/face-geometry.ts';
import { type RestoreTransform, renderRestored, restoreTransform } from './geometry/restore.ts';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits, decodeImage } from './image/decode.ts';
import { FrameBufferPool, FrameBufferScope } from './image/frame-buffers.ts';
import type { RgbImage } from './image/rgb-image.ts';
import { AGE_INPUT_ID } from './metrics/age/age.input.ts';
import { defaultRegistry } from './metrics/default-registry.ts';
import type { AlgorithmResult } from './result/result-shape.ts';

export const NO_FACE_ERROR = 'No face detected';

/** What an engine needs: the loaded face models (one per thread), the metrics and the decode limits. */
export interface EngineDeps {
  faces: FaceModels;
  /**
   * The age model (faceres): in this thread (AgeModel), in its own (AgeModelThread), or on an idle
   * worker of the engine pool (pool/shared-age.ts); when absent, an AgeModel is loaded on first use,
   * only if a selected metric needs age.
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
  const frameBuffers = new FrameBufferPool();
  let loaded: AgeEstimator | undefined = deps.age;
  let loading: Promise<AgeEstimator> | undefined;
  // A loaded estimator is called at once, so that one in another thread starts before the face
  // frame is built and runs while this thread computes the metrics that do not need it.
  const estimateAge: AgeStart = (rgb, face) => {
    if (loaded) return loaded.estimate(rgb, face);
    loading ??= AgeModel.load().then((model) => {
      loaded = model;
      return model;
    });
    return loading.then((model) => model.estimate(rgb, face));
  };
  return {
    registry,
    analyze: (bytes, options = {}, onResult) =>
      analyzeWith(deps.faces, estimateAge, registry, limits, frameBuffers, bytes, options, onResult),
  };
}

type AgeStart = (rgb: RgbImage, face: EyeLine) => Promise<AgeModelOutput>;

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

/** The metrics of `selection` that need the age model's output, directly or through a shared input. */
export function ageModelMetrics(
  registry: MetricRegistry,
  selection: readonly MetricModule[],
): MetricModule[] {
  return selection.filter((m) => needsInput(registry, m, AGE_INPUT_ID));
}

async function analyzeWith(
  faces: FaceModels,
  estimateAge: AgeStart,
  registry: MetricRegistry,
  limits: DecodeLimits,
  frameBuffers: FrameBufferPool,
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
  // The age model needs only the eyes: it starts before the face frame is built, and the metrics
  // that need its output run after the others (an age model in another thread runs meanwhile).
  const needAge = ageModelMetrics(registry, selection);
  const age = needAge.length ? estimateAge(image.rgb, face) : null;
  age?.catch(() => undefined); // awaited below; this only keeps a failure meanwhile from going unhandled
  // The face frame's crop and masks are frame buffers lent to the same scope as the metrics' maps:
  // they return to the pool with them, once the metrics are done (nothing reads the frame after).
  const buffers = new FrameBufferScope(frameBuffers);
  let encoding: Promise<RestoredImage> | null = null;
  let run: MetricRun;
  try {
    const frame = buffers.run(() => buildFaceFrame(image.rgb, face));
    const restore = restoreTransform(face, image.toOriginal);
    lap('geometry');
    // The restored face is drawn before the metrics and its JPEG encoded on sharp's thread pool while
    // the (synchronous) metrics run, so the encoding adds no latency when a core is free.
    encoding = options.restored !== false ? encodeRestored(image.rgb, restore, image.toOriginal) : null;
    if (encoding) {
      encoding.catch(() => undefined); // awaited below; this only keeps a failure during the metrics from going unhandled
      lap('restored');
    }
    const models: ModelOutputs = {};
    run = startRun(
      registry,
      { image, face, frame, faceCount: detected.length, restore, models },
      onResult,
      buffers,
    );
    run.run(selection.filter((m) => !needAge.includes(m)));
    if (age) {
      t = performance.now();
      models.age = await age;
      lap('age_model');
      run.run(needAge);
    }
  } finally {
    buffers.release();
  }
  Object.assign(timings, run.timings);
  const byName = new Map(run.results.map((r) => [r.algorithm_tech_name, r]));
  const results = selection.map((m) => byName.get(m.techName)!);
  t = performance.now();
  let restored: RestoredImage | undefined;
  if (encoding) {
    restored = await encoding;
    timings.restored = (timings.restored ?? 0) + performance.now() - t;
  }
  timings.total = performance.now() - started;
  return { image: imageInfo, faceCount: detected.length, results, restored, timings };
}

/**
 * Renders the restored face (synchronously) and starts its JPEG encoding (on sharp's threads):
 * quality 90 with libjpeg's standard Huffman tables; optimised tables make the file ≈ 5% smaller
 * and cost about three times the encode's CPU, on every analysis.
 */
function encodeRestored(
  rgb: RgbImage,
  restore: RestoreTransform,
  toOriginal: number,
): Promise<RestoredImage> {
  const pixels = renderRestored(rgb, restore, toOriginal);
  return sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 3 } })
    .jpeg({ quality: 90, optimiseCoding: false })
    .toBuffer()
    .then((jpeg) => ({
      jpeg: new Uint8Array(jpeg),
      width: pixels.width,
      height: pixels.height,
      transform: restore,
    }));
}
