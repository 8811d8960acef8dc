import { lumaAt, type RgbImage } from '../image/rgb-image.ts';
import type { Point } from './polygon.ts';

/**
 * Brow columns, lateral to medial, as [upper, lower] mesh indices (the two sides of RIGHT_BROW /
 * LEFT_BROW in mesh-indices.ts). The forehead area's lower edge runs along the upper points.
 */
export const BROW_COLUMNS: readonly (readonly [number, number])[] = [
  [70, 46],
  [63, 53],
  [105, 52],
  [66, 65],
  [107, 55],
  [300, 276],
  [293, 283],
  [334, 282],
  [296, 295],
  [336, 285],
];

/**
 * How far the brow is searched above (towards the forehead) and below the mesh's brow, mm. A
 * raised brow can sit 15-20 mm above the mesh's (emotions-a-3); a fringe or cap brim further up
 * must not be taken for it.
 */
export const BROW_SEARCH_UP_MM = 20;
export const BROW_SEARCH_DOWN_MM = 1;
/** A column moves only when the band found is darker than the mesh's band by this share of its luma. */
export const MIN_BROW_GAIN = 0.04;
/** The band's thickness (the mesh's upper-to-lower distance) is kept within these bounds, mm. */
const MIN_THICKNESS_MM = 1.5;
const MAX_THICKNESS_MM = 6;

/** Largest difference between the shifts of neighbouring columns, mm (columns are ~8 mm apart). */
export const MAX_BROW_STEP_MM = 2.5;
/** Cost of bending the brow: per mm of shift difference between neighbouring columns, in shares of luma. */
export const BROW_BEND_COST = 0.02;
/** Cost of moving a column away from the mesh's place, per mm, in shares of luma (ties inside a thick brow stay put). */
export const BROW_SHIFT_COST = 0.01;
/**
 * Away from the mesh's place, the band just above a brow must look like forehead skin: at least
 * this share of the dimmer cheek's luma, and at least a quarter as red (R/G above 1) as the cheeks.
 * A cap brim (grey), a fringe or the hairline (dark) above a dark band make it no brow.
 */
export const MIN_FOREHEAD_LUMA = 0.5;
/** Mesh points at the centre of the right and left cheek (skin reference for the brow search). */
const CHEEK_POINTS = [205, 425] as const;

/**
 * Fits the mesh's eyebrows to the photo. The face mesh places the brows from a shape prior and
 * does not follow them when they are raised, lowered or pulled (on expressive selfies they often
 * sit on the upper lid crease, 3-20 mm below the hair), so brow hair counted as forehead and
 * glabella skin. Each brow is five columns (the mesh's upper and lower brow points), each with a
 * band of its own upper-to-lower thickness, 80% of the column spacing wide. Every column is
 * shifted along the face's vertical axis (perpendicular to the line between the pupils), from
 * BROW_SEARCH_DOWN_MM below to BROW_SEARCH_UP_MM above the mesh's place, to minimise the sum over
 * columns of the band's mean Rec. 601 luma plus BROW_SHIFT_COST per mm of shift and BROW_BEND_COST
 * per mm of shift difference between neighbours (at most MAX_BROW_STEP_MM; both costs as shares of
 * the mesh placement's luma), solved exactly by dynamic programming over the columns. Away from the
 * mesh's place a band counts only under forehead-like skin (MIN_FOREHEAD_LUMA, redness against the
 * cheeks). The fit is kept when the brow's mean luma is at least MIN_BROW_GAIN darker than at the
 * mesh's place; otherwise the brow stays.
 *
 * Returns a copy of the landmarks (x, y, z triples, working pixels) with the brow points moved;
 * `rollDegrees` is the head's in-plane tilt (HeadPose.roll, the line from the right to the left
 * pupil), `pxPerMm` the face's scale.
 */
export function fitBrows(
  rgb: RgbImage,
  landmarks: Float32Array,
  rollDegrees: number,
  pxPerMm: number,
): Float32Array {
  const out = new Float32Array(landmarks);
  const roll = (rollDegrees * Math.PI) / 180;
  const along: Point = [Math.cos(roll), Math.sin(roll)];
  const up: Point = [along[1], -along[0]];
  const lo = -Math.round(BROW_SEARCH_DOWN_MM * pxPerMm);
  const hi = Math.round(BROW_SEARCH_UP_MM * pxPerMm);
  const maxStep = Math.max(1, Math.round(MAX_BROW_STEP_MM * pxPerMm));
  const skin = cheekReference(rgb, landmarks, pxPerMm);
  if (!skin) return out;
  for (const side of [BROW_COLUMNS.slice(0, 5), BROW_COLUMNS.slice(5)]) {
    const mids = side.map(([u, l]) => midpoint(landmarks, u, l));
    const profiles = side.map(([u, l], k) =>
      columnProfile(
        rgb,
        mids[k]!,
        along,
        up,
        columnSpacing(mids, k) * 0.8,
        Math.abs(project(landmarks, u, l, up)),
        pxPerMm,
        lo,
        hi,
        skin,
      ),
    );
    const atMesh = profiles.reduce((sum, p) => sum + p.band(0), 0) / profiles.length;
    if (!(atMesh > 0)) continue;
    const shifts = darkestPath(
      profiles,
      lo,
      hi,
      maxStep,
      (BROW_BEND_COST * atMesh) / pxPerMm,
      (BROW_SHIFT_COST * atMesh) / pxPerMm,
    );
    if (!shifts) continue;
    const fitted = shifts.reduce((sum, t, k) => sum + profiles[k]!.band(t), 0) / profiles.length;
    if (atMesh - fitted < MIN_BROW_GAIN * atMesh) continue;
    side.forEach(([u, l], k) => {
      for (const i of [u, l]) {
        out[i * 3] = out[i * 3]! + shifts[k]! * up[0];
        out[i * 3 + 1] = out[i * 3 + 1]! + shifts[k]! * up[1];
      }
    });
  }
  return out;
}

