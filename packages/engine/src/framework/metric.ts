import type { AgeModelOutput } from '../face/age-model.ts';
import type { AreaName } from '../geometry/areas.ts';
import type { FaceFrame } from '../geometry/face-frame.ts';
import type { FaceGeometry } from '../geometry/face-geometry.ts';
import type { RestoreTransform } from '../geometry/restore.ts';
import type { DecodedImage } from '../image/decode.ts';
import type { AreaResult, MaskFeature, MaskType, NotAssessableArea } from '../result/result-shape.ts';

/**
 * A shared input computed at most once per image and handed to every metric that declares it
 * (colour maps, Lab, pigment maps, …). `id` is what metrics list in `needs`.
 */
export interface InputProvider<T> {
  readonly id: string;
  /** Other inputs this one reads through `ctx.input`. */
  readonly needs: readonly string[];
  compute(ctx: MetricContext): T;
}

/** What a metric sees of one analysed face. */
export interface MetricContext {
  image: DecodedImage;
  face: FaceGeometry;
  frame: FaceFrame;
  faceCount: number;
  restore: RestoreTransform;
  /** Outputs of the asynchronous models run before the metrics, present only when a selected metric needs them. */
  models?: ModelOutputs;
  /** The shared input of a provider the metric declared in `needs` (computed once per image). */
  input<T>(provider: InputProvider<T>): T;
}

/** Outputs of optional face models the pipeline runs before the (synchronous) metrics. */
export interface ModelOutputs {
  /** faceres on the aligned face with test-time augmentation (face/age-model.ts); run when a metric needs `AGE_INPUT_ID`. */
  age?: AgeModelOutput;
}

/**
 * What a metric returns. Mask features are in working-image pixel coordinates; the runner maps them to
 * original-image and restored-image coordinates.
 */
export interface MetricOutput {
  area_results: AreaResult[];
  masks?: { mask_type: MaskType; features: MaskFeature[] };
  not_assessable_areas?: NotAssessableArea[];
  raw?: Record<string, unknown>;
}

/**
 * One algorithm of the engine. Each lives in its own `*.metric.ts` and documents how its raw
 * measurements become 0-100 scores.
 */
export interface MetricModule {
  /** `algorithm_tech_name`, unique in the registry. */
  readonly techName: string;
  /** `algorithm_family_tech_name` (`selfie_v2.<name>` by default). */
  readonly familyTechName: string;
  /** Semantic version of the method; bump it when results change. */
  readonly version: string;
  /** Human-readable name. */
  readonly name: string;
  readonly description: string;
  /** Ids of the shared inputs it reads. */
  readonly needs: readonly string[];
  /** Areas it reports on. */
  readonly areas: readonly AreaName[];
  /** The main metric's tech name, the sub-metrics' tech names and the mask type. */
  readonly outputs: { main: string; sub: readonly string[]; maskType: MaskType };
  /** Lowest scale, px/mm, at which the method measures honestly; below it the answer is "not assessable". 0 when any scale works. */
  readonly minPxPerMm: number;
  compute(ctx: MetricContext): MetricOutput;
}
