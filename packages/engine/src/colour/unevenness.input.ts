import type { InputProvider } from '../framework/metric.ts';
import type { AreaName } from '../geometry/areas.ts';
import { keepWhere, medianAt } from '../image/pixel-stats.ts';
import { areaIndex } from './area-stats.ts';
import { UNIFORMNESS_NORMS } from './calibration.ts';
import { colourEvenInput } from './colour-even.input.ts';
import { colourMapsInput } from './colour-maps.input.ts';
import { pigmentLightnessSlopes } from './pigment-separation.ts';

/**
 * Colour unevenness per area, shared by uniformness and translucency (skin-metrics-methods.md §8).
 *
 * Over an area's skin at least INTERIOR_MM inside (colour-even `interior`), per pixel: the
 * deviations Δmel and Δhb of the smoothed melanin and haemoglobin densities from their median
 * over the area (`refMelanin`, `refHaemoglobin`), and the lightness difference they make,
 * ΔL*pig = sL,mel·Δmel + sL,hb·Δhb (pigment-separation.ts `pigmentLightnessSlopes` at the area's
 * median colour): L* with shading removed. Each is divided by its population norm
 * (UNIFORMNESS_NORMS) and capped at UNEVENNESS_CAP (stray non-skin), then averaged:
 * u = (|ΔL*pig|/nL + |Δmel|/nM + |Δhb|/nH) / 3.
 * The lightness term is the pigments' and not the photo's L*: a band-pass of L* keeps the shading
 * of creases, expression lines and highlights at the 1-12 mm scale of blotches, and across eight
 * photos of one session it moved by 0.8 of the population's spread where melanin and
 * haemoglobin moved by 0.2-0.4 of theirs.
 * `mean` is the area's mean u (≈ 1 on a typical face); `deviation` holds the three mean absolute
 * deviations before normalising (what the norms are calibrated from). Each area is measured
 * against its own medians, so the large-scale colour differences between areas, which follow the
 * light's direction and colour as much as the skin, do not count.
 */
export interface AreaUnevenness {
  /** Interior skin pixels of the area (frame indices). */
  idx: Int32Array;
  mean: number;
  refMelanin: number;
  refHaemoglobin: number;
  deviation: { L: number; melanin: number; haemoglobin: number };
}

export type ColourUnevenness = Map<AreaName, AreaUnevenness>;

/** Areas measured (those of uniformness and translucency); areas with under 30 interior pixels are left out. */
export const UNEVENNESS_AREAS: readonly AreaName[] = [
  'forehead',
  'nose',
  'left_cheek',
  'right_cheek',
  'chin',
];
export const UNEVENNESS_CAP = 6;

export const colourUnevennessInput: InputProvider<ColourUnevenness> = {
  id: 'colour-unevenness',
  needs: ['colour', 'colour-even'],
  compute(ctx) {
    const maps = ctx.input(colourMapsInput);
    const even = ctx.input(colourEvenInput);
    const nL = 1 / UNIFORMNESS_NORMS.L;
    const nM = 1 / UNIFORMNESS_NORMS.melanin;
    const nH = 1 / UNIFORMNESS_NORMS.haemoglobin;
    const { melanin, haemoglobin } = even;
    const out: ColourUnevenness = new Map();
    for (const area of UNEVENNESS_AREAS) {
      const idx = keepWhere(areaIndex(ctx, area), even.interior);
      if (idx.length < 30) continue;
      const refM = medianAt(melanin, idx);
      const refH = medianAt(haemoglobin, idx);
      const slopes = pigmentLightnessSlopes({
        L: medianAt(maps.L, idx),
        a: medianAt(maps.a, idx),
        b: medianAt(maps.b, idx),
      });
      const [su, sl, sm, sh] = deviationSums(
        idx,
        melanin,
        haemoglobin,
        [refM, refH],
        [slopes.melanin, slopes.haemoglobin],
        [nL, nM, nH],
      );
      const n = idx.length;
      out.set(area, {
        idx,
        mean: su / (3 * n),
        refMelanin: refM,
        refHaemoglobin: refH,
        deviation: { L: sl / n, melanin: sm / n, haemoglobin: sh / n },
      });
    }
    return out;
  },
};

/**
 * Over the pixels of `idx`: the sums of the capped, normalised deviations (L* through the pigment
 * slopes, melanin, haemoglobin; `scales` the three norms' inverses) and of the three absolute deviations.
 */
function deviationSums(
  idx: Int32Array,
  melanin: Float32Array,
  haemoglobin: Float32Array,
  refs: readonly [number, number],
  slopes: readonly [number, number],
  scales: readonly [number, number, number],
): [number, number, number, number] {
  const [refM, refH] = refs;
  const [slopeM, slopeH] = slopes;
  const [nL, nM, nH] = scales;
  let su = 0;
  let sl = 0;
  let sm = 0;
  let sh = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const dm = melanin[i]! - refM;
    const dh = haemoglobin[i]! - refH;
    const l = Math.abs(slopeM * dm + slopeH * dh);
    const m = Math.abs(dm);
    const h = Math.abs(dh);
    sl += l;
    sm += m;
    sh += h;
    su +=
      Math.min(UNEVENNESS_CAP, l * nL) + Math.min(UNEVENNESS_CAP, m * nM) + Math.min(UNEVENNESS_CAP, h * nH);
  }
  return [su, sl, sm, sh];
}

/** Pixel-weighted mean of the given areas' unevenness (a face value); NaN when none was measured. */
export function pooledUnevenness(byArea: ColourUnevenness, areas: readonly AreaName[]): number {
  let sum = 0;
  let count = 0;
  for (const area of areas) {
    const a = byArea.get(area);
    if (!a) continue;
    sum += a.mean * a.idx.length;
    count += a.idx.length;
  }
  return count ? sum / count : Number.NaN;
}
