import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** One node of a tfjs graph model's topology (a TensorFlow NodeDef as JSON). */
export interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, unknown>;
  device?: string;
}

/** A clip that fuseClippedRelus removed: the names of its upper (6) and lower (0) bound constants. */
export interface RemovedClip {
  upper: string;
  lower: string;
}

/** The node a graph input refers to (`name`, `name:1` or the control input `^name`). */
function nodeOf(input: string): string {
  return input.replace(/^\^/, '').replace(/:\d+$/, '');
}

/**
 * faceres (a Keras MobileNet) clips each ReLU with two broadcasting ops: Relu → Minimum(·, 6) →
 * Maximum(·, 0), Keras's ReLU6. Each such chain becomes one Relu6 node, which gives the same values
 * (min(max(x, 0), 6)) in one pass over the tensor instead of three: on tfjs-wasm the two
 * broadcasting ops cost more than the convolutions they follow. The Relu6 node takes the Maximum's
 * name, so its consumers are unchanged; a chain is only fused when the Relu and the Minimum have no
 * other consumer. The bounds' constants stay in the graph, unused: the caller checks, once the
 * weights are loaded, that each removed clip's constants are 6 and 0.
 */
export function fuseClippedRelus(nodes: readonly GraphNode[]): {
  nodes: GraphNode[];
  removed: RemovedClip[];
} {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const consumers = new Map<string, number>();
  for (const n of nodes)
    for (const input of n.input ?? []) consumers.set(nodeOf(input), (consumers.get(nodeOf(input)) ?? 0) + 1);
  const dropped = new Set<string>();
  const replaced = new Map<string, GraphNode>();
  const removed: RemovedClip[] = [];
  for (const max of nodes) {
    if (max.op !== 'Maximum' || max.input?.length !== 2) continue;
    const min = byName.get(nodeOf(max.input[0]!));
    const lower = byName.get(nodeOf(max.input[1]!));
    if (min?.op !== 'Minimum' || min.input?.length !== 2 || lower?.op !== 'Const') continue;
    const relu = byName.get(nodeOf(min.input[0]!));
    const upper = byName.get(nodeOf(min.input[1]!));
    if (relu?.op !== 'Relu' || relu.input?.length !== 1 || upper?.op !== 'Const') continue;
    if (consumers.get(relu.name) !== 1 || consumers.get(min.name) !== 1) continue;
    dropped.add(relu.name);
    dropped.add(min.name);
    replaced.set(max.name, { ...max, op: 'Relu6', input: [...relu.input], attr: relu.attr });
    removed.push({ upper: upper.name, lower: lower.name });
  }
  return {
    nodes: nodes.filter((n) => !dropped.has(n.name)).map((n) => replaced.get(n.name) ?? n),
    removed,
  };
}

/**
 * A batch norm that foldBatchNorms moved into the convolution before it: the kernel constant, the
 * per-channel scale that multiplies into the kernel (depthwise convolutions only), and the
 * per-channel constant that becomes the fused op's bias.
 */
export interface FoldedNorm {
  kernel: string;
  scale?: string;
  bias: string;
  depthwise: boolean;
}

/**
 * faceres keeps Keras's batch norms as broadcasting ops after each convolution: Conv2D → Add(bias)
 * → Relu6, and DepthwiseConv2dNative → Mul(scale) → Add(bias) → Relu6 (after fuseClippedRelus).
 * Each such chain becomes one tfjs fused op (`_FusedConv2D` or `FusedDepthwiseConv2dNative` with
 * fused_ops [BiasAdd, Relu6]) under the Relu6's name, which adds the bias and clips inside the
 * convolution's pass. A depthwise chain's scale is to be multiplied into its kernel (foldNormWeights);
 * the graph then reads the kernel constant as already scaled. A chain is only fused when each of its
 * intermediate nodes, and a depthwise kernel, has no other consumer; foldNormWeights checks the
 * constants' shapes on the decoded weights.
 */
