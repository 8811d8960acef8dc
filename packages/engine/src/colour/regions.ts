import type { Point } from '../geometry/polygon.ts';
import { frameInt32, frameUint8, giveBack } from '../image/frame-buffers.ts';
import type { MaskFeature } from '../result/result-shape.ts';

/**
 * Connected regions of a binary map (8-connectivity) and their outer contours, for spot and
 * heatmap masks. The label maps are frame buffers (image/frame-buffers.ts): inside a metric run
 * they are lent for the run and must not outlive it.
 */
export interface Region {
  /** Label in `labels` (1-based). */
  label: number;
  /** Pixel count. */
  area: number;
  /** Index of the first pixel in raster order (a contour start). */
  start: number;
  cx: number;
  cy: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Sum of the `weights` values over the region (0 when none given). */
  weight: number;
}

export interface Labelling {
  labels: Int32Array;
  regions: Region[];
}

/**
 * Labels the 8-connected regions of `on` (non-zero = set) over a width × height grid. Labels follow
 * the raster order of each region's first pixel. With `weights`, a flood fill in a fixed order (it
 * sets the float sum order of `weight`); without, two raster passes over a union-find of provisional
 * labels, which give the same labels and regions at a fraction of the cost on large regions.
 */
export function labelRegions(
  on: Uint8Array,
  width: number,
  height: number,
  weights?: Float32Array,
): Labelling {
  return weights ? floodLabels(on, width, height, weights) : scanLabels(on, width, height);
}

function floodLabels(on: Uint8Array, width: number, height: number, weights: Float32Array): Labelling {
  const labels = frameInt32(on.length);
  const regions: Region[] = [];
  let stack = new Int32Array(Math.min(on.length, 4096));
  for (let s = 0; s < on.length; s++) {
    if (!on[s] || labels[s]) continue;
    const label = regions.length + 1;
    let area = 0;
    let sx = 0;
    let sy = 0;
    let weight = 0;
    let x0 = width;
    let y0 = height;
    let x1 = -1;
    let y1 = -1;
    let top = 0;
    stack[top++] = s;
    labels[s] = label;
    while (top > 0) {
      const i = stack[--top]!;
      const x = i % width;
      const y = (i - x) / width;
      area++;
      sx += x;
      sy += y;
      weight += weights[i]!;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      // Neighbours in raster order (the traversal order sets the float sum order of `weight`).
      const left = x > 0 ? -1 : 0;
      const right = x < width - 1 ? 1 : 0;
      for (let dy = y > 0 ? -1 : 0, dyEnd = y < height - 1 ? 1 : 0; dy <= dyEnd; dy++) {
        const row = i + dy * width;
        for (let dx = left; dx <= right; dx++) {
          const j = row + dx;
          if (on[j] && !labels[j]) {
            labels[j] = label;
            if (top === stack.length) {
              const grown = new Int32Array(Math.min(on.length, 2 * stack.length));
              grown.set(stack);
              stack = grown;
            }
            stack[top++] = j;
          }
        }
      }
    }
    regions.push({ label, area, start: s, cx: sx / area, cy: sy / area, x0, y0, x1, y1, weight });
  }
  return { labels, regions };
}

/** Root of provisional label `l`, halving the path on the way. */
function rootOf(parent: Int32Array, l: number): number {
  let r = l;
  while (parent[r] !== r) {
    parent[r] = parent[parent[r]!]!;
    r = parent[r]!;
  }
  return r;
}

