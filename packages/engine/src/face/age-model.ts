import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { RgbImage } from '../image/rgb-image.ts';
import {
  type ConstReader,
  foldBatchNorms,
  foldNormWeights,
  fuseClippedRelus,
  type GraphModelArtifacts,
  readGraphModel,
  replaceWeights,
  type StoredGraphModel,
  type WeightSpec,
  weightLayout,
} from './faceres-graph.ts';
import { humanAssetPaths, loadTfjs } from './human-loader.ts';

const require = createRequire(import.meta.url);

/** Where the pupils are, in image pixels (a `FaceGeometry` is one); the views are aligned on them. */
export interface EyeLine {
  rightEye: readonly [number, number];
  leftEye: readonly [number, number];
  /** Inter-pupil distance, px. */
  ipdPx: number;
}

/** Side of faceres's square input, px. */
export const FACERES_INPUT = 224;

/**
 * One test-time view of the face: an upright square crop with the pupils level, their midpoint at
 * (0.5, `eyeY`) of the side and the inter-pupil distance `ipdShare` of the side; `flip` mirrors it.
 */
export interface AgeView {
  ipdShare: number;
  eyeY: number;
  flip: boolean;
}

/**
 * The default view: one upright crop (inter-pupil distance 0.25 of the side), no mirror. faceres
 * takes 224 × 224 only, and each view costs a full run (about 40 ms on one core). On fairface
 * (faces found with the whole-frame fallback, shipped calibration), the crop alone scored 4.13 / 3.27
 * years MAE to the bin (all ages / 20-69) on the held-out half against 4.42 / 3.35 for crop + mirror,
 * and 5.40 / 3.50 against 5.37 / 3.22 on the fit half: within the sample's noise, at half the cost
 * (see age/README.md). Three crop sizes (6 views) had given the same accuracy at three times the cost.
 */
export const DEFAULT_AGE_VIEWS: readonly AgeView[] = [{ ipdShare: 0.25, eyeY: 0.42, flip: false }];

/** What faceres says about one face, averaged over the views. */
export interface AgeModelOutput {
  /** Expected value of the 100-bin age distribution, years, mean over the views. */
  age: number;
  /**
   * Upper quartile of the mean distribution, years (interpolated within the 1-year bins). faceres's
   * distribution leans young; its upper quartile is the input of the calibration (age-calibration.ts).
   */
  upperQuartile: number;
  /** The expected age per view, years (in the order of the views). */
  viewAges: number[];
  /** The mean age distribution over the views (100 bins, ages 0-99). */
  distribution: Float32Array;
  /** The mean 1024-d face descriptor over the views. */
  embedding: Float32Array;
  /** Probability of "male" (faceres's gender output), mean over the views. */
  male: number;
}

interface Tensor {
  shape: number[];
  data(): Promise<Float32Array>;
  dispose(): void;
}

interface GraphModel {
  execute(input: Tensor): Tensor | Tensor[];
  dispose(): void;
}

interface WeightTensor {
  shape: number[];
  dataSync(): Float32Array | Int32Array;
  dispose(): void;
}

interface TfCore {
  tensor4d(values: Float32Array, shape: [number, number, number, number], dtype: 'float32'): Tensor;
  io: { decodeWeights(data: ArrayBuffer, specs: WeightSpec[]): Record<string, WeightTensor> };
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
}

/** faceres's raw outputs for a batch of n views: n × 100 age bins, n male probabilities, n × 1024 descriptors. */
export interface FaceresOutputs {
  age: Float32Array;
  gender: Float32Array;
  descriptor: Float32Array;
}

/** A batch of one mid-grey view, for a warm-up run. */
export function greyView(): Float32Array {
  return new Float32Array(FACERES_INPUT * FACERES_INPUT * 3).fill(128);
}

/** The buffers holding faceres's outputs, to transfer them to another thread. */
export function outputBuffers(outputs: FaceresOutputs): ArrayBuffer[] {
  return [outputs.age, outputs.gender, outputs.descriptor].map((a) => a.buffer as ArrayBuffer);
}

/**
 * What estimates age from the aligned views of a face: AgeModel in the calling thread,
 * AgeModelThread (age-model-thread.ts) in a worker thread of its own, or the engine pool's
 * SharedAge (pool/shared-age.ts) on another, idle pool worker. All give the same output.
 */
export interface AgeEstimator {
  estimate(image: RgbImage, face: EyeLine, views?: readonly AgeView[]): Promise<AgeModelOutput>;
  dispose(): void | Promise<void>;
}

/**
 * HSE-FaceRes (shipped in @vladmandic/human/models/faceres.json: age as a 100-bin softmax,
 * gender, a 1024-d descriptor) on an aligned crop built from the mesh, with test-time augmentation.
 * A sibling of FaceModels: it uses the same tfjs-wasm backend, so create it after (or without)
 * FaceModels in the same thread, one instance per thread. Costs about 40 ms per view on one core
 * (its clipped ReLUs fused and batch norms folded, faceres-graph.ts; 85 ms with the shipped graph).
 */