/**
 * The shifts t_k (lo ≤ t_k ≤ hi, |t_k − t_k−1| ≤ maxStep) minimising Σ (cost_k(t_k) +
 * shift·|t_k|) + bend·Σ|t_k − t_k−1|; null when no column sequence stays inside the image.
 */
function darkestPath(
  profiles: ColumnProfile[],
  lo: number,
  hi: number,
  maxStep: number,
  bend: number,
  shift: number,
): number[] | null {
  const n = hi - lo + 1;
  let total = new Float64Array(n);
  const from: Int32Array[] = [];
  for (let t = lo; t <= hi; t++) total[t - lo] = pathCost(profiles[0]!, t, shift);
  for (let k = 1; k < profiles.length; k++) {
    const next = new Float64Array(n);
    const back = new Int32Array(n);
    for (let t = lo; t <= hi; t++) {
      let best = Number.POSITIVE_INFINITY;
      let arg = t;
      for (let p = Math.max(lo, t - maxStep); p <= Math.min(hi, t + maxStep); p++) {
        const c = total[p - lo]! + bend * Math.abs(t - p);
        if (c < best) {
          best = c;
          arg = p;
        }
      }
      next[t - lo] = best + pathCost(profiles[k]!, t, shift);
      back[t - lo] = arg;
    }
    from.push(back);
    total = next;
  }
  let end = 0;
  for (let i = 1; i < n; i++) if (total[i]! < total[end]!) end = i;
  if (!Number.isFinite(total[end]!)) return null;
  const shifts = [end + lo];
  for (let k = from.length - 1; k >= 0; k--) shifts.unshift(from[k]![shifts[0]! - lo]!);
  return shifts;
}

/** A column's cost at shift t in the path: its band's cost (∞ where it cannot be a brow) plus shift·|t|. */
function pathCost(profile: ColumnProfile, t: number, shift: number): number {
  return valueOr(profile.cost(t)) + shift * Math.abs(t);
}

function valueOr(v: number): number {
  return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
}

/**
 * One brow column's band placed at shift t px along `up`, for lo ≤ t ≤ hi, from running sums over
 * the rows r = t − first of its luma, R, G and pixel count; `half` is the band's half thickness and
 * `full` its pixel count when wholly inside the image.
 */
class ColumnProfile {
  constructor(
    private readonly luma: Float64Array,
    private readonly red: Float64Array,
    private readonly green: Float64Array,
    private readonly counts: Float64Array,
    private readonly half: number,
    private readonly first: number,
    private readonly full: number,
    private readonly skinLuma: number,
    private readonly minRedGreen: number,
  ) {}

  /** Mean luma of the band; NaN where it leaves the image. */
  band(t: number): number {
    return this.within(t, this.luma);
  }

  /** The band's luma where it can be a brow (t = 0, or forehead skin just above it), else NaN. */
  cost(t: number): number {
    const here = this.within(t, this.luma);
    if (t === 0) return here;
    const above = t + 2 * this.half + 1;
    const foreheadLike =
      this.within(above, this.luma) >= MIN_FOREHEAD_LUMA * this.skinLuma &&
      this.within(above, this.red) >= this.minRedGreen * this.within(above, this.green);
    return foreheadLike ? here : Number.NaN;
  }

  /** Mean of `sums` over the band at shift t; NaN where the band leaves the image. */
  private within(t: number, sums: Float64Array): number {
    const a = t - this.half - this.first;
    const b = t + this.half - this.first + 1;
    return this.counts[b]! - this.counts[a]! === this.full ? (sums[b]! - sums[a]!) / this.full : Number.NaN;
  }
}

/** Luma and redness (R/G) of the cheeks' skin. */
interface SkinReference {
  luma: number;
  redGreen: number;
}

/**
 * The profile of one brow column: its band is the column's thickness, `width` wide, centred on
 * `centre`; the band above it (same size, just above) is tested against the cheeks' skin.
 */
