import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type * as tfc from '@tensorflow/tfjs-core';
import { buildFaceGeometry } from '../geometry/face-geometry.ts';
import { decodeImage } from '../image/decode.ts';
import { FACES_DIR } from '../testing/faces.ts';
import { AgeModel } from './age-model.ts';
import {
  AgeRegressor,
  REGRESSOR_INPUT,
  REGRESSOR_VIEW_FLOATS,
  REGRESSOR_VIEWS,
  readRegressorWeights,
  renderRegressorViews,
} from './age-regressor.ts';
import { FaceModels } from './face-models.ts';

const require = createRequire(import.meta.url);

let faces: FaceModels;
let regressor: AgeRegressor;
let tf: typeof tfc;
before(async () => {
  faces = await FaceModels.load({ warmUp: false });
  await AgeModel.load();
  regressor = await AgeRegressor.load();
  tf = require('@tensorflow/tfjs-core') as typeof tfc;
});

async function viewsOf(file: string): Promise<Float32Array> {
  const decoded = await decodeImage(await readFile(join(FACES_DIR, 'fairface', file)));
  const [detected] = await faces.detect(decoded.rgb);
  assert.ok(detected, file);
  const out = new Float32Array(REGRESSOR_VIEWS.length * REGRESSOR_VIEW_FLOATS);
  renderRegressorViews(decoded.rgb, buildFaceGeometry(detected, decoded.rgb), out);
  return out;
}

/** face-api's AgeGenderNet age head written op by op as in its sources (no fused bias or activation). */
async function referenceAges(batch: Float32Array, n: number): Promise<Float32Array> {
  const w = (await readRegressorWeights(tf)) as Record<string, tfc.Tensor4D>;
  const conv = (x: tfc.Tensor4D, p: string, s: number) =>
    tf.add(tf.conv2d(x, w[`${p}/filters`]!, s, 'same'), w[`${p}/bias`]!);
  const sep = (x: tfc.Tensor4D, p: string): tfc.Tensor4D =>
    tf.add(
      tf.separableConv2d(x, w[`${p}/depthwise_filter`]!, w[`${p}/pointwise_filter`]!, 1, 'same'),
      w[`${p}/bias`]!,
    );
  const reduction = (x: tfc.Tensor4D, p: string, act: boolean) => {
    let o = sep(act ? tf.relu(x) : x, `${p}/separable_conv0`);
    o = sep(tf.relu(o), `${p}/separable_conv1`);
    return tf.add(tf.maxPool(o, 3, 2, 'same'), conv(x, `${p}/expansion_conv`, 2)) as tfc.Tensor4D;
  };
  const main = (x: tfc.Tensor4D, p: string) => {
    let o = sep(tf.relu(x), `${p}/separable_conv0`);
    o = sep(tf.relu(o), `${p}/separable_conv1`);
    return tf.add(sep(tf.relu(o), `${p}/separable_conv2`), x) as tfc.Tensor4D;
  };
  const out = tf.tidy(() => {
    const input = tf.tensor4d(batch, [n, REGRESSOR_INPUT, REGRESSOR_INPUT, 3]);
    let x = tf.relu(conv(input, 'entry_flow/conv_in', 2)) as tfc.Tensor4D;
    x = reduction(x, 'entry_flow/reduction_block_0', false);
    x = reduction(x, 'entry_flow/reduction_block_1', true);
    x = main(x, 'middle_flow/main_block_0');
    x = main(x, 'middle_flow/main_block_1');
    x = reduction(x, 'exit_flow/reduction_block', true);
    x = tf.relu(sep(x, 'exit_flow/separable_conv'));
    const pooled = tf.reshape(tf.avgPool(x, 7, 2, 'valid'), [n, -1]) as tfc.Tensor2D;
    return tf.add(tf.matMul(pooled, w['fc/age/weights']! as unknown as tfc.Tensor2D), w['fc/age/bias']!);
  });
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
    for (const t of Object.values(w)) t.dispose();
  }
}

describe('the age regressor (face-api age network)', () => {
  it('gives what the network written op by op gives', async () => {
    const batch = await viewsOf('images/fairface_0116.jpg');
    const fused = await regressor.run(batch, REGRESSOR_VIEWS.length);
    const reference = await referenceAges(batch, REGRESSOR_VIEWS.length);
    assert.equal(fused.length, REGRESSOR_VIEWS.length);
    for (const [i, age] of fused.entries())
      assert.ok(Math.abs(age - reference[i]!) < 0.01, `${age} vs ${reference[i]}`);
  });

  it('reads a face in its 70s as older than a face in its 20s, each view alike', async () => {
    const young = await regressor.run(await viewsOf('images/fairface_0116.jpg'), REGRESSOR_VIEWS.length);
    const old = await regressor.run(await viewsOf('images/fairface_0526.jpg'), REGRESSOR_VIEWS.length);
    for (const a of young) assert.ok(a > 12 && a < 40, `20-29 face: ${a}`);
    for (const a of old) assert.ok(a > 50, `70+ face: ${a}`);
  });
});
