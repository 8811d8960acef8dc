import { type AlgorithmResult, type Geometry, isAlgorithmPayload } from '@skinscope/engine';
import sharp from 'sharp';

/** Longest side of the overlay image, px; larger photos are drawn scaled down. */
const OVERLAY_SIDE = 1600;

const AREA_COLOURS: Record<string, string> = {
  face: '#ffffff',
  forehead: '#ffd400',
  glabella: '#ff8c00',
  nose: '#00e5ff',
  left_cheek: '#00ff6a',
  right_cheek: '#ff3df2',
  chin: '#8f7bff',
  left_eye_area: '#4dd0ff',
  right_eye_area: '#ff6b6b',
  left_crows_feet: '#b2ff59',
  right_crows_feet: '#ffab40',
  nasolabial_left: '#18ffff',
  nasolabial_right: '#ff4081',
};

const MASK_COLOURS = ['#ff1744', '#2979ff', '#00e676', '#ffea00', '#d500f9', '#ff9100', '#1de9b6', '#f50057'];

/**
 * Draws the facial areas, the landmarks and every algorithm's `masks_original` on the photo
 * (EXIF-upright) and returns a PNG.
 */
export async function renderOverlay(bytes: Uint8Array, results: AlgorithmResult[]): Promise<Buffer> {
  const base = sharp(bytes).rotate();
  const { width = 0, height = 0 } = await sharp(await base.clone().toBuffer()).metadata();
  const k = Math.min(1, OVERLAY_SIDE / Math.max(width, height));
  const w = Math.round(width * k);
  const h = Math.round(height * k);
  const parts: string[] = [];
  let colourIndex = 0;
  for (const r of results) {
    if (!r.is_ok || !isAlgorithmPayload(r.result)) continue;
    const isLandmarks = r.algorithm_tech_name === 'facial_landmarks';
    const colour = MASK_COLOURS[colourIndex++ % MASK_COLOURS.length]!;
    for (const f of r.result.masks_original.features) {
      const area = typeof f.properties.area_name === 'string' ? f.properties.area_name : undefined;
      if (isLandmarks && area && (area === 't_zone' || area === 'u_zone')) continue;
      const stroke = isLandmarks ? (area ? (AREA_COLOURS[area] ?? '#ffffff') : '#00ffff') : colour;
      parts.push(svgFor(f.geometry, k, stroke, isLandmarks && !area ? 1.2 : 2.5));
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${parts.join('')}</svg>`;
  return base
    .resize(w, h)
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .png()
    .toBuffer();
}

function svgFor(g: Geometry, k: number, stroke: string, size: number): string {
  const pt = (p: [number, number]) => `${(p[0] * k).toFixed(1)},${(p[1] * k).toFixed(1)}`;
  const path = (ring: [number, number][], close: boolean) =>
    `<polyline points="${ring.map(pt).join(' ')}${close && ring[0] ? ` ${pt(ring[0])}` : ''}" fill="none" stroke="${stroke}" stroke-width="${size}" stroke-opacity="0.9"/>`;
  const dot = (p: [number, number]) =>
    `<circle cx="${(p[0] * k).toFixed(1)}" cy="${(p[1] * k).toFixed(1)}" r="${size}" fill="${stroke}"/>`;
  switch (g.type) {
    case 'Point':
      return dot(g.coordinates);
    case 'MultiPoint':
      return g.coordinates.map(dot).join('');
    case 'LineString':
      return path(g.coordinates, false);
    case 'MultiLineString':
      return g.coordinates.map((l) => path(l, false)).join('');
    case 'Polygon':
      return g.coordinates.map((ring) => path(ring, true)).join('');
    case 'MultiPolygon':
      return g.coordinates.flatMap((poly) => poly.map((ring) => path(ring, true))).join('');
  }
}
