import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { FACES_DIR } from '../testing/faces.ts';
import { AgeModel, FACERES_INPUT, greyView } from './age-model.ts';
import {
  type ConstReader,
  type ConstValue,
  foldBatchNorms,
  foldNormWeights,
  fuseClippedRelus,
  type GraphNode,
  replaceWeights,
  weightLayout,
} from './faceres-graph.ts';
import { humanAssetPaths } from './human-loader.ts';

const require = createRequire(import.meta.url);

const node = (name: string, op: string, ...input: string[]): GraphNode => ({ name, op, input });

describe('fuseClippedRelus', () => {
  it('turns Relu → Minimum(6) → Maximum(0) into one Relu6 under the Maximum’s name', () => {
    const graph = [
      node('x', 'Placeholder'),
      node('six', 'Const'),
      node('zero', 'Const'),
      node('relu', 'Relu', 'x'),
      node('min', 'Minimum', 'relu', 'six'),
      node('max', 'Maximum', 'min', 'zero'),
      node('next', 'Conv2D', 'max:0', 'w'),
    ];
    const { nodes, removed } = fuseClippedRelus(graph);
    assert.deepEqual(
      nodes.map((n) => [n.name, n.op, n.input ?? []]),
      [
        ['x', 'Placeholder', []],
        ['six', 'Const', []],
        ['zero', 'Const', []],
        ['max', 'Relu6', ['x']],
        ['next', 'Conv2D', ['max:0', 'w']],
      ],
    );
    assert.deepEqual(removed, [{ upper: 'six', lower: 'zero' }]);
  });

  it('leaves a chain whose Relu or Minimum is read elsewhere, and other shapes of graph, as they are', () => {
    const shared = [
      node('x', 'Placeholder'),
      node('six', 'Const'),
      node('zero', 'Const'),
      node('relu', 'Relu', 'x'),
      node('min', 'Minimum', 'relu', 'six'),
      node('max', 'Maximum', 'min', 'zero'),
      node('skip', 'AddV2', 'relu', 'max'),
    ];
    assert.deepEqual(fuseClippedRelus(shared), { nodes: shared, removed: [] });
    const swapped = [
      node('x', 'Placeholder'),
      node('six', 'Const'),
      node('zero', 'Const'),
      node('max', 'Maximum', 'x', 'zero'),
      node('min', 'Minimum', 'max', 'six'),
    ];
    assert.deepEqual(fuseClippedRelus(swapped), { nodes: swapped, removed: [] });
  });
});

