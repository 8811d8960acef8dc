import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as tfc from '@tensorflow/tfjs-core';
import type { RgbImage } from '../image/rgb-image.ts';
import { type EyeLine, type FaceView, sampleFaceView } from './face-view.ts';

const require = createRequire(import.meta.url);

/** Side of the regressor's square input, px. */
export const REGRESSOR_INPUT = 112;

/** Floats in one rendered regressor view (112 × 112 × 3). */
export const REGRESSOR_VIEW_FLOATS = REGRESSOR_INPUT * REGRESSOR_INPUT * 3;

/**
 * The regressor's views: an upright crop with the inter-pupil distance 0.30 of the side and the eye
 * line at 0.36 of the height (brows to chin with a margin, close to face-api's own padded landmark
 * box), and its mirror. Chosen on fairface among inter-pupil shares 0.20-0.42 and eye heights
 * 0.30-0.48 for the held-out error of the calibrated combination with faceres (age/README.md).
 */
export const REGRESSOR_VIEWS: readonly FaceView[] = [
  { ipdShare: 0.3, eyeY: 0.36, flip: false },
  { ipdShare: 0.3, eyeY: 0.36, flip: true },
];

/** The mean RGB the network subtracts from its input (face-api's TinyXception). */
const MEAN_RGB = [122.782, 117.001, 104.298] as const;

/** Every regressor view of the face, normalised as the network expects, into `out` (REGRESSOR_VIEWS.length × 112 × 112 × 3). */
export function renderRegressorViews(image: RgbImage, face: EyeLine, out: Float32Array): void {
  for (const [i, view] of REGRESSOR_VIEWS.entries()) {
    const pixels = out.subarray(i * REGRESSOR_VIEW_FLOATS, (i + 1) * REGRESSOR_VIEW_FLOATS);
    sampleFaceView(image, face, view, REGRESSOR_INPUT, { order: 'rgb', outside: 0 }, pixels);
  }
  normaliseViews(out);
}

/** The regressor's input for a mid-grey face (a warm-up run). */
export function fillGreyRegressorViews(out: Float32Array): void {
  out.fill(128, 0, REGRESSOR_VIEWS.length * REGRESSOR_VIEW_FLOATS);
  normaliseViews(out);
}

/** Maps the views' RGB values (0-255) in `out` to the network's input: (value − MEAN_RGB) / 255. */
function normaliseViews(out: Float32Array): void {
  for (let k = 0; k < REGRESSOR_VIEWS.length * REGRESSOR_VIEW_FLOATS; k += 3)
    for (let c = 0; c < 3; c++) out[k + c] = (out[k + c]! - MEAN_RGB[c]!) / 255;
}

type Weights = Record<string, tfc.Tensor>;

/**
 * The face-api age network's weights (`@vladmandic/face-api/model/age_gender_model*`), decoded into
 * tensors of `tf`'s current backend, by name (`entry_flow/conv_in/filters`, …, `fc/age/bias`).
 */