export function foldBatchNorms(nodes: readonly GraphNode[]): { nodes: GraphNode[]; folded: FoldedNorm[] } {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const consumers = new Map<string, number>();
  for (const n of nodes)
    for (const input of n.input ?? []) consumers.set(nodeOf(input), (consumers.get(nodeOf(input)) ?? 0) + 1);
  const only = (n: GraphNode | undefined) => n !== undefined && consumers.get(n.name) === 1;
  const splitConst = (n: GraphNode | undefined) => {
    if (n?.input?.length !== 2) return undefined;
    const [a, b] = n.input.map((i) => byName.get(nodeOf(i)));
    if (b?.op === 'Const' && a && a.op !== 'Const') return { value: a, constant: b };
    if (a?.op === 'Const' && b && b.op !== 'Const') return { value: b, constant: a };
    return undefined;
  };
  const dropped = new Set<string>();
  const replaced = new Map<string, GraphNode>();
  const folded: FoldedNorm[] = [];
  const fusedAttr = (conv: GraphNode) => ({
    ...conv.attr,
    fused_ops: { list: { s: [btoa('BiasAdd'), btoa('Relu6')] } },
    num_args: { i: '1' },
    epsilon: { f: 0 },
  });
  for (const relu6 of nodes) {
    if (relu6.op !== 'Relu6' || relu6.input?.length !== 1) continue;
    const add = byName.get(nodeOf(relu6.input[0]!));
    if (add?.op !== 'Add' && add?.op !== 'AddV2') continue;
    const biased = splitConst(add);
    if (!biased || !only(add) || !only(biased.value)) continue;
    const conv = biased.value;
    const bias = biased.constant.name;
    if (conv.op === 'Conv2D' && conv.input?.length === 2) {
      const kernel = byName.get(nodeOf(conv.input[1]!));
      if (kernel?.op !== 'Const') continue;
      dropped.add(add.name).add(conv.name);
      replaced.set(relu6.name, {
        ...relu6,
        op: '_FusedConv2D',
        input: [conv.input[0]!, conv.input[1]!, biased.constant.name],
        attr: fusedAttr(conv),
      });
      folded.push({ kernel: kernel.name, bias, depthwise: false });
      continue;
    }
    if (conv.op !== 'Mul') continue;
    const scaled = splitConst(conv);
    const depthwise = scaled?.value;
    if (!scaled || depthwise?.op !== 'DepthwiseConv2dNative' || depthwise.input?.length !== 2) continue;
    const kernel = byName.get(nodeOf(depthwise.input[1]!));
    if (!only(depthwise) || kernel?.op !== 'Const' || !only(kernel)) continue;
    dropped.add(add.name).add(conv.name).add(depthwise.name);
    replaced.set(relu6.name, {
      ...relu6,
      op: 'FusedDepthwiseConv2dNative',
      input: [depthwise.input[0]!, depthwise.input[1]!, biased.constant.name],
      attr: fusedAttr(depthwise),
    });
    folded.push({ kernel: kernel.name, scale: scaled.constant.name, bias, depthwise: true });
  }
  return {
    nodes: nodes.filter((n) => !dropped.has(n.name)).map((n) => replaced.get(n.name) ?? n),
    folded,
  };
}

/** A constant's shape and float values. */
export interface ConstValue {
  shape: number[];
  values: Float32Array;
}

/** Reads a model's constants by name: the shape alone (cheap) or the values too. */
export interface ConstReader {
  shape(name: string): number[] | undefined;
  value(name: string): ConstValue | undefined;
}

/**
 * The depthwise kernels of foldBatchNorms's folds with their chain's scale multiplied in, by kernel
 * name (a depthwise kernel [h, w, in, multiplier] holds output channel i·multiplier + m at
 * [·, ·, i, m], so the channels are the innermost index); undefined when a kernel is not rank 4 or a
 * bias or scale is not one value per output channel. Only the depthwise kernels and scales are read
 * in full.
 */
export function foldNormWeights(
  constants: ConstReader,
  folded: readonly FoldedNorm[],
): Map<string, ConstValue> | undefined {
  const kernels = new Map<string, ConstValue>();
  for (const fold of folded) {
    const shape = constants.shape(fold.kernel);
    if (shape?.length !== 4) return undefined;
    const channels = fold.depthwise ? shape[2]! * shape[3]! : shape[3]!;
    const perChannel = (s: number[] | undefined) => s?.length === 1 && s[0] === channels;
    if (!perChannel(constants.shape(fold.bias))) return undefined;
    if (!fold.scale) continue;
    const kernel = constants.value(fold.kernel);
    const scale = constants.value(fold.scale);
    if (!kernel || !scale || !perChannel(scale.shape)) return undefined;
    const values = new Float32Array(kernel.values.length);
    for (let i = 0; i < values.length; i++) values[i] = kernel.values[i]! * scale.values[i % channels]!;
    kernels.set(fold.kernel, { shape: kernel.shape, values });
  }
  return kernels;
}