function scanLabels(on: Uint8Array, width: number, height: number): Labelling {
  const labels = frameInt32(on.length);
  // A new provisional label needs a set pixel with its west and three north neighbours unset.
  const parent = frameInt32((on.length >> 1) + 2);
  let next = 0;
  const join = (a: number, b: number): number => {
    const ra = rootOf(parent, a);
    const rb = rootOf(parent, b);
    if (ra < rb) parent[rb] = ra;
    else parent[ra] = rb;
    return ra < rb ? ra : rb;
  };
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (!on[i]) continue;
      // A set north neighbour is already joined to the west and the other north neighbours (they
      // touch it and were scanned), as a set west neighbour is to the north-west one: only the
      // north-east one can need a join, when the north one is unset.
      let l = x > 0 ? labels[i - 1]! : 0;
      if (y > 0) {
        const up = i - width;
        if (labels[up]!) l = labels[up]!;
        else {
          if (l === 0 && x > 0) l = labels[up - 1]!;
          const ne = x < width - 1 ? labels[up + 1]! : 0;
          if (ne) l = l ? join(l, ne) : ne;
        }
      }
      if (l === 0) {
        l = ++next;
        parent[l] = l;
      }
      labels[i] = l;
    }
  }
  // Every label's parent is at most the label itself, so flattening in increasing order points
  // each at its root.
  for (let p = 1; p <= next; p++) parent[p] = parent[parent[p]!]!;
  // Second pass: final labels in raster order of first pixels, statistics in typed arrays per label.
  const final = new Int32Array(next + 1);
  const area = new Int32Array(next + 1);
  const start = new Int32Array(next + 1);
  const minX = new Int32Array(next + 1);
  const maxX = new Int32Array(next + 1);
  const minY = new Int32Array(next + 1);
  const maxY = new Int32Array(next + 1);
  const sumX = new Float64Array(next + 1);
  const sumY = new Float64Array(next + 1);
  let count = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const p = labels[i]!;
      if (!p) continue;
      const root = parent[p]!;
      let label = final[root]!;
      if (!label) {
        label = ++count;
        final[root] = label;
        start[label] = i;
        minX[label] = x;
        maxX[label] = x;
        minY[label] = y;
      }
      labels[i] = label;
      area[label]!++;
      sumX[label]! += x;
      sumY[label]! += y;
      if (x < minX[label]!) minX[label] = x;
      if (x > maxX[label]!) maxX[label] = x;
      maxY[label] = y;
    }
  }
  const regions: Region[] = [];
  for (let label = 1; label <= count; label++) {
    const n = area[label]!;
    regions.push({
      label,
      area: n,
      start: start[label]!,
      cx: sumX[label]! / n,
      cy: sumY[label]! / n,
      x0: minX[label]!,
      y0: minY[label]!,
      x1: maxX[label]!,
      y1: maxY[label]!,
      weight: 0,
    });
  }
  giveBack(parent);
  return { labels, regions };
}

const DX = [-1, -1, 0, 1, 1, 1, 0, -1];
const DY = [0, -1, -1, -1, 0, 1, 1, 1];

/**
 * Outer contour of one region by Moore-neighbour tracing (clockwise on screen), as pixel-centre
 * points, simplified (simplifyRing). A one-pixel region gives a one-point ring.
 */
export function traceContour(labelling: Labelling, region: Region, width: number, height: number): Point[] {
  const { labels } = labelling;
  const label = region.label;
  const inside = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] === label;
  const sx = region.start % width;
  const sy = (region.start - sx) / width;
  const ring: Point[] = [[sx, sy]];
  let x = sx;
  let y = sy;
  let back = 0; // direction (from the current pixel) of the last background pixel examined: west
  const limit = 4 * region.area + 16;
  let firstMove = -1;
  for (let step = 0; step < limit; step++) {
    let moved = -1;
    for (let k = 1; k <= 8; k++) {
      const dir = (back + k) % 8;
      if (inside(x + DX[dir]!, y + DY[dir]!)) {
        moved = dir;
        break;
      }
    }
    if (moved < 0) return ring;
    if (x === sx && y === sy) {
      if (firstMove < 0) firstMove = moved;
      else if (moved === firstMove) break;
    }
    x += DX[moved]!;
    y += DY[moved]!;
    // The neighbour examined just before `moved` was background; seen from the new pixel.
    const prevDir = (moved + 7) % 8;
    const bx = x - DX[moved]! + DX[prevDir]!;
    const by = y - DY[moved]! + DY[prevDir]!;
    back = directionOf(bx - x, by - y);
    if (x === sx && y === sy) continue;
    ring.push([x, y]);
  }
  return simplifyRing(ring);
}

function directionOf(dx: number, dy: number): number {
  for (let d = 0; d < 8; d++) if (DX[d] === dx && DY[d] === dy) return d;
  return 0;
}

/** Ring simplification tolerance, px (Douglas-Peucker): contours stay within half a pixel. */
export const CONTOUR_TOLERANCE_PX = 0.5;

