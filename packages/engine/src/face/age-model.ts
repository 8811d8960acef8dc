import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { RgbImage } from '../image/rgb-image.ts';
import {
  AgeRegressor,
  fillGreyRegressorViews,
  REGRESSOR_VIEW_FLOATS,
  REGRESSOR_VIEWS,
  renderRegressorViews,
} from './age-regressor.ts';
import { type EyeLine, type FaceView, sampleFaceView } from './face-view.ts';
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

/** Side of faceres's square input, px. */
export const FACERES_INPUT = 224;

/**
 * The default view: one upright crop (inter-pupil distance 0.25 of the side), no mirror. faceres
 * takes 224 × 224 only, and each view costs a full run (about 40 ms on one core). On fairface
 * (faces found with the whole-frame fallback, shipped calibration), the crop alone scored 4.13 / 3.27
 * years MAE to the bin (all ages / 20-69) on the held-out half against 4.42 / 3.35 for crop + mirror,
 * and 5.40 / 3.50 against 5.37 / 3.22 on the fit half: within the sample's noise, at half the cost
 * (see age/README.md). Three crop sizes (6 views) had given the same accuracy at three times the cost.
 */
export const DEFAULT_AGE_VIEWS: readonly FaceView[] = [{ ipdShare: 0.25, eyeY: 0.42, flip: false }];

/** What faceres and the age regressor (age-regressor.ts) say about one face, each averaged over its views. */
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
  /** The age regressor's age, years, mean over its views (REGRESSOR_VIEWS): the calibration's second input. */
  regressedAge: number;
  /** The regressor's age per view, years. */
  regressorViewAges: number[];
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

/**
 * The age networks' raw outputs for a batch of n faceres views and the regressor's views: n × 100
 * age bins, n male probabilities, n × 1024 descriptors (faceres), and one age in years per
 * regressor view.
 */
export interface AgeNetOutputs {
  age: Float32Array;
  gender: Float32Array;
  descriptor: Float32Array;
  regressed: Float32Array;
}

/** Floats in one rendered faceres view (224 × 224 × 3). */
const FACERES_VIEW_FLOATS = FACERES_INPUT * FACERES_INPUT * 3;

/** Floats in a batch of `n` faceres views followed by the regressor's views (renderViews's layout). */
export function ageBatchFloats(n: number): number {
  return n * FACERES_VIEW_FLOATS + REGRESSOR_VIEWS.length * REGRESSOR_VIEW_FLOATS;
}

/** A batch of one mid-grey face (one faceres view and the regressor's), for a warm-up run. */
export function greyView(): Float32Array {
  const batch = new Float32Array(ageBatchFloats(1));
  batch.fill(128, 0, FACERES_VIEW_FLOATS);
  fillGreyRegressorViews(batch.subarray(FACERES_VIEW_FLOATS));
  return batch;
}