export async function readRegressorWeights(tf: typeof tfc): Promise<Weights> {
  const manifestPath = require.resolve('@vladmandic/face-api/model/age_gender_model-weights_manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as tfc.io.WeightsManifestConfig;
  const group = manifest[0];
  if (!group) throw new Error('face-api age model: empty weights manifest');
  const bytes = await readFile(manifestPath.replace(/-weights_manifest\.json$/, '.bin'));
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return tf.io.decodeWeights(data, group.weights);
}
type Image4D = tfc.Tensor4D;

/**
 * The age network of face-api (`@vladmandic/face-api`, MIT; the face-api.js AgeGenderNet: a
 * TinyXception with two middle blocks on a 112 × 112 RGB crop, a linear age head in years, trained
 * on real ages: UTKFace, FG-NET, IMDB-WIKI and others). Only its age head is run. Built here from the
 * package's weights with tfjs-core ops on the backend already set (the wasm one of FaceModels and
 * AgeModel), each separable convolution's bias and the following ReLU fused into its pointwise
 * convolution. About 7 ms per view on one core. One instance per thread.
 */
export class AgeRegressor {
  private constructor(
    private readonly tf: typeof tfc,
    private readonly weights: Weights,
  ) {}

  /** Decodes the package's quantised weights into tensors of tfjs-core's current backend (set it first: `loadTfjs`, then the wasm backend). */
  static async load(): Promise<AgeRegressor> {
    const tf = require('@tensorflow/tfjs-core') as typeof tfc;
    return new AgeRegressor(tf, await readRegressorWeights(tf));
  }

  /**
   * Age in years for each of the `n` rendered views in `batch` (renderRegressorViews's layout). Each
   * stage's intermediates are freed as soon as its output exists, so that the wasm heap (which never
   * shrinks) holds only one stage at a time.
   */
  async run(batch: Float32Array, n: number): Promise<Float32Array> {
    const tf = this.tf;
    let x: tfc.Tensor = tf.tensor4d(batch, [n, REGRESSOR_INPUT, REGRESSOR_INPUT, 3]);
    try {
      for (const stage of this.stages(n)) {
        const next = tf.tidy(() => stage(x as Image4D));
        x.dispose();
        x = next;
      }
      return (await x.data()) as Float32Array;
    } finally {
      x.dispose();
    }
  }

  dispose(): void {
    for (const t of Object.values(this.weights)) t.dispose();
  }

  /** The network as a sequence of stages, each from the previous stage's output (`n` views). */
  private stages(n: number): ((x: Image4D) => tfc.Tensor)[] {
    const tf = this.tf;
    return [
      (x) => this.conv(x, 'entry_flow/conv_in', 2, 'relu'),
      (x) => this.reductionBlock(x, 'entry_flow/reduction_block_0', false),
      (x) => this.reductionBlock(x, 'entry_flow/reduction_block_1', true),
      (x) => this.mainBlock(x, 'middle_flow/main_block_0'),
      (x) => this.mainBlock(x, 'middle_flow/main_block_1'),
      (x) => this.reductionBlock(x, 'exit_flow/reduction_block', true),
      (x) => {
        const features = this.separable(x, 'exit_flow/separable_conv', 'relu');
        const pooled = tf.reshape(tf.avgPool(features, 7, 2, 'valid'), [n, -1]) as tfc.Tensor2D;
        return tf.add(tf.matMul(pooled, this.weight('fc/age/weights')), this.weight('fc/age/bias'));
      },
    ];
  }

  private weight(name: string): tfc.Tensor {
    const w = this.weights[name];
    if (!w) throw new Error(`face-api age model: no weight ${name}`);
    return w;
  }

  private conv(x: Image4D, prefix: string, stride: number, activation: 'relu' | 'linear'): Image4D {
    return this.tf.fused.conv2d({
      x,
      filter: this.weight(`${prefix}/filters`) as tfc.Tensor4D,
      strides: stride,
      pad: 'same',
      bias: this.weight(`${prefix}/bias`),
      activation,
    });
  }

  private separable(x: Image4D, prefix: string, activation: 'relu' | 'linear'): Image4D {
    const depthwise = this.tf.depthwiseConv2d(
      x,
      this.weight(`${prefix}/depthwise_filter`) as tfc.Tensor4D,
      1,
      'same',
    );
    return this.tf.fused.conv2d({
      x: depthwise,
      filter: this.weight(`${prefix}/pointwise_filter`) as tfc.Tensor4D,
      strides: 1,
      pad: 'same',
      bias: this.weight(`${prefix}/bias`),
      activation,
    });
  }

  private reductionBlock(x: Image4D, prefix: string, activateInput: boolean): Image4D {
    const tf = this.tf;
    const a = this.separable(activateInput ? tf.relu(x) : x, `${prefix}/separable_conv0`, 'relu');
    const b = this.separable(a, `${prefix}/separable_conv1`, 'linear');
    return tf.add(tf.maxPool(b, 3, 2, 'same'), this.conv(x, `${prefix}/expansion_conv`, 2, 'linear'));
  }

  private mainBlock(x: Image4D, prefix: string): Image4D {
    const a = this.separable(this.tf.relu(x), `${prefix}/separable_conv0`, 'relu');
    const b = this.separable(a, `${prefix}/separable_conv1`, 'relu');
    return this.tf.add(this.separable(b, `${prefix}/separable_conv2`, 'linear'), x);
  }
}