export class AgeModel implements AgeEstimator {
  private constructor(
    private readonly tf: TfCore,
    private readonly model: GraphModel,
    /** How many of faceres's clipped ReLUs run as one Relu6 (faceres-graph.ts); 0 when the shipped graph runs. */
    readonly fusedClips: number,
    /** How many of faceres's batch norms run inside their convolution (faceres-graph.ts); 0 when the shipped graph runs. */
    readonly foldedNorms: number,
  ) {}

  static async load(): Promise<AgeModel> {
    loadTfjs();
    const tf = require('@tensorflow/tfjs-core') as TfCore;
    const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(path: string): void };
    const converter = require('@tensorflow/tfjs-converter') as {
      loadGraphModel(source: { load(): Promise<GraphModelArtifacts> }): Promise<GraphModel>;
    };
    const paths = humanAssetPaths();
    if (tf.getBackend() !== 'wasm') {
      wasm.setWasmPaths(paths.wasmPath);
      await tf.setBackend('wasm');
    }
    await tf.ready();
    const artifacts = await readGraphModel(fileURLToPath(`${paths.modelBaseUrl}faceres.json`));
    const optimised = optimiseFaceres(tf, artifacts);
    const model = await converter.loadGraphModel({ load: async () => optimised?.artifacts ?? artifacts });
    return new AgeModel(tf, model, optimised?.fusedClips ?? 0, optimised?.foldedNorms ?? 0);
  }

  /**
   * Runs faceres on every view of the face (`face` in `image` pixels) in one batch. The run starts
   * once the caller's synchronous work is done (the analysis awaits it after the metrics that do
   * not need it), so in the calling thread it neither delays those metrics nor is booked to the
   * stage that started it.
   */
  async estimate(
    image: RgbImage,
    face: EyeLine,
    views: readonly AgeView[] = DEFAULT_AGE_VIEWS,
  ): Promise<AgeModelOutput> {
    await Promise.resolve();
    return summariseViews(await this.run(renderViews(image, face, views), views.length), views.length);
  }

  /** Runs faceres on a batch of `n` rendered views (n × 224 × 224 × 3, renderView's layout). */
  async run(batch: Float32Array, n: number): Promise<FaceresOutputs> {
    const input = this.tf.tensor4d(batch, [n, FACERES_INPUT, FACERES_INPUT, 3], 'float32');
    const outputs = this.model.execute(input) as Tensor[];
    try {
      const find = (width: number) => {
        const t = outputs.find((o) => o.shape[1] === width);
        if (!t) throw new Error(`faceres has no output of width ${width}`);
        return t.data();
      };
      const [age, gender, descriptor] = await Promise.all([find(100), find(1), find(1024)]);
      return { age, gender, descriptor };
    } finally {
      input.dispose();
      for (const o of outputs) o.dispose();
    }
  }

  /** One run on a grey view: the wasm kernels pack their weights on the first run, so the first face does not wait for it. */
  async warmUp(): Promise<void> {
    await this.run(greyView(), 1);
  }

  dispose(): void {
    this.model.dispose();
  }
}

/**
 * faceres with its clipped ReLUs fused and its batch norms folded into the convolutions
 * (faceres-graph.ts), each depthwise kernel stored as float32 with its scale multiplied in (only the
 * constants the rewrite reads are decoded); undefined (run the shipped graph) when a removed clip's
 * bounds are not 6 and 0 or a folded constant is not one value per channel.
 */
function optimiseFaceres(
  tf: TfCore,
  artifacts: StoredGraphModel,
): { artifacts: GraphModelArtifacts; fusedClips: number; foldedNorms: number } | undefined {
  const layout = weightLayout(artifacts.weightSpecs);
  if (!layout) return undefined;
  const constants: ConstReader = {
    shape: (name) => layout.get(name)?.spec.shape,
    value: (name) => {
      const entry = layout.get(name);
      if (!entry) return undefined;
      const bytes = artifacts.weightData.slice(entry.offset, entry.offset + entry.bytes);
      const tensor = tf.io.decodeWeights(bytes, [entry.spec])[name]!;
      try {
        return { shape: [...tensor.shape], values: Float32Array.from(tensor.dataSync()) };
      } finally {
        tensor.dispose();
      }
    },
  };
  const clips = fuseClippedRelus(artifacts.modelTopology.node);
  const bounds = clips.removed.every(
    (clip) =>
      constants.value(clip.upper)?.values.join() === '6' &&
      constants.value(clip.lower)?.values.join() === '0',
  );
  const norms = foldBatchNorms(clips.nodes);
  const kernels = bounds ? foldNormWeights(constants, norms.folded) : undefined;
  const weights = kernels && replaceWeights(artifacts.weightSpecs, artifacts.weightData, kernels);
  if (!weights) return undefined;
  return {
    artifacts: { ...artifacts, modelTopology: { ...artifacts.modelTopology, node: norms.nodes }, ...weights },
    fusedClips: clips.removed.length,
    foldedNorms: norms.folded.length,
  };
}