/** The buffers holding the networks' outputs, to transfer them to another thread. */
export function outputBuffers(outputs: AgeNetOutputs): ArrayBuffer[] {
  return [outputs.age, outputs.gender, outputs.descriptor, outputs.regressed].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

/**
 * What estimates age from the aligned views of a face: AgeModel in the calling thread,
 * AgeModelThread (age-model-thread.ts) in a worker thread of its own, or the engine pool's
 * SharedAge (pool/shared-age.ts) on another, idle pool worker. All give the same output.
 */
export interface AgeEstimator {
  estimate(image: RgbImage, face: EyeLine, views?: readonly FaceView[]): Promise<AgeModelOutput>;
  dispose(): void | Promise<void>;
}

/**
 * HSE-FaceRes (shipped in @vladmandic/human/models/faceres.json: age as a 100-bin softmax,
 * gender, a 1024-d descriptor) on an aligned crop built from the mesh, and beside it the age
 * regressor (face-api's age network, age-regressor.ts) on its own two views: the calibration
 * combines the two (metrics/age/age-calibration.ts). A sibling of FaceModels: it uses the same
 * tfjs-wasm backend, so create it after (or without) FaceModels in the same thread, one instance per
 * thread. Costs about 40 ms per faceres view on one core (its clipped ReLUs fused and batch norms
 * folded, faceres-graph.ts; 85 ms with the shipped graph) and about 14 ms for the regressor's two.
 */
export class AgeModel implements AgeEstimator {
  private constructor(
    private readonly tf: TfCore,
    private readonly model: GraphModel,
    private readonly regressor: AgeRegressor,
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
    const regressor = await AgeRegressor.load();
    return new AgeModel(tf, model, regressor, optimised?.fusedClips ?? 0, optimised?.foldedNorms ?? 0);
  }

  /**
   * Runs faceres on every view of the face (`face` in `image` pixels) in one batch, and the
   * regressor on its views. The run starts
   * once the caller's synchronous work is done (the analysis awaits it after the metrics that do
   * not need it), so in the calling thread it neither delays those metrics nor is booked to the
   * stage that started it.
   */
  async estimate(
    image: RgbImage,
    face: EyeLine,
    views: readonly FaceView[] = DEFAULT_AGE_VIEWS,
  ): Promise<AgeModelOutput> {
    await Promise.resolve();
    return summariseViews(await this.run(renderViews(image, face, views), views.length), views.length);
  }

  /** Runs faceres on the `n` faceres views of `batch` and the regressor on its views (renderViews's layout). */
  async run(batch: Float32Array, n: number): Promise<AgeNetOutputs> {
    const split = n * FACERES_VIEW_FLOATS;
    if (batch.length !== ageBatchFloats(n))
      throw new Error(`an age batch of ${n} views holds ${ageBatchFloats(n)} floats, not ${batch.length}`);
    const input = this.tf.tensor4d(batch.subarray(0, split), [n, FACERES_INPUT, FACERES_INPUT, 3], 'float32');
    const outputs = this.model.execute(input) as Tensor[];
    try {
      const find = (width: number) => {
        const t = outputs.find((o) => o.shape[1] === width);
        if (!t) throw new Error(`faceres has no output of width ${width}`);
        return t.data();
      };
      const [age, gender, descriptor, regressed] = await Promise.all([
        find(100),
        find(1),
        find(1024),
        this.regressor.run(batch.subarray(split), REGRESSOR_VIEWS.length),
      ]);
      return { age, gender, descriptor, regressed };
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
    this.regressor.dispose();
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

/**
 * Every faceres view of the face rendered into one batch (views × 224 × 224 × 3), followed by the
 * regressor's views (REGRESSOR_VIEWS × 112 × 112 × 3; ageBatchFloats gives the length).
 */
export function renderViews(image: RgbImage, face: EyeLine, views: readonly FaceView[]): Float32Array {
  const batch = new Float32Array(ageBatchFloats(views.length));
  for (const [i, view] of views.entries())
    renderView(image, face, view, batch.subarray(i * FACERES_VIEW_FLOATS, (i + 1) * FACERES_VIEW_FLOATS));
  renderRegressorViews(image, face, batch.subarray(views.length * FACERES_VIEW_FLOATS));
  return batch;
}

/** The networks' outputs for `n` faceres views and the regressor's views, each averaged over its views. */
export function summariseViews(outputs: AgeNetOutputs, n: number): AgeModelOutput {
  const distribution = new Float32Array(100);
  const embedding = new Float32Array(1024);
  const viewAges: number[] = [];
  averageViews(outputs.age, outputs.descriptor, n, distribution, embedding, viewAges);
  let male = 0;
  for (let v = 0; v < n; v++) male += outputs.gender[v]! / n;
  let ageSum = 0;
  for (const a of viewAges) ageSum += a;
  const age = ageSum / n;
  const regressorViewAges = Array.from(outputs.regressed);
  const regressedAge = regressorViewAges.reduce((s, a) => s + a, 0) / regressorViewAges.length;
  return {
    age,
    upperQuartile: quantileOfBins(distribution, 0.75),
    viewAges,
    distribution,
    embedding,
    male,
    regressedAge,
    regressorViewAges,
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
 * Samples one faceres view into `out` (224 × 224 × 3 floats, 0-255, channels in **BGR** order);
 * outside the image the crop is mid-grey. faceres was trained on OpenCV (BGR) crops: on fairface,
 * BGR input gave a raw MAE to the bin of 5.9 years against 8.0 for RGB (the order Human itself
 * feeds), and a correlation with the bin centre of 0.88 against 0.84.
 */
export function renderView(image: RgbImage, face: EyeLine, view: FaceView, out: Float32Array): void {
  sampleFaceView(image, face, view, FACERES_INPUT, { order: 'bgr', outside: 128 }, out);
}