function columnProfile(
  rgb: RgbImage,
  centre: Point,
  along: Point,
  up: Point,
  width: number,
  meshThickness: number,
  pxPerMm: number,
  lo: number,
  hi: number,
  skin: SkinReference,
): ColumnProfile {
  const thickness = Math.min(MAX_THICKNESS_MM * pxPerMm, Math.max(MIN_THICKNESS_MM * pxPerMm, meshThickness));
  const half = Math.max(1, Math.round(thickness / 2));
  const first = lo - half;
  const n = hi + 3 * half + 1 - first + 1;
  const halfWidth = Math.max(1, Math.round(width / 2));
  const luma = new Float64Array(n + 1);
  const red = new Float64Array(n + 1);
  const green = new Float64Array(n + 1);
  const counts = new Float64Array(n + 1);
  bandRowSums(
    rgb.data,
    rgb.width,
    rgb.height,
    centre[0],
    centre[1],
    along[0],
    along[1],
    up[0],
    up[1],
    halfWidth,
    first,
    n,
    luma,
    red,
    green,
    counts,
  );
  const full = (2 * halfWidth + 1) * (2 * half + 1);
  const minRedGreen = 1 + 0.25 * (skin.redGreen - 1);
  return new ColumnProfile(luma, red, green, counts, half, first, full, skin.luma, minRedGreen);
}

/**
 * Running sums, over rows r = 0..n−1 (shift t = first + r along (ux, uy)), of the luma, R, G and
 * count of the in-image pixels of RGB image `data` (W × H) at round((cx, cy) + s·(ax, ay) + t·(ux, uy))
 * for s = −halfWidth..halfWidth: entry r + 1 of each array holds the sum over rows 0..r.
 */
function bandRowSums(
  data: Uint8Array,
  W: number,
  H: number,
  cx: number,
  cy: number,
  ax: number,
  ay: number,
  ux: number,
  uy: number,
  halfWidth: number,
  first: number,
  n: number,
  luma: Float64Array,
  red: Float64Array,
  green: Float64Array,
  counts: Float64Array,
): void {
  for (let r = 0; r < n; r++) {
    const t = first + r;
    let l = 0;
    let rs = 0;
    let gs = 0;
    let count = 0;
    for (let s = -halfWidth; s <= halfWidth; s++) {
      const x = Math.round(cx + s * ax + t * ux);
      const y = Math.round(cy + s * ay + t * uy);
      if (x < 0 || y < 0 || x >= W || y >= H) continue;
      const j = (y * W + x) * 3;
      l += lumaAt(data, j);
      rs += data[j]!;
      gs += data[j + 1]!;
      count++;
    }
    luma[r + 1] = luma[r]! + l;
    red[r + 1] = red[r]! + rs;
    green[r + 1] = green[r]! + gs;
    counts[r + 1] = counts[r]! + count;
  }
}

/** Mean luma (the dimmer cheek's) and R/G of 3 mm discs at the cheek centres; null when off the image. */
function cheekReference(rgb: RgbImage, landmarks: Float32Array, pxPerMm: number): SkinReference | null {
  const radius = Math.max(1, Math.round(3 * pxPerMm));
  const { data, width: W, height: H } = rgb;
  let luma = Number.POSITIVE_INFINITY;
  let red = 0;
  let green = 0;
  for (const point of CHEEK_POINTS) {
    const cx = Math.round(landmarks[point * 3]!);
    const cy = Math.round(landmarks[point * 3 + 1]!);
    let l = 0;
    let count = 0;
    for (let y = cy - radius; y <= cy + radius; y++)
      for (let x = cx - radius; x <= cx + radius; x++) {
        if (x < 0 || y < 0 || x >= W || y >= H || (x - cx) ** 2 + (y - cy) ** 2 > radius * radius) continue;
        const j = (y * W + x) * 3;
        l += lumaAt(data, j);
        red += data[j]!;
        green += data[j + 1]!;
        count++;
      }
    if (!count) return null;
    luma = Math.min(luma, l / count);
  }
  return green > 0 ? { luma, redGreen: red / green } : null;
}

function midpoint(lm: Float32Array, a: number, b: number): Point {
  return [(lm[a * 3]! + lm[b * 3]!) / 2, (lm[a * 3 + 1]! + lm[b * 3 + 1]!) / 2];
}

function project(lm: Float32Array, a: number, b: number, dir: Point): number {
  return (lm[a * 3]! - lm[b * 3]!) * dir[0] + (lm[a * 3 + 1]! - lm[b * 3 + 1]!) * dir[1];
}

function columnSpacing(mids: Point[], k: number): number {
  const d = (i: number, j: number) => Math.hypot(mids[i]![0] - mids[j]![0], mids[i]![1] - mids[j]![1]);
  if (k === 0) return d(0, 1);
  if (k === mids.length - 1) return d(k, k - 1);
  return (d(k, k - 1) + d(k, k + 1)) / 2;
}
