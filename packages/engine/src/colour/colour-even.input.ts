import type { InputProvider } from '../framework/metric.ts';
import { dilateMask } from '../geometry/raster.ts';
import { boxMeans } from '../image/filters.ts';
import { frameUint8 } from '../image/frame-buffers.ts';
import { type ColourMaps, colourMapsInput } from './colour-maps.input.ts';

/**
 * The melanin and haemoglobin densities of the colour maps smoothed to EVEN_SCALE_MM (box mean
 * over skin), for evenness (uniformness, translucency): pore-scale texture and noise out, blotches
 * of 2 mm and more in. Tsumura's separation already removes shading, so no band-pass is needed.
 */
export interface ColourEven {
  melanin: Float32Array;
  haemoglobin: Float32Array;
  /** Usable skin at least INTERIOR_MM from any non-skin pixel (face edge, hair, features). */
  interior: Uint8Array;
}

/** Evenness is measured this far inside the skin: edges carry shading and hair, not blotches. */
export const INTERIOR_MM = 2;

export const EVEN_SCALE_MM = 1.5;
/**
 * Smallest face scale at which evenness is measured as specified, px/mm: below it the EVEN_SCALE_MM
 * radius would be under a pixel and the filters, clamped to one pixel, would smooth over several
 * millimetres instead (at the limit a face is about 95 px wide). Uniformness and translucency
 * answer "not assessable at this resolution" below it: on a portrait at 0.46, 0.37 and 0.29 px/mm
 * (one photo at three sizes) translucency moved by 15 points.
 */
export const MIN_EVEN_PX_PER_MM = 1 / EVEN_SCALE_MM;

export const colourEvenInput: InputProvider<ColourEven> = {
  id: 'colour-even',
  needs: ['colour'],
  compute(ctx) {
    const maps = ctx.input(colourMapsInput);
    const r = Math.max(1, Math.round(EVEN_SCALE_MM * ctx.face.pxPerMm));
    const interior = interiorOf(maps, Math.max(1, Math.round(INTERIOR_MM * ctx.face.pxPerMm)));
    const [melanin, haemoglobin] = boxMeans(
      [maps.melanin, maps.haemoglobin],
      maps.width,
      maps.height,
      r,
      maps.skin,
      maps.skinBox,
    ) as [Float32Array, Float32Array];
    return { interior, melanin, haemoglobin };
  },
};

/**
 * Skin at least `r` px (Chebyshev) from any pixel outside the skin region: the outside dilated by
 * r, over the skin box and an r-pixel margin only (skin lies inside the box; farther pixels
 * cannot reach it).
 */
function interiorOf(maps: ColourMaps, r: number): Uint8Array {
  const { width, height, skin, skinRegion } = maps;
  const x0 = Math.max(0, maps.skinBox.x0 - r);
  const y0 = Math.max(0, maps.skinBox.y0 - r);
  const w = Math.min(width, maps.skinBox.x1 + r) - x0;
  const h = Math.min(height, maps.skinBox.y1 + r) - y0;
  const outside = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0, i = (y + y0) * width + x0; x < w; x++, i++) outside[y * w + x] = skinRegion[i] ? 0 : 1;
  const grown = dilateMask({ data: outside, width: w, height: h }, r).data;
  const interior = frameUint8(skin.length);
  for (let y = 0; y < h; y++)
    for (let x = 0, i = (y + y0) * width + x0; x < w; x++, i++)
      interior[i] = skin[i]! & (1 - grown[y * w + x]!);
  return interior;
}
