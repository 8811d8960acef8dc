import type { Point } from '../geometry/polygon.ts';
import type { Component } from './components.ts';

/**
 * The main path of one skeleton component: the longest geodesic (two Dijkstra sweeps over the
 * component's 8-neighbour graph, diagonal steps √2), as an ordered list of pixel centres, with its
 * length in px. Side branches (spurs) are dropped, so the length is the line's, not the tree's.
 */
export interface SkeletonPath {
  points: Point[];
  lengthPx: number;
}

export function mainPath(component: Component, width: number): SkeletonPath {
  const ids = component.pixels;
  const index = new Map<number, number>();
  for (let k = 0; k < ids.length; k++) index.set(ids[k]!, k);
  const a = geodesicSweep(ids, index, width, 0).far;
  const { far: b, dist, prev } = geodesicSweep(ids, index, width, a);
  const points: Point[] = [];
  for (let k = b; k !== -1; k = prev[k]!) {
    const i = ids[k]!;
    const x = i % width;
    points.push([x + 0.5, (i - x) / width + 0.5]);
  }
  return { points, lengthPx: dist[b]! };
}

/** Dijkstra from pixel `from` (an index into `ids`) over the component: distances, predecessors and the farthest pixel. */
function geodesicSweep(
  ids: Int32Array,
  index: Map<number, number>,
  width: number,
  from: number,
): { far: number; dist: Float64Array; prev: Int32Array } {
  const dist = new Float64Array(ids.length).fill(Number.POSITIVE_INFINITY);
  const prev = new Int32Array(ids.length).fill(-1);
  dist[from] = 0;
  const done = new Uint8Array(ids.length);
  // Components are thin lines: a simple bucket-free Dijkstra over a small array is fast enough.
  const queue: number[] = [from];
  while (queue.length) {
    let best = 0;
    for (let q = 1; q < queue.length; q++) if (dist[queue[q]!]! < dist[queue[best]!]!) best = q;
    const k = queue[best]!;
    queue[best] = queue[queue.length - 1]!;
    queue.pop();
    if (done[k]) continue;
    done[k] = 1;
    const i = ids[k]!;
    const x = i % width;
    const y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if (!dx && !dy) continue;
        const j = index.get((y + dy) * width + x + dx);
        if (j === undefined || done[j] || x + dx < 0 || x + dx >= width) continue;
        const d = dist[k]! + (dx && dy ? Math.SQRT2 : 1);
        if (d < dist[j]!) {
          dist[j] = d;
          prev[j] = k;
          queue.push(j);
        }
      }
    }
  }
  let far = from;
  for (let k = 0; k < ids.length; k++)
    if (dist[k]! < Number.POSITIVE_INFINITY && dist[k]! > dist[far]!) far = k;
  return { far, dist, prev };
}

/** Douglas-Peucker simplification of an open polyline with tolerance `eps` px. */
export function simplifyPolyline(points: readonly Point[], eps: number): Point[] {
  if (points.length <= 2) return points.slice();
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [s, e] = stack.pop()!;
    const [ax, ay] = points[s]!;
    const [bx, by] = points[e]!;
    const len = Math.hypot(bx - ax, by - ay) || 1;
    let worst = -1;
    let worstD = eps;
    for (let k = s + 1; k < e; k++) {
      const [px, py] = points[k]!;
      const d = Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / len;
      if (d > worstD) {
        worst = k;
        worstD = d;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([s, worst], [worst, e]);
    }
  }
  return points.filter((_, k) => keep[k]);
}
