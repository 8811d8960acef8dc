import type { InputProvider } from '../metrics/metric.ts';
import { boxMeansInBox } from './area-stats.ts';
import { colourMapsInput } from './colour-maps.input.ts';

/**
 * Shading-corrected detail of the colour maps, shared by redness, uniformness, pigmentation and
 * translucency:
 *  - `fine` (L*, a*, melanin): mean over a box of radius FINE_MM over skin (noise
 *    and pore-scale texture removed);
 *  - `delta` (L*, melanin): fine minus the skin-weighted mean over a box of radius BACKGROUND_MM
 *    (normalised convolution over skin only, so hair and features do not leak in). This is a
 *    band-pass from about 1 mm to about 12 mm: low-frequency shading and the face's overall
 *    tone drop out (skin-metrics-methods.md §4 and §8 suggest σ ≈ 5-10 mm).
 * Box radii are in millimetres through ctx.face.pxPerMm, so results do not depend on image size.
 */
export interface ColourDetail {
  fineRadiusPx: number;
  backgroundRadiusPx: number;
  fine: { L: Float32Array; a: Float32Array; melanin: Float32Array };
  delta: { L: Float32Array; melanin: Float32Array };
}

export const FINE_MM = 0.4;
export const BACKGROUND_MM = 6;

export const colourDetailInput: InputProvider<ColourDetail> = {
  id: 'colour-detail',
  needs: ['colour'],
  compute(ctx) {
    const maps = ctx.input(colourMapsInput);
    const fineRadiusPx = Math.max(1, Math.round(FINE_MM * ctx.face.pxPerMm));
    const backgroundRadiusPx = Math.max(3, Math.round(BACKGROUND_MM * ctx.face.pxPerMm));
    const box = maps.skinBox;
    const skin = maps.skin;
    const [L, a, melanin] = boxMeansInBox(
      [maps.L, maps.a, maps.melanin],
      maps.width,
      box,
      fineRadiusPx,
      skin,
    ) as [Float32Array, Float32Array, Float32Array];
    const backgrounds = boxMeansInBox([L, melanin], maps.width, box, backgroundRadiusPx, skin);
    const [deltaL, deltaMelanin] = [L, melanin].map((fineValues, k) => {
      const back = backgrounds[k]!;
      const out = new Float32Array(fineValues.length);
      for (let i = 0; i < out.length; i++) if (skin[i]) out[i] = fineValues[i]! - back[i]!;
      return out;
    }) as [Float32Array, Float32Array];
    return {
      fineRadiusPx,
      backgroundRadiusPx,
      fine: { L, a, melanin },
      delta: { L: deltaL, melanin: deltaMelanin },
    };
  },
};
