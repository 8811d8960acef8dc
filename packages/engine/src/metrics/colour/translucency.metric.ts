import { areaIndex, assessableAreas } from '../../colour/area-stats.ts';
import { ANCHORS, scoreLowerIsBetter, TRANSLUCENCY_NORMS } from '../../colour/calibration.ts';
import { colourDetailInput } from '../../colour/colour-detail.input.ts';
import { colourEvenInput, MIN_EVEN_PX_PER_MM } from '../../colour/colour-even.input.ts';
import { type ColourMaps, colourMapsInput, overexposedOutput } from '../../colour/colour-maps.input.ts';
import { heatmapFeatures } from '../../colour/heatmap.ts';
import { colourUnevennessInput, pooledUnevenness } from '../../colour/unevenness.input.ts';
import type { MetricContext, MetricModule } from '../../framework/metric.ts';
import type { AreaName } from '../../geometry/areas.ts';
import { countBothInBox, dilateMask } from '../../geometry/raster.ts';
import { type PixelBox, quantileOf } from '../../image/filters.ts';
import { frameFloat32, frameUint8 } from '../../image/frame-buffers.ts';
import { copyAt, indicesOf, keepAboveAt, keepWhere, sampleAt } from '../../image/pixel-stats.ts';
import { round, scoreValue } from '../../result/result-shape.ts';

/**
 * `translucency`: a radiance PROXY, not a measurement of subsurface light transport (which needs
 * cross-polarised capture or edge-loss reflectometry, skin-metrics-methods.md §11).
 *
 * Over the skin of forehead, nose and cheeks (at least 2 mm inside, colour-even.input.ts), three
 * components, each as a z-score against the calibration population (TRANSLUCENCY_NORMS):
 *  - lightness: median white-balanced L* (lighter skin reads as more translucent in panel
 *    studies, Int J Cosmet Sci 2022;44:500; weighted low because it also tracks skin tone), the
 *    clipped pixels of the same areas counted as brighter than any measured one (leaving them out
 *    made a brighter photo read darker);
 *  - gloss: 97th percentile of the band-pass ΔL* (moderate, diffuse highlight contrast), not within
 *    GLOSS_HALO_MM of a clipped pixel (the rim of a clipped highlight);
 *  - unevenness: mean normalised deviation of melanin, haemoglobin and shading-free L*, each area
 *    against its own medians, pooled over the areas (colour/unevenness.input.ts, as the
 *    uniformness face value).
 * Radiance index = 0.2·z_lightness + 0.4·z_gloss − 0.4·z_unevenness − greasy-shine penalty
 * (3 × clipped share of skin above 10%: light skin under bright light clips a little anyway).
 * Score = scoreLowerIsBetter(−index, ANCHORS.translucency): population 5th/50th/95th percentile
 * of the index → 95/80/50, monotonic (higher index, higher score). The weights are set by hand
 * (no labelled translucency data here): a documented proxy, not a fitted model. Heatmap: the
 * glow regions (band-pass ΔL* above +2, unclipped), intensity = mean ΔL* / 10.
 * Below MIN_EVEN_PX_PER_MM (0.67 px/mm, colour-even.input.ts): not assessable at this resolution;
 * above OVEREXPOSED_CLIPPED_FRACTION of clipped skin: not assessable, overexposed.
 */
const ZONE: readonly AreaName[] = ['forehead', 'nose', 'left_cheek', 'right_cheek'];
/** Gloss is not sampled within this distance of a clipped pixel, mm. */
export const GLOSS_HALO_MM = 1;