describe('foldBatchNorms', () => {
  const attr = { strides: { list: { i: ['1', '2', '2', '1'] } }, padding: { s: 'U0FNRQ==' } };
  const fusedOps = (n: GraphNode | undefined) =>
    ((n?.attr?.fused_ops as { list?: { s?: string[] } } | undefined)?.list?.s ?? []).map((s) => atob(s));

  it('turns Conv2D → Add(bias) → Relu6 into one _FusedConv2D [BiasAdd, Relu6] under the Relu6’s name', () => {
    const graph = [
      node('x', 'Placeholder'),
      node('w', 'Const'),
      node('b', 'Const'),
      { ...node('conv', 'Conv2D', 'x', 'w'), attr },
      node('add', 'Add', 'conv', 'b'),
      node('act', 'Relu6', 'add'),
      node('next', 'Mean', 'act'),
    ];
    const { nodes, folded } = foldBatchNorms(graph);
    assert.deepEqual(
      nodes.map((n) => [n.name, n.op, n.input ?? []]),
      [
        ['x', 'Placeholder', []],
        ['w', 'Const', []],
        ['b', 'Const', []],
        ['act', '_FusedConv2D', ['x', 'w', 'b']],
        ['next', 'Mean', ['act']],
      ],
    );
    const fused = nodes.find((n) => n.name === 'act');
    assert.deepEqual(fusedOps(fused), ['BiasAdd', 'Relu6']);
    assert.deepEqual(fused?.attr?.num_args, { i: '1' });
    assert.deepEqual(fused?.attr?.strides, attr.strides);
    assert.deepEqual(folded, [{ kernel: 'w', bias: 'b', depthwise: false }]);
  });

  it('turns DepthwiseConv2dNative → Mul(scale) → Add(bias) → Relu6 into one FusedDepthwiseConv2dNative', () => {
    const graph = [
      node('x', 'Placeholder'),
      node('k', 'Const'),
      node('s', 'Const'),
      node('b', 'Const'),
      { ...node('dw', 'DepthwiseConv2dNative', 'x', 'k'), attr },
      node('mul', 'Mul', 'dw', 's'),
      node('add', 'Add', 'b', 'mul'),
      node('act', 'Relu6', 'add'),
    ];
    const { nodes, folded } = foldBatchNorms(graph);
    assert.deepEqual(
      nodes.map((n) => [n.name, n.op, n.input ?? []]),
      [
        ['x', 'Placeholder', []],
        ['k', 'Const', []],
        ['s', 'Const', []],
        ['b', 'Const', []],
        ['act', 'FusedDepthwiseConv2dNative', ['x', 'k', 'b']],
      ],
    );
    assert.deepEqual(fusedOps(nodes.at(-1)), ['BiasAdd', 'Relu6']);
    assert.deepEqual(folded, [{ kernel: 'k', scale: 's', bias: 'b', depthwise: true }]);
  });

  it('leaves chains whose intermediate values are read elsewhere, or whose kernel is shared, as they are', () => {
    const readTwice = [
      node('x', 'Placeholder'),
      node('w', 'Const'),
      node('b', 'Const'),
      node('conv', 'Conv2D', 'x', 'w'),
      node('add', 'Add', 'conv', 'b'),
      node('act', 'Relu6', 'add'),
      node('skip', 'AddV2', 'conv', 'act'),
    ];
    assert.deepEqual(foldBatchNorms(readTwice), { nodes: readTwice, folded: [] });
    const sharedKernel = [
      node('x', 'Placeholder'),
      node('k', 'Const'),
      node('s', 'Const'),
      node('b', 'Const'),
      node('dw', 'DepthwiseConv2dNative', 'x', 'k'),
      node('mul', 'Mul', 'dw', 's'),
      node('add', 'Add', 'mul', 'b'),
      node('act', 'Relu6', 'add'),
      node('dw2', 'DepthwiseConv2dNative', 'act', 'k'),
    ];
    assert.deepEqual(foldBatchNorms(sharedKernel), { nodes: sharedKernel, folded: [] });
  });
});

describe('foldNormWeights', () => {
  const c = (shape: number[], ...values: number[]) => ({ shape, values: Float32Array.from(values) });
  const lookup = (entries: [string, ConstValue][]): ConstReader => {
    const map = new Map(entries);
    return { shape: (name) => map.get(name)?.shape, value: (name) => map.get(name) };
  };

  it('multiplies each output channel of a depthwise kernel by its scale', () => {
    const kernels = foldNormWeights(
      lookup([
        ['k', c([1, 1, 2, 2], 1, 2, 3, 4)],
        ['s', c([4], 10, 100, 1000, 10000)],
        ['b', c([4], 0, 0, 0, 0)],
        ['w', c([1, 1, 2, 3], 1, 1, 1, 1, 1, 1)],
        ['bw', c([3], 1, 2, 3)],
      ]),
      [
        { kernel: 'k', scale: 's', bias: 'b', depthwise: true },
        { kernel: 'w', bias: 'bw', depthwise: false },
      ],
    );
    assert.deepEqual([...(kernels?.keys() ?? [])], ['k']);
    assert.deepEqual([...(kernels?.get('k')?.values ?? [])], [10, 200, 3000, 40000]);
  });

  it('refuses a bias or scale that is not one value per output channel', () => {
    const kernel = c([1, 1, 2, 1], 1, 2);
    const fold = { kernel: 'k', scale: 's', bias: 'b', depthwise: true };
    const two = c([2], 1, 1);
    assert.equal(
      foldNormWeights(
        lookup([
          ['k', kernel],
          ['s', c([], 2)],
          ['b', two],
        ]),
        [fold],
      ),
      undefined,
    );
    assert.equal(
      foldNormWeights(
        lookup([
          ['k', kernel],
          ['s', two],
          ['b', c([3], 1, 1, 1)],
        ]),
        [fold],
      ),
      undefined,
    );
    assert.equal(
      foldNormWeights(
        lookup([
          ['k', kernel],
          ['s', two],
        ]),
        [fold],
      ),
      undefined,
    );
  });
});

