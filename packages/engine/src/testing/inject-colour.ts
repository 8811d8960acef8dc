import sharp from 'sharp';
import { HAEMOGLOBIN_VECTOR, MELANIN_VECTOR } from '../colour/pigment-separation.ts';
import { linearToSrgb, SRGB_TO_LINEAR } from '../colour/srgb.ts';
import type { FaceModels } from '../face/face-models.ts';
import type { AreaName } from '../geometry/areas.ts';
import { buildFaceGeometry } from '../geometry/face-geometry.ts';
import { boundingBox, type Point, type Polygon, pointInPolygon } from '../geometry/polygon.ts';
import { emptyMask, fillPolygon } from '../geometry/raster.ts';
import { decodeImage } from '../image/decode.ts';
import { gaussianBlur } from '../image/filters.ts';
import type { RgbImage } from '../image/rgb-image.ts';

/**
 * Graded colour content injected into real face photos, for tests and for `npm run eval`
 * (recall / monotonicity checks). Every injection is a change of pigment density in linear RGB
 * (Beer-Lambert: linear × exp(−c·v) with v the Tsumura melanin or haemoglobin vector), so it
 * looks like skin and not like paint. Grades run 0 (nothing) to 4 (strong); functions are pure
 * (they return a new image) and deterministic (a seeded generator places spots and blotches).
 *
 * Typical use:
 *   const { png, spots } = await injectIntoPhoto(models, bytes, 'dark_spots', 3);
 *   const analysis = await engine.analyze(png);
 * or, to inject several grades into one photo without re-detecting the face:
 *   const face = await locateFace(models, bytes);
 *   const { image, spots } = injectColour('dark_spots', face.image, face.layout, 3);
 *   const png = await encodePng(image);
 */

/** Where the face is, in the pixel coordinates of the image it goes with. */
export interface FaceLayout {
  areas: Record<AreaName, Polygon>;
  pxPerMm: number;
}

export type InjectionKind = 'dark_spots' | 'redness' | 'under_eye' | 'blotches' | 'tone_shift';

export interface InjectedSpot {
  /** Centre and radius in image pixels; diameter in mm. */
  x: number;
  y: number;
  radiusPx: number;
  diameterMm: number;
}

/** Decodes a photo (EXIF applied, the engine's working size) and finds its largest face. */
export async function locateFace(
  models: FaceModels,
  bytes: Uint8Array,
): Promise<{ image: RgbImage; layout: FaceLayout }> {
  const decoded = await decodeImage(bytes);
  const found = (await models.detect(decoded.rgb))[0];
  if (!found) throw new Error('no face found');
  const face = buildFaceGeometry(found, decoded.rgb);
  return { image: decoded.rgb, layout: { areas: face.areas, pxPerMm: face.pxPerMm } };
}

