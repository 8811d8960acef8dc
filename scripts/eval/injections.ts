/**
 * The evaluation's own graded injections on real faces (used when the engine's testing/inject-*.ts
 * helpers are absent): each paints a known amount of one skin feature into an RGB photo, inside the
 * facial areas the landmarks give, with soft edges. Grade 0 is the untouched photo.
 */

import { boundingBox, pointInPolygon } from '../../packages/engine/src/geometry/polygon.ts';

export type Pt = [number, number];

export interface Canvas {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface FaceLayout {
  /** Area polygons in image pixels, by area name (facial_landmarks' mask). */
  areas: Record<string, Pt[]>;
  pxPerMm: number;
}

export interface Lesion {
  centre: Pt;
  radiusPx: number;
}

export interface Injection {
  name: string;
  /** What it paints, for the report. */
  what: string;
  /** Paints grade `g` (1-4) into `c`; returns the lesions painted, if it paints discrete ones. */
  apply(c: Canvas, face: FaceLayout, grade: number, seed: number): Lesion[];
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Multiplies RGB by `gain` (per channel) with weight w(x, y) in 0-1 over a bounding box. */
function paint(
  c: Canvas,
  box: { x0: number; x1: number; y0: number; y1: number },
  weight: (p: Pt) => number,
  gain: [number, number, number],
): void {
  const x0 = Math.max(0, Math.floor(box.x0));
  const y0 = Math.max(0, Math.floor(box.y0));
  const x1 = Math.min(c.width - 1, Math.ceil(box.x1));
  const y1 = Math.min(c.height - 1, Math.ceil(box.y1));
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const w = weight([x + 0.5, y + 0.5]);
      if (w <= 0) continue;
      const o = (y * c.width + x) * 3;
      for (let k = 0; k < 3; k++)
        c.data[o + k] = Math.max(0, Math.min(255, Math.round(c.data[o + k]! * (1 + (gain[k]! - 1) * w))));
    }
}

/** Weight of a soft polygon: 1 inside, fading over `feather` px outside (approximated by sampling). */
function softPolygon(poly: Pt[], feather: number): (p: Pt) => number {
  return (p) => {
    if (pointInPolygon(p, poly)) return 1;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++)
      best = Math.min(best, segmentDistance(p, poly[j]!, poly[i]!));
    return best < feather ? 1 - best / feather : 0;
  };
}

/** Multiplies RGB by `gain` over each named area, fading out over `featherMm` outside its edge. */
function tintAreas(
  c: Canvas,
  face: FaceLayout,
  areas: string[],
  featherMm: number,
  gain: [number, number, number],
): void {
  const f = featherMm * face.pxPerMm;
  for (const area of areas) {
    const poly = face.areas[area];
    if (!poly) continue;
    const b = boundingBox(poly);
    paint(c, { x0: b.x0 - f, x1: b.x1 + f, y0: b.y0 - f, y1: b.y1 + f }, softPolygon(poly, f), gain);
  }
}