/** Every view of the face rendered into one batch (views × 224 × 224 × 3). */
export function renderViews(image: RgbImage, face: EyeLine, views: readonly AgeView[]): Float32Array {
  const size = FACERES_INPUT * FACERES_INPUT * 3;
  const batch = new Float32Array(views.length * size);
  for (const [i, view] of views.entries())
    renderView(image, face, view, batch.subarray(i * size, (i + 1) * size));
  return batch;
}

/** The model's outputs for `n` views, averaged over the views. */
export function summariseViews(outputs: FaceresOutputs, n: number): AgeModelOutput {
  const distribution = new Float32Array(100);
  const embedding = new Float32Array(1024);
  const viewAges: number[] = [];
  averageViews(outputs.age, outputs.descriptor, n, distribution, embedding, viewAges);
  let male = 0;
  for (let v = 0; v < n; v++) male += outputs.gender[v]! / n;
  let ageSum = 0;
  for (const a of viewAges) ageSum += a;
  const age = ageSum / n;
  return {
    age,
    upperQuartile: quantileOfBins(distribution, 0.75),
    viewAges,
    distribution,
    embedding,
    male,
  };
}

/**
 * Over `n` views: adds each view's age probabilities (100 per view) / n into `distribution` and its
 * descriptor (1024 per view) / n into `embedding`, and appends its expected age to `viewAges`.
 */
function averageViews(
  age: Float32Array,
  descriptor: Float32Array,
  n: number,
  distribution: Float32Array,
  embedding: Float32Array,
  viewAges: number[],
): void {
  for (let v = 0; v < n; v++) {
    let expected = 0;
    for (let k = 0; k < 100; k++) {
      const p = age[v * 100 + k]!;
      expected += k * p;
      distribution[k]! += p / n;
    }
    viewAges.push(expected);
    for (let k = 0; k < 1024; k++) embedding[k]! += descriptor[v * 1024 + k]! / n;
  }
}

/** The q-quantile of a distribution over 1-year bins [k, k+1), interpolated linearly within the bin. */
export function quantileOfBins(p: Float32Array, q: number): number {
  let total = 0;
  for (const v of p) total += v;
  let cum = 0;
  for (let k = 0; k < p.length; k++) {
    const next = cum + p[k]! / total;
    if (next >= q) return k + (p[k]! > 0 ? (q - cum) / (p[k]! / total) : 0);
    cum = next;
  }
  return p.length;
}

/**
 * Samples one view into `out` (HxWx3 floats, 0-255, channels in **BGR** order) by bilinear
 * interpolation; outside the image the crop is mid-grey. faceres was trained on OpenCV (BGR) crops:
 * on fairface, BGR input gave a raw MAE to the bin of 5.9 years against 8.0 for RGB (the order Human
 * itself feeds), and a correlation with the bin centre of 0.88 against 0.84.
 */
export function renderView(image: RgbImage, face: EyeLine, view: AgeView, out: Float32Array): void {
  const side = FACERES_INPUT;
  const angle = Math.atan2(face.leftEye[1] - face.rightEye[1], face.leftEye[0] - face.rightEye[0]);
  const scale = face.ipdPx / (view.ipdShare * side);
  const cx = (face.leftEye[0] + face.rightEye[0]) / 2;
  const cy = (face.leftEye[1] + face.rightEye[1]) / 2;
  const cos = Math.cos(angle) * scale;
  const sin = Math.sin(angle) * scale;
  sampleView(image.data, image.width, image.height, side, view.eyeY, view.flip, cos, sin, cx, cy, out);
}

/**
 * Bilinear samples of the RGB image `data` (w × h) on a side × side grid (eye line at row eyeY·side,
 * mirrored with `flip`) rotated and scaled by (cos, sin) about (cx, cy), into `out` as BGR (128
 * outside the image).
 */
function sampleView(
  data: Uint8Array,
  w: number,
  h: number,
  side: number,
  eyeY: number,
  flip: boolean,
  cos: number,
  sin: number,
  cx: number,
  cy: number,
  out: Float32Array,
): void {
  for (let y = 0; y < side; y++) {
    const ry = y + 0.5 - eyeY * side;
    for (let x = 0; x < side; x++) {
      const rx = x + 0.5 - 0.5 * side;
      const sx = cos * rx - sin * ry + cx - 0.5;
      const sy = sin * rx + cos * ry + cy - 0.5;
      const o = (y * side + (flip ? side - 1 - x : x)) * 3;
      if (sx < 0 || sy < 0 || sx >= w - 1 || sy >= h - 1) {
        out[o] = out[o + 1] = out[o + 2] = 128;
        continue;
      }
      const ix = sx | 0;
      const iy = sy | 0;
      const fx = sx - ix;
      const fy = sy - iy;
      const i00 = (iy * w + ix) * 3;
      const i01 = i00 + w * 3;
      for (let c = 0; c < 3; c++) {
        const top = data[i00 + c]! + (data[i00 + 3 + c]! - data[i00 + c]!) * fx;
        const bottom = data[i01 + c]! + (data[i01 + 3 + c]! - data[i01 + c]!) * fx;
        out[o + 2 - c] = top + (bottom - top) * fy;
      }
    }
  }
}
