import sharp from 'sharp';
import type { FaceModels } from '../face/face-models.ts';
import type { AreaName } from '../geometry/areas.ts';
import { buildFaceGeometry, type FaceGeometry } from '../geometry/face-geometry.ts';
import { boundingBox, type Point, pointInPolygon, polygonArea } from '../geometry/polygon.ts';
import { DEFAULT_DECODE_LIMITS, decodeImage } from '../image/decode.ts';
import type { RgbImage } from '../image/rgb-image.ts';
import { encodePng, mulberry32 } from './inject-colour.ts';

/**
 * Pure injection helpers for tests and the evaluation: add a graded amount (grade 0-4) of forehead
 * lines, red papules or dark pores to a real face. Input: the photo's bytes and the face geometry
 * in working-image coordinates with the working→original scale (`locateFace` gives both). Output:
 * new PNG bytes (lossless, so the injected texture survives), in the original's size and upright
 * orientation, and for papules and pores the injected positions in original-image pixels.
 * Deterministic: a seeded PRNG places everything.
 */
export interface LocatedFace {
  face: FaceGeometry;
  /** Working → original pixel scale. */
  toOriginal: number;
}

export interface Injected {
  bytes: Uint8Array;
  /** Injected centres, original-image pixels (papules and pores). */
  positions: Point[];
}

/** Decodes and detects the largest face (for tests and the evaluation). */
export async function locateFace(faces: FaceModels, bytes: Uint8Array): Promise<LocatedFace> {
  const image = await decodeImage(bytes, DEFAULT_DECODE_LIMITS);
  const found = await faces.detect(image.rgb);
  if (!found[0]) throw new Error('no face to inject into');
  return { face: buildFaceGeometry(found[0], image.rgb), toOriginal: image.toOriginal };
}

async function rawOf(bytes: Uint8Array): Promise<RgbImage> {
  const { data, info } = await sharp(bytes)
    .rotate()
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
}

function originalPolygon(located: LocatedFace, area: AreaName): Point[] {
  return located.face.areas[area].map(([x, y]) => [x * located.toOriginal, y * located.toOriginal] as Point);
}

/** Multiplies pixel colours by (1 - amount·w) per channel gains, w from `weight(x, y)` in 0-1. */
function shade(
  raw: RgbImage,
  box: { x0: number; y0: number; x1: number; y1: number },
  gains: [number, number, number],
  weight: (x: number, y: number) => number,
): void {
  const x0 = Math.max(0, Math.floor(box.x0));
  const y0 = Math.max(0, Math.floor(box.y0));
  const x1 = Math.min(raw.width - 1, Math.ceil(box.x1));
  const y1 = Math.min(raw.height - 1, Math.ceil(box.y1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const w = weight(x + 0.5, y + 0.5);
      if (w <= 0) continue;
      const j = (y * raw.width + x) * 3;
      for (let c = 0; c < 3; c++)
        raw.data[j + c] = Math.max(0, Math.min(255, Math.round(raw.data[j + c]! * (1 - gains[c]! * w))));
    }
  }
}

const clampGrade = (g: number) => Math.max(0, Math.min(4, Math.round(g)));

/**
 * Forehead lines: `2·grade` horizontal valleys (Gaussian profile, σ 0.35 mm ≈ 1 mm wide), evenly
 * spaced over the forehead's middle 70%, spanning 60% of its width, darkening by 8% + 3%·grade at
 * the centre (≈ 3-8 L*), following the face's roll.
 */
export async function injectForeheadLines(
  bytes: Uint8Array,
  located: LocatedFace,
  grade: number,
): Promise<Injected> {
  const raw = await rawOf(bytes);
  const g = clampGrade(grade);
  if (g === 0) return { bytes: await encodePng(raw), positions: [] };
  const poly = originalPolygon(located, 'forehead');
  const box = boundingBox(poly);
  const ppm = located.face.pxPerMm / located.toOriginal;
  const roll = (located.face.pose.roll * Math.PI) / 180;
  const cx = (box.x0 + box.x1) / 2;
  const count = 2 * g;
  const sigma = 0.35 * ppm;
  const depth = 0.08 + 0.03 * g;
  const halfLen = 0.3 * (box.x1 - box.x0);
  const top = box.y0 + 0.15 * (box.y1 - box.y0);
  const span = 0.7 * (box.y1 - box.y0);
  const positions: Point[] = [];
  for (let k = 0; k < count; k++) {
    const cy = top + ((k + 0.5) / count) * span;
    positions.push([cx, cy]);
    const cos = Math.cos(roll);
    const sin = Math.sin(roll);
    shade(
      raw,
      {
        x0: cx - halfLen - 5,
        y0: cy - halfLen * Math.abs(sin) - 4 * sigma,
        x1: cx + halfLen + 5,
        y1: cy + halfLen * Math.abs(sin) + 4 * sigma,
      },
      [depth, depth * 1.1, depth * 1.1],
      (x, y) => {
        const along = (x - cx) * cos + (y - cy) * sin;
        const across = -(x - cx) * sin + (y - cy) * cos;
        if (Math.abs(along) > halfLen || !pointInPolygon([x, y], poly)) return 0;
        const taper = Math.min(1, (halfLen - Math.abs(along)) / (3 * ppm));
        return taper * Math.exp(-(across * across) / (2 * sigma * sigma));
      },
    );
  }
  return { bytes: await encodePng(raw), positions };
}