/** Lossless PNG bytes of an RGB image. */
export async function encodePng(image: RgbImage): Promise<Uint8Array> {
  const png = await sharp(Buffer.from(image.data), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return new Uint8Array(png);
}

/**
 * The whole round trip for one photo: find the face, inject `grade` of `kind`, and return lossless
 * PNG bytes to analyse, with the injected spots (for recall and precision) and the layout (in the
 * pixels of the returned image: the engine's working size of the photo).
 */
export async function injectIntoPhoto(
  models: FaceModels,
  bytes: Uint8Array,
  kind: InjectionKind,
  grade: number,
  seed = 1,
): Promise<{ png: Uint8Array; spots: InjectedSpot[]; layout: FaceLayout }> {
  const face = await locateFace(models, bytes);
  const injected = injectColour(kind, face.image, face.layout, grade, seed);
  return { png: await encodePng(injected.image), spots: injected.spots ?? [], layout: face.layout };
}

/** Any injection by name (the eval loops over kinds). */
export function injectColour(
  kind: InjectionKind,
  image: RgbImage,
  layout: FaceLayout,
  grade: number,
  seed = 1,
): { image: RgbImage; spots?: InjectedSpot[] } {
  switch (kind) {
    case 'dark_spots':
      return injectDarkSpots(image, layout, grade, seed);
    case 'redness':
      return { image: injectRedness(image, layout, grade) };
    case 'under_eye':
      return { image: injectUnderEyeDarkening(image, layout, grade) };
    case 'blotches':
      return { image: injectBlotches(image, layout, grade, seed) };
    case 'tone_shift':
      return { image: injectToneShift(image, layout, grade) };
  }
}

/**
 * 3 × grade round brown spots, 2-4 mm across, melanin density +0.9 at the centre (soft 0.3 mm
 * edge), on forehead and cheeks, at least 6 mm apart and 3 mm inside the area. Returns the spots.
 */
export function injectDarkSpots(
  image: RgbImage,
  layout: FaceLayout,
  grade: number,
  seed = 1,
): { image: RgbImage; spots: InjectedSpot[] } {
  const out = copy(image);
  const rand = mulberry32(seed);
  const spots: InjectedSpot[] = [];
  const count = Math.round(3 * grade);
  const mm = layout.pxPerMm;
  const zones: AreaName[] = ['forehead', 'left_cheek', 'right_cheek'];
  for (let attempt = 0; spots.length < count && attempt < count * 200; attempt++) {
    const zone = layout.areas[zones[spots.length % zones.length]!];
    const box = boundingBox(zone);
    const x = box.x0 + rand() * (box.x1 - box.x0);
    const y = box.y0 + rand() * (box.y1 - box.y0);
    const diameterMm = 2 + 2 * rand();
    const r = (diameterMm / 2) * mm;
    if (!insideWithMargin(zone, [x, y], r + 3 * mm)) continue;
    if (spots.some((s) => Math.hypot(s.x - x, s.y - y) < s.radiusPx + r + 6 * mm)) continue;
    spots.push({ x, y, radiusPx: r, diameterMm });
    const edge = Math.max(0.5, 0.3 * mm);
    applyDensity(out, MELANIN_VECTOR, x - r - 2 * edge, y - r - 2 * edge, 2 * (r + 2 * edge), (px, py) => {
      const d = Math.hypot(px - x, py - y);
      return 0.9 * smoothStep((r - d) / edge);
    });
  }
  return { image: out, spots };
}

/** Diffuse redness of cheeks and nose: haemoglobin density +0.2 × grade, soft-edged (σ 3 mm). */
export function injectRedness(image: RgbImage, layout: FaceLayout, grade: number): RgbImage {
  const out = copy(image);
  if (grade <= 0) return out;
  for (const area of ['left_cheek', 'right_cheek', 'nose'] as const)
    applySoftArea(out, layout.areas[area], 3 * layout.pxPerMm, HAEMOGLOBIN_VECTOR, 0.2 * grade);
  return out;
}

/**
 * Darker under-eyes: within each under-eye area (soft edge, σ 1.5 mm), melanin density
 * +0.08 × grade plus a neutral darkening (shading density +0.04 × grade).
 */
export function injectUnderEyeDarkening(image: RgbImage, layout: FaceLayout, grade: number): RgbImage {
  const out = copy(image);
  if (grade <= 0) return out;
  const v: [number, number, number] = [
    0.08 * MELANIN_VECTOR[0] + 0.04,
    0.08 * MELANIN_VECTOR[1] + 0.04,
    0.08 * MELANIN_VECTOR[2] + 0.04,
  ];
  for (const area of ['left_eye_area', 'right_eye_area'] as const)
    applySoftArea(out, layout.areas[area], 1.5 * layout.pxPerMm, v, grade);
  return out;
}

/**
 * Blotches: 16 soft patches (radius 4-8 mm, Gaussian profile) on forehead and cheeks,
 * alternately brown (melanin) and red (haemoglobin), peak density 0.25 × grade. Same positions
 * for every grade of one seed.
 */
export function injectBlotches(image: RgbImage, layout: FaceLayout, grade: number, seed = 7): RgbImage {
  const out = copy(image);
  if (grade <= 0) return out;
  const rand = mulberry32(seed);
  const mm = layout.pxPerMm;
  const zones: AreaName[] = ['forehead', 'left_cheek', 'right_cheek'];
  let placed = 0;
  for (let attempt = 0; placed < 16 && attempt < 2000; attempt++) {
    const zone = layout.areas[zones[placed % zones.length]!];
    const box = boundingBox(zone);
    const x = box.x0 + rand() * (box.x1 - box.x0);
    const y = box.y0 + rand() * (box.y1 - box.y0);
    const r = (4 + 4 * rand()) * mm;
    if (!pointInPolygon([x, y], zone)) continue;
    const vector = placed % 2 === 0 ? MELANIN_VECTOR : HAEMOGLOBIN_VECTOR;
    placed++;
    applyDensity(out, vector, x - 2 * r, y - 2 * r, 4 * r, (px, py) => {
      const d2 = ((px - x) ** 2 + (py - y) ** 2) / (r * r);
      return 0.25 * grade * Math.exp(-d2);
    });
  }
  return out;
}

/** Skin-tone shift of the whole face oval: melanin density +0.15 × grade (soft edge, σ 4 mm). */
export function injectToneShift(image: RgbImage, layout: FaceLayout, grade: number): RgbImage {
  const out = copy(image);
  if (grade === 0) return out;
  applySoftArea(out, layout.areas.face, 4 * layout.pxPerMm, MELANIN_VECTOR, 0.15 * grade);
  return out;
}

function copy(image: RgbImage): RgbImage {
  return { data: image.data.slice(), width: image.width, height: image.height };
}

/** Multiplies linear RGB by exp(−density(x, y) · v) over a square window. */
function applyDensity(
  image: RgbImage,
  v: readonly number[],
  x0: number,
  y0: number,
  side: number,
  density: (x: number, y: number) => number,
): void {
  const xa = Math.max(0, Math.floor(x0));
  const ya = Math.max(0, Math.floor(y0));
  const xb = Math.min(image.width - 1, Math.ceil(x0 + side));
  const yb = Math.min(image.height - 1, Math.ceil(y0 + side));
  for (let y = ya; y <= yb; y++)
    for (let x = xa; x <= xb; x++) {
      const c = density(x + 0.5, y + 0.5);
      if (c > 0) darken(image, y * image.width + x, v, c);
    }
}

/** A polygon, blurred (σ px) into a soft 0-1 weight, times `amount` of density vector v. */
function applySoftArea(
  image: RgbImage,
  polygon: Polygon,
  sigma: number,
  v: readonly number[],
  amount: number,
): void {
  const box = boundingBox(polygon);
  const pad = Math.ceil(3 * sigma);
  const x0 = Math.max(0, Math.floor(box.x0) - pad);
  const y0 = Math.max(0, Math.floor(box.y0) - pad);
  const x1 = Math.min(image.width, Math.ceil(box.x1) + pad);
  const y1 = Math.min(image.height, Math.ceil(box.y1) + pad);
  const w = x1 - x0;
  const h = y1 - y0;
  if (w <= 0 || h <= 0) return;
  const mask = emptyMask(w, h);
  fillPolygon(mask, polygon, [x0, y0]);
  const soft = gaussianBlur({ data: Float32Array.from(mask.data), width: w, height: h }, sigma).data;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const wgt = soft[y * w + x]!;
      if (wgt > 0.002) darken(image, (y + y0) * image.width + x + x0, v, amount * wgt);
    }
}

function darken(image: RgbImage, pixel: number, v: readonly number[], c: number): void {
  const d = image.data;
  for (let k = 0; k < 3; k++) {
    const lin = SRGB_TO_LINEAR[d[pixel * 3 + k]!]! * Math.exp(-c * v[k]!);
    d[pixel * 3 + k] = linearToSrgb(lin);
  }
}

function smoothStep(t: number): number {
  const u = Math.min(1, Math.max(0, (t + 1) / 2));
  return u * u * (3 - 2 * u);
}

function insideWithMargin(polygon: Polygon, p: Point, margin: number): boolean {
  if (!pointInPolygon(p, polygon)) return false;
  for (let k = 0; k < 8; k++) {
    const a = (k * Math.PI) / 4;
    if (!pointInPolygon([p[0] + margin * Math.cos(a), p[1] + margin * Math.sin(a)], polygon)) return false;
  }
  return true;
}

/** Small seeded PRNG (mulberry32), uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