function segmentDistance(p: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

/** Places `n` lesion centres in the given areas, at least `minGap` px apart, away from the area edges. */
function place(face: FaceLayout, areas: string[], n: number, radius: number, seed: number): Pt[] {
  const random = rng(seed);
  const out: Pt[] = [];
  for (let tries = 0; out.length < n && tries < n * 400; tries++) {
    const poly = face.areas[areas[tries % areas.length]!];
    if (!poly) continue;
    const b = boundingBox(poly);
    const p: Pt = [b.x0 + random() * (b.x1 - b.x0), b.y0 + random() * (b.y1 - b.y0)];
    const inner: Pt[] = [0, 1, 2, 3].map((k) => [
      p[0] + Math.cos(k * 1.57) * radius * 1.5,
      p[1] + Math.sin(k * 1.57) * radius * 1.5,
    ]);
    if (!pointInPolygon(p, poly) || !inner.every((q) => pointInPolygon(q, poly))) continue;
    if (out.some((q) => Math.hypot(q[0] - p[0], q[1] - p[1]) < radius * 5)) continue;
    out.push(p);
  }
  return out;
}

function blobs(c: Canvas, centres: Pt[], radius: number, gain: [number, number, number]): Lesion[] {
  for (const centre of centres) {
    const box = {
      x0: centre[0] - radius * 2,
      x1: centre[0] + radius * 2,
      y0: centre[1] - radius * 2,
      y1: centre[1] + radius * 2,
    };
    paint(
      c,
      box,
      (p) => {
        const d = Math.hypot(p[0] - centre[0], p[1] - centre[1]) / radius;
        return d < 1 ? 1 : d < 1.5 ? (1.5 - d) * 2 : 0;
      },
      gain,
    );
  }
  return centres.map((centre) => ({ centre, radiusPx: radius }));
}

const CHEEKS_FOREHEAD = ['left_cheek', 'right_cheek', 'forehead'];

export const INJECTIONS: readonly Injection[] = [
  {
    name: 'spots',
    what: '2 × grade brown spots, Ø 3 mm, about 25% darker (cheeks, forehead)',
    apply: (c, face, g, seed) => {
      const r = 1.5 * face.pxPerMm;
      return blobs(c, place(face, CHEEKS_FOREHEAD, 2 * g, r, seed), r, [0.8, 0.7, 0.6]);
    },
  },
  {
    name: 'papules',
    what: '2 × grade red papules, Ø 2.5 mm (cheeks, forehead)',
    apply: (c, face, g, seed) => {
      const r = 1.25 * face.pxPerMm;
      return blobs(c, place(face, CHEEKS_FOREHEAD, 2 * g, r, seed), r, [1.04, 0.78, 0.8]);
    },
  },
  {
    name: 'diffuse redness',
    what: 'cheeks: green and blue × (1 − 0.035 grade)',
    apply: (c, face, g) => {
      tintAreas(c, face, ['left_cheek', 'right_cheek'], 3, [1, 1 - 0.035 * g, 1 - 0.03 * g]);
      return [];
    },
  },
  {
    name: 'lines',
    what: 'grade horizontal forehead lines, 0.4 mm wide, 25 mm long, 18% darker',
    apply: (c, face, g) => {
      const poly = face.areas.forehead;
      if (!poly) return [];
      const b = boundingBox(poly);
      const cx = (b.x0 + b.x1) / 2;
      const half = 12.5 * face.pxPerMm;
      const width = Math.max(1, 0.4 * face.pxPerMm);
      for (let k = 0; k < g; k++) {
        const y = b.y0 + ((k + 1) / (g + 1)) * (b.y1 - b.y0);
        const a: Pt = [cx - half, y];
        const e: Pt = [cx + half, y + 0.02 * half];
        paint(
          c,
          { x0: a[0] - 3, x1: e[0] + 3, y0: y - width * 2, y1: y + width * 2 + 0.02 * half },
          (p) => {
            const d = segmentDistance(p, a, e) / (width / 2);
            return (d < 1 ? 1 : d < 2 ? 2 - d : 0) * (pointInPolygon(p, poly) ? 1 : 0);
          },
          [0.82, 0.82, 0.84],
        );
      }
      return [];
    },
  },
  {
    name: 'under-eye darkening',
    what: 'both under-eye areas × (1 − 0.05 grade), slightly violet',
    apply: (c, face, g) => {
      tintAreas(c, face, ['left_eye_area', 'right_eye_area'], 1.5, [
        1 - 0.05 * g,
        1 - 0.055 * g,
        1 - 0.04 * g,
      ]);
      return [];
    },
  },
  {
    name: 'blotches',
    what: 'grade × 2 irregular patches, Ø 10 mm, alternately 8% darker and reddish',
    apply: (c, face, g, seed) => {
      const r = 5 * face.pxPerMm;
      const centres = place(face, CHEEKS_FOREHEAD, 2 * g, r * 0.5, seed + 7);
      for (const [i, centre] of centres.entries())
        blobs(c, [centre], r, i % 2 ? [0.92, 0.92, 0.94] : [1.0, 0.93, 0.94]);
      return [];
    },
  },
  {
    name: 'skin-tone shift',
    what: 'whole face × (1 − 0.05 grade), tanned (blue lowered more)',
    apply: (c, face, g) => {
      tintAreas(c, face, ['face'], 4, [1 - 0.05 * g, 1 - 0.06 * g, 1 - 0.08 * g]);
      return [];
    },
  },
];

/** Which metric each injection should move, and in which direction (+1: up with grade). */
export const INJECTION_TARGETS: Record<string, { metric: string; sign: 1 | -1; lesions?: boolean }[]> = {
  spots: [
    { metric: 'pigmentation/face/pigmentation_score', sign: -1, lesions: true },
    { metric: 'pigmentation/face/number_of_regions', sign: 1 },
  ],
  papules: [
    { metric: 'acne/face/acne_score', sign: -1, lesions: true },
    { metric: 'acne/face/number_of_regions', sign: 1 },
  ],
  'diffuse redness': [{ metric: 'redness/face/redness_score', sign: -1 }],
  lines: [
    { metric: 'lines/face/lines_score', sign: -1 },
    { metric: 'wrinkles/face/wrinkles_score', sign: -1 },
  ],
  'under-eye darkening': [
    { metric: 'eye_area_condition/face/dark_circles_score', sign: -1 },
    { metric: 'eye_age/face/eye_age', sign: 1 },
  ],
  blotches: [{ metric: 'uniformness/face/uniformness_score', sign: -1 }],
  'skin-tone shift': [
    { metric: 'skin_tone/face/ita', sign: -1 },
    { metric: 'skin_tone/face/monk_tone', sign: 1 },
  ],
};
