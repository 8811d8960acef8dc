import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { AgeModel, FACERES_INPUT } from './age-model.ts';
import { fuseClippedRelus, type GraphNode } from './faceres-graph.ts';
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

  it('gives faceres’s outputs bit for bit (the fused model the age model loads against the shipped graph)', async () => {
    const fused = await AgeModel.load();
    assert.equal(fused.fusedClips, 27);
    const converter = require('@tensorflow/tfjs-converter') as {
      loadGraphModel(url: string): Promise<{
        execute(input: unknown): { shape: number[]; data(): Promise<Float32Array>; dispose(): void }[];
        dispose(): void;
      }>;
    };
    const tf = require('@tensorflow/tfjs-core') as {
      tensor4d(values: Float32Array, shape: number[], dtype: 'float32'): { dispose(): void };
    };
    const original = await converter.loadGraphModel(`${humanAssetPaths().modelBaseUrl}faceres.json`);
    const size = FACERES_INPUT * FACERES_INPUT * 3;
    const batch = new Float32Array(size);
    let seed = 11;
    for (let i = 0; i < size; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      batch[i] = seed / 2 ** 31;
    }
    const input = tf.tensor4d(batch, [1, FACERES_INPUT, FACERES_INPUT, 3], 'float32');
    const outputs = original.execute(input);
    const byWidth = async (width: number) => outputs.find((o) => o.shape[1] === width)!.data();
    const expected = { age: await byWidth(100), gender: await byWidth(1), descriptor: await byWidth(1024) };
    for (const o of outputs) o.dispose();
    input.dispose();
    original.dispose();
    assert.deepEqual(await fused.run(batch, 1), expected);
    fused.dispose();
  });
});