/** Simplifies a closed pixel contour: collinear runs merged, then Douglas-Peucker at CONTOUR_TOLERANCE_PX. */
function simplifyRing(ring: Point[]): Point[] {
  const merged = mergeCollinear(ring);
  if (merged.length <= 8) return merged;
  // Split the ring at its first point and the point farthest from it; simplify both halves.
  const first = merged[0]!;
  let far = 1;
  let best = -1;
  for (let i = 1; i < merged.length; i++) {
    const d = (merged[i]![0] - first[0]) ** 2 + (merged[i]![1] - first[1]) ** 2;
    if (d > best) {
      best = d;
      far = i;
    }
  }
  const a = douglasPeucker(merged.slice(0, far + 1));
  const b = douglasPeucker([...merged.slice(far), first]);
  const out = [...a.slice(0, -1), ...b.slice(0, -1)];
  return out.length >= 3 ? out : merged;
}

function douglasPeucker(points: Point[]): Point[] {
  if (points.length <= 2) return points;
  const [ax, ay] = points[0]!;
  const [bx, by] = points[points.length - 1]!;
  const len = Math.hypot(bx - ax, by - ay);
  let index = 0;
  let dmax = 0;
  for (let i = 1; i < points.length - 1; i++) {
    const [px, py] = points[i]!;
    const d =
      len > 0 ? Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / len : Math.hypot(px - ax, py - ay);
    if (d > dmax) {
      dmax = d;
      index = i;
    }
  }
  if (dmax <= CONTOUR_TOLERANCE_PX) return [points[0]!, points[points.length - 1]!];
  const left = douglasPeucker(points.slice(0, index + 1));
  const right = douglasPeucker(points.slice(index));
  return [...left.slice(0, -1), ...right];
}

/** Drops points lying on the straight line between their neighbours. */
function mergeCollinear(ring: Point[]): Point[] {
  if (ring.length < 4) return ring;
  const out: Point[] = [];
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const p = ring[(i + n - 1) % n]!;
    const q = ring[i]!;
    const r = ring[(i + 1) % n]!;
    const cross = (q[0] - p[0]) * (r[1] - q[1]) - (q[1] - p[1]) * (r[0] - q[0]);
    if (cross !== 0) out.push(q);
  }
  return out.length >= 3 ? out : ring;
}

/** Perimeter of a closed ring, px. */
export function ringPerimeter(ring: readonly Point[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    s += Math.hypot(ring[i]![0] - ring[j]![0], ring[i]![1] - ring[j]![1]);
  return s;
}

/**
 * A GeoJSON polygon feature from a contour in frame coordinates, shifted to working-image
 * coordinates (pixel centres: + 0.5). A ring of one or two points becomes a small square.
 */
export function contourFeature(
  ring: readonly Point[],
  x0: number,
  y0: number,
  properties: Record<string, unknown>,
  holes: readonly (readonly Point[])[] = [],
): MaskFeature {
  const coordinates = [ring, ...holes.filter((h) => h.length >= 3)].map((r) => closedRing(r, x0, y0));
  return { type: 'Feature', geometry: { type: 'Polygon', coordinates }, properties };
}

/** A contour in frame pixels as a closed ring at pixel centres in image coordinates (one pixel: its square). */
function closedRing(ring: readonly Point[], x0: number, y0: number): Point[] {
  let pts: Point[] = [];
  for (const p of ring) pts.push([p[0] + x0 + 0.5, p[1] + y0 + 0.5]);
  if (pts.length < 3) {
    const [cx, cy] = pts[0] ?? [x0, y0];
    pts = [
      [cx - 0.5, cy - 0.5],
      [cx + 0.5, cy - 0.5],
      [cx + 0.5, cy + 0.5],
      [cx - 0.5, cy + 0.5],
    ];
  }
  return [...pts, pts[0]!];
}

/**
 * Enclosed holes of the labelled regions: connected unset pixels that do not touch the grid's
 * edge, at least `minArea` pixels, each with the label of the region around it and its contour.
 */
export function regionHoles(
  labelling: Labelling,
  width: number,
  height: number,
  minArea: number,
): { owner: number; ring: Point[] }[] {
  const off = frameUint8(labelling.labels.length);
  for (let i = 0; i < off.length; i++) off[i] = labelling.labels[i] ? 0 : 1;
  const background = labelRegions(off, width, height);
  const holes = background.regions
    .filter((r) => r.area >= minArea && r.x0 > 0 && r.y0 > 0 && r.x1 < width - 1 && r.y1 < height - 1)
    .map((r) => ({
      owner: labelling.labels[r.start - 1]!,
      ring: traceContour(background, r, width, height),
    }))
    .filter((h) => h.owner > 0);
  giveBack(off, background.labels);
  return holes;
}