describe('replaceWeights', () => {
  it('appends the replaced entries as float32 and leaves the original bytes as they are, the old entries renamed', () => {
    const specs = [
      { name: 'a', shape: [3], dtype: 'float32', quantization: { dtype: 'float16' } },
      { name: 'k', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
      { name: 'b', shape: [1], dtype: 'int32' },
    ];
    const data = Uint8Array.from({ length: 6 + 4 + 4 }, (_, i) => i).buffer;
    assert.deepEqual(
      [...(weightLayout(specs)?.values() ?? [])].map((e) => [e.offset, e.bytes]),
      [
        [0, 6],
        [6, 4],
        [10, 4],
      ],
    );
    const out = replaceWeights(
      specs,
      data,
      new Map([['k', { shape: [2], values: Float32Array.of(1.5, -2) }]]),
    );
    assert.deepEqual(out?.weightSpecs, [
      specs[0],
      { ...specs[1], name: 'k/replaced' },
      specs[2],
      { name: 'k', shape: [2], dtype: 'float32' },
    ]);
    assert.equal(out?.weightData[0], data);
    assert.deepEqual([...new Float32Array(out!.weightData[1]!)], [1.5, -2]);
    const wrongCount = new Map([['k', { shape: [3], values: Float32Array.of(1, 2, 3) }]]);
    assert.equal(replaceWeights(specs, data, wrongCount), undefined);
    assert.equal(weightLayout([{ name: 's', shape: [1], dtype: 'string' }]), undefined);
  });
});

describe('the optimised faceres', () => {
  it('gives the shipped graph’s outputs within 1e-5 (age bins, gender) and 5e-5 (descriptor) on real face crops', async () => {
    const optimised = await AgeModel.load();
    assert.equal(optimised.fusedClips, 27);
    assert.equal(optimised.foldedNorms, 27);
    const converter = require('@tensorflow/tfjs-converter') as {
      loadGraphModel(url: string): Promise<{
        execute(input: unknown): { shape: number[]; data(): Promise<Float32Array>; dispose(): void }[];
        dispose(): void;
      }>;
    };
    const tf = require('@tensorflow/tfjs-core') as {
      tensor4d(values: Float32Array, shape: number[], dtype: 'float32'): { dispose(): void };
    };
    const shipped = await converter.loadGraphModel(`${humanAssetPaths().modelBaseUrl}faceres.json`);
    const folder = join(FACES_DIR, 'fairface', 'images');
    const photos = (await readdir(folder))
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .filter((_, i) => i % 16 === 0);
    assert.ok(photos.length >= 10);
    const worst = { age: 0, gender: 0, descriptor: 0 };
    for (const photo of photos) {
      const rgb = await sharp(join(folder, photo))
        .resize(FACERES_INPUT, FACERES_INPUT)
        .removeAlpha()
        .raw()
        .toBuffer();
      const batch = new Float32Array(rgb.length);
      for (let i = 0; i < rgb.length; i += 3) batch.set([rgb[i + 2]!, rgb[i + 1]!, rgb[i]!], i);
      const input = tf.tensor4d(batch, [1, FACERES_INPUT, FACERES_INPUT, 3], 'float32');
      const outputs = shipped.execute(input);
      const byWidth = async (width: number) => outputs.find((o) => o.shape[1] === width)!.data();
      const expected = { age: await byWidth(100), gender: await byWidth(1), descriptor: await byWidth(1024) };
      for (const o of outputs) o.dispose();
      input.dispose();
      const ageBatch = greyView();
      ageBatch.set(batch);
      const actual = await optimised.run(ageBatch, 1);
      for (const key of ['age', 'gender', 'descriptor'] as const) {
        assert.equal(actual[key].length, expected[key].length);
        for (let i = 0; i < expected[key].length; i++)
          worst[key] = Math.max(worst[key], Math.abs(actual[key][i]! - expected[key][i]!));
      }
    }
    shipped.dispose();
    optimised.dispose();
    assert.ok(worst.age <= 1e-5 && worst.gender <= 1e-5 && worst.descriptor <= 5e-5, JSON.stringify(worst));
  });
});
