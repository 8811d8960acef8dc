import type { InputProvider } from '../framework/metric.ts';
import { boxMeans, type PixelBox } from '../image/filters.ts';
import { medianAt } from '../image/pixel-stats.ts';
import { colourMapsInput } from './colour-maps.input.ts';

/**
 * Shading-corrected detail of the colour maps, shared by skin tone, redness, pigmentation, dark
 * circles and translucency:
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
  /**
   * The face's median fine a* (medianAt over the colour maps' `skinIndex`), the reference of skin
   * tone's and redness's red-lesion tests (one computation for both).
   */
  faceA: number;
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
    const { width, height } = maps;
    const [L, a, melanin] = boxMeans(
      [maps.L, maps.a, maps.melanin],
      width,
      height,
      fineRadiusPx,
      skin,
      box,
    ) as [Float32Array, Float32Array, Float32Array];
    // The background means become the band-pass detail in place (fine − background).
    const [deltaL, deltaMelanin] = boxMeans([L, melanin], width, height, backgroundRadiusPx, skin, box) as [
      Float32Array,
      Float32Array,
    ];
    replaceBackgroundByDetail(deltaL, L, skin, box, width);
    replaceBackgroundByDetail(deltaMelanin, melanin, skin, box, width);
    return {
      fineRadiusPx,
      backgroundRadiusPx,
      fine: { L, a, melanin },
      delta: { L: deltaL, melanin: deltaMelanin },
      faceA: medianAt(a, maps.skinIndex),
    };
  },
};

/** back ← fine − back on skin, 0 elsewhere (in place; back is 0 outside the skin box already). */
function replaceBackgroundByDetail(
  back: Float32Array,
  fine: Float32Array,
  skin: Uint8Array,
  box: PixelBox,
  width: number,
): void {
  for (let y = box.y0; y < box.y1; y++)
    for (let i = y * width + box.x0, end = y * width + box.x1; i < end; i++)
      back[i] = skin[i] ? fine[i]! - back[i]! : 0;
}