/** Places `count` non-overlapping points inside the given areas (rejection sampling). */
function scatter(
  located: LocatedFace,
  areas: readonly AreaName[],
  count: number,
  minGapPx: number,
  seed: number,
  marginPx: number,
): Point[] {
  const rand = mulberry32(seed);
  const polys = areas.map((a) => originalPolygon(located, a));
  const out: Point[] = [];
  for (let tries = 0; out.length < count && tries < count * 400; tries++) {
    const poly = polys[Math.floor(rand() * polys.length)]!;
    const b = boundingBox(poly);
    const p: Point = [b.x0 + rand() * (b.x1 - b.x0), b.y0 + rand() * (b.y1 - b.y0)];
    if (!pointInPolygon(p, poly)) continue;
    const inner = [0, Math.PI / 2, Math.PI, (3 * Math.PI) / 2].every((t) =>
      pointInPolygon([p[0] + marginPx * Math.cos(t), p[1] + marginPx * Math.sin(t)], poly),
    );
    if (!inner) continue;
    if (out.some((q) => Math.hypot(q[0] - p[0], q[1] - p[1]) < minGapPx)) continue;
    out.push(p);
  }
  return out;
}

/** Papule counts per grade (Hayashi bands on a face: 0, mild, moderate, severe, very severe). */
export const PAPULES_PER_GRADE = [0, 4, 10, 20, 32] as const;

/**
 * Red papules: PAPULES_PER_GRADE[grade] reddish domes, radius 1.2-2 mm, on the cheeks, forehead and
 * chin: green and blue fall by up to 22% and red by 3% at the centre (Δa* ≈ +10), Gaussian edge.
 */
export async function injectRedPapules(
  bytes: Uint8Array,
  located: LocatedFace,
  grade: number,
  seed = 7,
): Promise<Injected> {
  const raw = await rawOf(bytes);
  const ppm = located.face.pxPerMm / located.toOriginal;
  const n = PAPULES_PER_GRADE[clampGrade(grade)]!;
  const positions = scatter(
    located,
    ['left_cheek', 'right_cheek', 'forehead', 'chin'],
    n,
    6 * ppm,
    seed,
    3 * ppm,
  );
  const rand = mulberry32(seed + 1);
  for (const [cx, cy] of positions) {
    const r = (1.2 + 0.8 * rand()) * ppm;
    const s = r / 1.4;
    shade(
      raw,
      { x0: cx - 3 * r, y0: cy - 3 * r, x1: cx + 3 * r, y1: cy + 3 * r },
      [0.03, 0.22, 0.18],
      (x, y) => Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s)),
    );
  }
  return { bytes: await encodePng(raw), positions };
}

/** Pore densities per grade, per cm² of cheek, nose and forehead. */
export const PORES_PER_CM2 = [0, 10, 20, 35, 55] as const;

/**
 * Dark pores: PORES_PER_CM2[grade] per cm² of the cheeks, nose and forehead, radius 0.15-0.35 mm,
 * darkened by 30% at the centre (Gaussian profile, σ = r/√2), neutral in colour.
 */
export async function injectDarkPores(
  bytes: Uint8Array,
  located: LocatedFace,
  grade: number,
  seed = 11,
): Promise<Injected> {
  const raw = await rawOf(bytes);
  const ppm = located.face.pxPerMm / located.toOriginal;
  const areas: AreaName[] = ['left_cheek', 'right_cheek', 'nose', 'forehead'];
  let areaMm2 = 0;
  for (const a of areas) areaMm2 += polygonArea(originalPolygon(located, a)) / (ppm * ppm);
  const n = Math.round((PORES_PER_CM2[clampGrade(grade)]! * areaMm2) / 100);
  const positions = scatter(located, areas, n, 1.2 * ppm, seed, 1.5 * ppm);
  const rand = mulberry32(seed + 1);
  for (const [cx, cy] of positions) {
    const r = (0.15 + 0.2 * rand()) * ppm;
    const s = r / Math.SQRT2;
    shade(
      raw,
      { x0: cx - 3 * r, y0: cy - 3 * r, x1: cx + 3 * r, y1: cy + 3 * r },
      [0.3, 0.32, 0.32],
      (x, y) => Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s)),
    );
  }
  return { bytes: await encodePng(raw), positions };
}

/**
 * Crops the face (with a 15% margin) and enlarges it so that its scale becomes `targetPxPerMm`,
 * keeping the long side ≤ 2048 px. Used to test metrics whose resolution gate no shared portrait
 * meets (pores need 8 px/mm); the enlarged face has no real pore texture of its own.
 */
export async function zoomFace(
  bytes: Uint8Array,
  located: LocatedFace,
  targetPxPerMm: number,
): Promise<Uint8Array> {
  const raw = await rawOf(bytes);
  const b = boundingBox(originalPolygon(located, 'face'));
  const mx = 0.15 * (b.x1 - b.x0);
  const my = 0.15 * (b.y1 - b.y0);
  const left = Math.max(0, Math.floor(b.x0 - mx));
  const top = Math.max(0, Math.floor(b.y0 - my));
  const width = Math.min(raw.width, Math.ceil(b.x1 + mx)) - left;
  const height = Math.min(raw.height, Math.ceil(b.y1 + my)) - top;
  const ppm = located.face.pxPerMm / located.toOriginal;
  const k = Math.min(targetPxPerMm / ppm, 2048 / Math.max(width, height));
  const out = await sharp(Buffer.from(raw.data), {
    raw: { width: raw.width, height: raw.height, channels: 3 },
  })
    .extract({ left, top, width, height })
    .resize(Math.round(width * k), Math.round(height * k), { kernel: 'lanczos3' })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return new Uint8Array(out);
}
