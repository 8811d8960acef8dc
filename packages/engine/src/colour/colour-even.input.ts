import { dilateMask } from '../geometry/raster.ts';
import type { InputProvider } from '../metrics/metric.ts';
import { boxMeansInBox } from './area-stats.ts';
import { colourDetailInput } from './colour-detail.input.ts';
import { colourMapsInput } from './colour-maps.input.ts';

/**
 * The colour-detail maps smoothed to EVEN_SCALE_MM (box mean over skin), for evenness
 * (uniformness, translucency): pore-scale texture and noise out, blotches of 2 mm and more in.
 * `L` is the smoothed band-pass ΔL* (shading removed); `melanin` and `haemoglobin` the
 * densities of the colour maps smoothed the same way (Tsumura's separation already removes
 * shading).
 */
export interface ColourEven {
  L: Float32Array;
  melanin: Float32Array;
  haemoglobin: Float32Array;
  /** Usable skin at least INTERIOR_MM from any non-skin pixel (face edge, hair, features). */
  interior: Uint8Array;
}

/** Evenness is measured this far inside the skin: edges carry shading and hair, not blotches. */
export const INTERIOR_MM = 2;

export const EVEN_SCALE_MM = 1.5;

export const colourEvenInput: InputProvider<ColourEven> = {
  id: 'colour-even',
  needs: ['colour', 'colour-detail'],
  compute(ctx) {
    const maps = ctx.input(colourMapsInput);
    const detail = ctx.input(colourDetailInput);
    const r = Math.max(1, Math.round(EVEN_SCALE_MM * ctx.face.pxPerMm));
    const outside = new Uint8Array(maps.skin.length);
    const region = maps.skinRegion;
    const skin = maps.skin;
    for (let i = 0; i < outside.length; i++) outside[i] = region[i] ? 0 : 1;
    const grown = dilateMask(
      { data: outside, width: maps.width, height: maps.height },
      Math.max(1, Math.round(INTERIOR_MM * ctx.face.pxPerMm)),
    ).data;
    const interior = new Uint8Array(maps.skin.length);
    for (let i = 0; i < interior.length; i++) interior[i] = skin[i]! & (1 - grown[i]!);
    const [L, melanin, haemoglobin] = boxMeansInBox(
      [detail.delta.L, maps.melanin, maps.haemoglobin],
      maps.width,
      maps.skinBox,
      r,
      maps.skin,
    ) as [Float32Array, Float32Array, Float32Array];
    return { interior, L, melanin, haemoglobin };
  },
};