/** One entry of a graph model's weights manifest (tfjs's WeightsManifestEntry, the fields used here). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}

const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
const BYTES_PER_QUANTIZED: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

/**
 * Where each weight lies in a model's weight data (entries are stored back to back, in the order of
 * the specs), by name; undefined when an entry's storage type is not a fixed-size one.
 */
export function weightLayout(
  specs: readonly WeightSpec[],
): Map<string, { spec: WeightSpec; offset: number; bytes: number }> | undefined {
  const layout = new Map<string, { spec: WeightSpec; offset: number; bytes: number }>();
  let offset = 0;
  for (const spec of specs) {
    const size = spec.quantization
      ? BYTES_PER_QUANTIZED[spec.quantization.dtype]
      : BYTES_PER_VALUE[spec.dtype];
    if (size === undefined) return undefined;
    const bytes = size * spec.shape.reduce((n, d) => n * d, 1);
    layout.set(spec.name, { spec, offset, bytes });
    offset += bytes;
  }
  return layout;
}

/**
 * The weight specs and data with new float32 values for the entries named in `replaced` (same
 * shapes), without copying the rest: the data becomes two shards, the original bytes (each replaced
 * entry still there, renamed `<name>/replaced`, which no node reads) and the new values; undefined
 * when a replaced entry is missing or its value count differs, or the layout is unknown (weightLayout).
 */
export function replaceWeights(
  specs: readonly WeightSpec[],
  data: ArrayBuffer,
  replaced: ReadonlyMap<string, ConstValue>,
): { weightSpecs: WeightSpec[]; weightData: ArrayBuffer[] } | undefined {
  const layout = weightLayout(specs);
  if (!layout) return undefined;
  for (const [name, values] of replaced) {
    const entry = layout.get(name);
    if (!entry || values.values.length !== entry.spec.shape.reduce((n, d) => n * d, 1)) return undefined;
  }
  const added = new Float32Array([...replaced.values()].reduce((n, v) => n + v.values.length, 0));
  let offset = 0;
  for (const v of replaced.values()) {
    added.set(v.values, offset);
    offset += v.values.length;
  }
  return {
    weightSpecs: [
      ...specs.map((spec) => (replaced.has(spec.name) ? { ...spec, name: `${spec.name}/replaced` } : spec)),
      ...[...replaced].map(([name, v]) => ({ name, shape: v.shape, dtype: 'float32' })),
    ],
    weightData: [data, added.buffer],
  };
}

/** A tfjs graph model's files as tfjs's `io.fromMemory`/`loadGraphModel` take them. */
export interface GraphModelArtifacts {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  modelTopology: { node: GraphNode[] } & Record<string, unknown>;
  weightSpecs: WeightSpec[];
  /** The weights' bytes, in one buffer or in shards read as one (tfjs's WeightData). */
  weightData: ArrayBuffer | ArrayBuffer[];
}

/** A graph model as read from its files: the weights in one buffer. */
export interface StoredGraphModel extends GraphModelArtifacts {
  weightData: ArrayBuffer;
}

/** Reads a graph model's JSON and its weight files (every shard, in order) from a local path. */
export async function readGraphModel(jsonPath: string): Promise<StoredGraphModel> {
  const json = JSON.parse(await readFile(jsonPath, 'utf8')) as {
    format?: string;
    generatedBy?: string;
    convertedBy?: string | null;
    signature?: unknown;
    modelTopology: GraphModelArtifacts['modelTopology'];
    weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  };
  const shards = await Promise.all(
    json.weightsManifest.flatMap((group) => group.paths).map((p) => readFile(join(dirname(jsonPath), p))),
  );
  const weightData = new Uint8Array(shards.reduce((sum, s) => sum + s.byteLength, 0));
  let offset = 0;
  for (const shard of shards) {
    weightData.set(shard, offset);
    offset += shard.byteLength;
  }
  return {
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: weightData.buffer,
  };
}
