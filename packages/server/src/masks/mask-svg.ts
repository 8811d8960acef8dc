import type { Geometry, MaskCollection } from '@skinscope/engine';

/**
 * How each mask type is drawn (one style for the raster and the SVG renders):
 * - `point_mask`: filled discs at each point, of the feature's real size where it gives one
 *   (`properties.radii_mm`, one radius per point, × px/mm of the drawn image), else 0.6 mm radius
 *   (at least 1.5 px); fill at 90% opacity.
 * - `polygon_mask`: the polygon filled at 40% opacity with a solid outline of the line thickness;
 *   outline only for the algorithms whose polygons are regions of the face rather than findings
 *   (`OUTLINE_ONLY`: the face box and the facial areas, which nest and overlap).
 * - `polyline_mask`: solid strokes, round caps, of the line thickness.
 * - `heatmap_mask`: the regions filled, opacity 0.25 + 0.6 × `properties.intensity` (0-1; 0.5 when
 *   absent), no outline: stronger regions read as more opaque.
 * The line thickness is `polyline_line_thickness` × the drawn image's width (default 0.003, at
 * least 1 px). Colours are the algorithm's default (`MASK_COLOURS`) or `fill_override`.
 */
export interface MaskStyle {
  /** `#rrggbb`. */
  colour: string;
  /** 0-1, multiplies every opacity above (from `fill_override`'s alpha). */
  alpha: number;
  /** Fraction of the drawn image's width. */
  lineThickness: number;
  /** Polygons are stroked, not filled. */
  outlineOnly: boolean;
}

/** Algorithms whose polygons are face regions (drawn as outlines only). */
export const OUTLINE_ONLY: ReadonlySet<string> = new Set(['face_detector', 'facial_landmarks']);

/** Default colour per algorithm: saturated hues that stand out on skin. */
export const MASK_COLOURS: Record<string, string> = {
  face_detector: '#00e5ff',
  facial_landmarks: '#00e5ff',
  redness: '#ff1744',
  uniformness: '#d500f9',
  pigmentation: '#ffd600',
  pores: '#00e676',
  acne: '#ff6d00',
  lines: '#2979ff',
  wrinkles: '#2979ff',
  sagging: '#2979ff',
  eye_area_condition: '#651fff',
  hydration: '#00b0ff',
  translucency: '#76ff03',
  skin_type: '#ffea00',
};
export const DEFAULT_MASK_COLOUR = '#00e5ff';
export const DEFAULT_LINE_THICKNESS = 0.003;

/** What the SVG is drawn over: the drawn size, its scale from mask coordinates, and px/mm in mask coordinates. */
export interface DrawFrame {
  width: number;
  height: number;
  /** Drawn pixels per mask-coordinate pixel (the image may be drawn scaled down). */
  scale: number;
  /** Pixels per millimetre in mask coordinates, when known (for points drawn at their real size). */
  pxPerMm: number | undefined;
}

const f1 = (v: number) => (Math.round(v * 10) / 10).toString();

function ringPath(ring: readonly [number, number][], k: number, close: boolean): string {
  if (ring.length === 0) return '';
  const pts = ring.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${f1(x * k)} ${f1(y * k)}`).join(' ');
  return close ? `${pts} Z` : pts;
}

function pathData(g: Geometry, k: number): { d: string; closed: boolean } | undefined {
  switch (g.type) {
    case 'LineString':
      return { d: ringPath(g.coordinates, k, false), closed: false };
    case 'MultiLineString':
      return { d: g.coordinates.map((l) => ringPath(l, k, false)).join(' '), closed: false };
    case 'Polygon':
      return { d: g.coordinates.map((r) => ringPath(r, k, true)).join(' '), closed: true };
    case 'MultiPolygon':
      return { d: g.coordinates.flatMap((p) => p.map((r) => ringPath(r, k, true))).join(' '), closed: true };
    default:
      return undefined;
  }
}

function points(g: Geometry): [number, number][] {
  if (g.type === 'Point') return [g.coordinates];
  if (g.type === 'MultiPoint') return g.coordinates;
  return [];
}

/** The SVG elements (no `<svg>` wrapper) that draw a mask collection in the given style and frame. */
export function maskElements(mask: MaskCollection, style: MaskStyle, frame: DrawFrame): string {
  const k = frame.scale;
  const line = Math.max(1, style.lineThickness * frame.width);
  const c = style.colour;
  const a = style.alpha;
  const out: string[] = [];
  for (const feature of mask.features) {
    const g = feature.geometry;
    const pts = points(g);
    if (pts.length > 0) {
      const radii = Array.isArray(feature.properties.radii_mm)
        ? (feature.properties.radii_mm as unknown[])
        : [];
      pts.forEach(([x, y], i) => {
        const mm = typeof radii[i] === 'number' ? (radii[i] as number) : 0.6;
        const r = frame.pxPerMm ? Math.max(1.5, mm * frame.pxPerMm * k) : Math.max(1.5, line);
        out.push(
          `<circle cx="${f1(x * k)}" cy="${f1(y * k)}" r="${f1(r)}" fill="${c}" fill-opacity="${0.9 * a}"/>`,
        );
      });
      continue;
    }
    const path = pathData(g, k);
    if (!path?.d) continue;
    if (mask.mask_type === 'heatmap_mask' && path.closed) {
      const intensity =
        typeof feature.properties.intensity === 'number'
          ? Math.min(1, Math.max(0, feature.properties.intensity))
          : 0.5;
      const opacity = Math.round((0.25 + 0.6 * intensity) * a * 1000) / 1000;
      out.push(
        `<path d="${path.d}" fill="${c}" fill-opacity="${opacity}" fill-rule="evenodd" stroke="none"/>`,
      );
    } else if (path.closed) {
      const fill = style.outlineOnly ? 'fill="none"' : `fill="${c}" fill-opacity="${0.4 * a}"`;
      out.push(
        `<path d="${path.d}" ${fill} fill-rule="evenodd" stroke="${c}" stroke-opacity="${a}" stroke-width="${f1(line)}" stroke-linejoin="round"/>`,
      );
    } else {
      out.push(
        `<path d="${path.d}" fill="none" stroke="${c}" stroke-opacity="${a}" stroke-width="${f1(line)}" stroke-linecap="round" stroke-linejoin="round"/>`,
      );
    }
  }
  return out.join('');
}

/** A whole SVG document of the mask, optionally over an embedded JPEG of the photo. */
export function maskSvg(
  mask: MaskCollection,
  style: MaskStyle,
  frame: DrawFrame,
  background?: { jpegBase64: string },
): string {
  const { width: w, height: h } = frame;
  const image = background
    ? `<image width="${w}" height="${h}" preserveAspectRatio="none" xlink:href="data:image/jpeg;base64,${background.jpegBase64}"/>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${image}<g>${maskElements(mask, style, frame)}</g></svg>`;
}
