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

/** A tfjs graph model's files as tfjs's `io.fromMemory`/`loadGraphModel` take them. */
export interface GraphModelArtifacts {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  modelTopology: { node: GraphNode[] } & Record<string, unknown>;
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
}

/** Reads a graph model's JSON and its weight files (every shard, in order) from a local path. */
export async function readGraphModel(jsonPath: string): Promise<GraphModelArtifacts> {
  const json = JSON.parse(await readFile(jsonPath, 'utf8')) as {
    format?: string;
    generatedBy?: string;
    convertedBy?: string | null;
    signature?: unknown;
    modelTopology: GraphModelArtifacts['modelTopology'];
    weightsManifest: { paths: string[]; weights: unknown[] }[];
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