export const translucencyMetric: MetricModule = {
  techName: 'translucency',
  familyTechName: 'selfie_v2.translucency',
  version: '1.0.0',
  name: 'Translucency',
  description: 'Radiance proxy from lightness, evenness and diffuse gloss of the skin.',
  needs: ['colour', 'colour-detail', 'colour-even', 'colour-unevenness'],
  areas: ['face'],
  outputs: { main: 'translucency_score', sub: [], maskType: 'heatmap_mask' },
  minPxPerMm: MIN_EVEN_PX_PER_MM,
  compute(ctx) {
    const maps = ctx.input(colourMapsInput);
    const detail = ctx.input(colourDetailInput);
    const even = ctx.input(colourEvenInput);
    const { ok, notAssessable } = assessableAreas(ctx, ZONE);
    const overexposed = overexposedOutput(maps, ['face'], notAssessable);
    if (overexposed) return overexposed;
    const zone = frameUint8(maps.skin.length);
    for (const area of ok) copyAt(zone, even.interior, areaIndex(ctx, area));
    const zoneIdx = indicesOf(zone);
    const unevennessRaw = pooledUnevenness(ctx.input(colourUnevennessInput), ok);
    if (zoneIdx.length < 100 || !Number.isFinite(unevennessRaw)) {
      return {
        area_results: [],
        not_assessable_areas: [{ area_name: 'face', reason: 'occluded' }, ...notAssessable],
      };
    }
    const clipped = clippedIn(ctx, maps, ok);
    const lightness = medianCountingClipped(sampleAt(maps.L, zoneIdx), zoneIdx.length, clipped.count);
    const glossIdx = keepWhere(zoneIdx, clipped.halo, 0);
    const gloss = quantileOf(sampleAt(detail.delta.L, glossIdx.length >= 100 ? glossIdx : zoneIdx), 0.97);
    const N = TRANSLUCENCY_NORMS;
    const z = (x: number, k: { median: number; scale: number }) => (x - k.median) / k.scale;
    const shine = 3 * Math.max(0, maps.clippedFraction - 0.1);
    const index =
      0.2 * z(lightness, N.lightness) +
      0.4 * z(gloss, N.gloss) -
      0.4 * z(unevennessRaw, N.unevenness) -
      shine;
    const score = scoreLowerIsBetter(-index, ANCHORS.translucency);
    const glow = frameFloat32(zone.length);
    keepAboveAt(glow, detail.delta.L, zoneIdx, 2);
    return {
      area_results: [
        {
          area_name: 'face',
          main_metric: scoreValue('translucency_score', 'Translucency Score', score),
          sub_metrics: [],
        },
      ],
      masks: {
        mask_type: 'heatmap_mask',
        features: heatmapFeatures(glow, maps.width, maps.height, ctx.frame, ctx.face.pxPerMm, {
          minAreaMm2: 3,
          fullScale: 10,
          maxRegions: 60,
        }),
      },
      ...(notAssessable.length ? { not_assessable_areas: notAssessable } : {}),
      raw: {
        index: round(index, 3),
        lightness: round(lightness, 1),
        clipped_in_zone: clipped.count,
        gloss: round(gloss, 3),
        unevenness: round(unevennessRaw, 3),
        shine_penalty: round(shine, 3),
      },
    };
  },
};

/**
 * Clipped skin (a channel at its clip level: in the skin region but not usable skin) inside the zone's areas:
 * how many pixels, and a halo of GLOSS_HALO_MM around every clipped pixel of the face, where the
 * band-pass L* is the rim of a clipped highlight rather than the skin's own gloss.
 */
function clippedIn(
  ctx: MetricContext,
  maps: ColourMaps,
  areas: readonly AreaName[],
): { count: number; halo: Uint8Array } {
  const { width, height, skin, skinRegion, skinBox } = maps;
  const clipped = frameUint8(skin.length);
  const any = markClipped(skinRegion, skin, width, skinBox, clipped);
  let count = 0;
  for (const area of areas) count += countBothInBox(clipped, ctx.frame.areaMask(area).data, width, skinBox);
  if (!any) return { count, halo: clipped };
  const r = Math.max(1, Math.round(GLOSS_HALO_MM * ctx.face.pxPerMm));
  return { count, halo: dilateMask({ data: clipped, width, height }, r).data };
}

/** Sets `out` on the pixels of `box` in the skin region but not usable skin; true when there is one. */
function markClipped(
  skinRegion: Uint8Array,
  skin: Uint8Array,
  width: number,
  box: PixelBox,
  out: Uint8Array,
): boolean {
  let any = false;
  for (let y = box.y0; y < box.y1; y++)
    for (let x = box.x0, i = y * width + x; x < box.x1; x++, i++)
      if (skinRegion[i] && !skin[i]) {
        out[i] = 1;
        any = true;
      }
  return any;
}

/**
 * Median L* of the zone when `clipped` more of its pixels are brighter than any measured one:
 * the (n + clipped) / 2-th value of the n measured (`sample` drawn from them), 100 past the end.
 */
export function medianCountingClipped(sample: Float32Array, n: number, clipped: number): number {
  const q = (0.5 * (n + clipped)) / n;
  return q >= 1 ? 100 : quantileOf(sample, q);
}
