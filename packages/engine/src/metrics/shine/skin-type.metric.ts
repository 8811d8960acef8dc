import type { MetricModule } from '../../framework/metric.ts';
import { metricValue } from '../../result/result-shape.ts';
import { type ShineMeasurement, shineInput } from './shine.input.ts';

/**
 * `skin_type`: oily / normal / dry / combination from shine (shine.input.ts, research §12), as
 * Haut.AI does it: the T-zone and the U-zone are classed separately, "combination" when they
 * disagree. A zone is
 * - oily when its shine index (specular % × mean L* excess) ≥ OILY_INDEX = 45, the 75th percentile
 *   of the T-zone index over the 39 single-face shared portraits (median 18): a quarter read oily;
 * - dry when it has almost no shine (index < DRY_INDEX = 0.5) and the cheek fine-texture roughness
 *   is ≥ DRY_ROUGHNESS (0.8 L*, the 75th percentile of the shared portraits where measurable);
 * - normal otherwise.
 * Sebum changes through the day and a photo's light decides what shines: one photo gives an
 * appearance class, not a sebumeter reading. Main metric `skin_type` (class text); sub-metrics
 * `t_zone_type`, `u_zone_type`, `shine_t_zone`, `shine_u_zone` (indices). raw.ailab.skin_type:
 * {skin_type: 0 oily | 1 dry | 2 normal | 3 combination, details: {0..3: {value, confidence}}}.
 * Heatmap mask: the specular highlights.
 */
export const OILY_INDEX = 45;
export const DRY_INDEX = 0.5;
export const DRY_ROUGHNESS = 0.8;

export type ZoneType = 'oily' | 'normal' | 'dry';
export type SkinType = ZoneType | 'combination';

/** Probability-like degree (0-1) of oiliness and dryness of a zone: logistic around the thresholds. */
function degrees(index: number, roughness: number): { oily: number; dry: number } {
  const oily = 1 / (1 + Math.exp(-(Math.log1p(index) - Math.log1p(OILY_INDEX)) * 3));
  const rough = Number.isFinite(roughness) ? 1 / (1 + Math.exp(-(roughness - DRY_ROUGHNESS) / 0.08)) : 0.3;
  const matte = 1 / (1 + Math.exp((index - DRY_INDEX) / 0.3));
  return { oily, dry: rough * matte };
}

function zoneType(d: { oily: number; dry: number }): ZoneType {
  if (d.oily >= 0.5) return 'oily';
  if (d.dry >= 0.5) return 'dry';
  return 'normal';
}

export function classifySkinType(s: ShineMeasurement) {
  const t = degrees(s.tZone.index, s.roughness);
  const u = degrees(s.uZone.index, s.roughness);
  const tType = zoneType(t);
  const uType = zoneType(u);
  const type: SkinType = tType === uType ? tType : 'combination';
  const r2 = (v: number) => Math.round(v * 100) / 100;
  const oily = Math.min(t.oily, u.oily);
  const dry = Math.min(t.dry, u.dry);
  const combination = Math.max(Math.abs(t.oily - u.oily), Math.abs(t.dry - u.dry));
  const normal = Math.max(0, 1 - Math.max(oily, dry, combination));
  const conf = { 0: oily, 1: dry, 2: normal, 3: combination };
  const code = { oily: 0, dry: 1, normal: 2, combination: 3 }[type];
  const details = Object.fromEntries(
    Object.entries(conf).map(([k, v]) => [k, { value: Number(k) === code ? 1 : 0, confidence: r2(v) }]),
  );
  return { type, tType, uType, ailab: { skin_type: code, details } };
}

export const skinTypeMetric: MetricModule = {
  techName: 'skin_type',
  familyTechName: 'selfie_v2.skin_type',
  version: '1.0.0',
  name: 'Skin Type',
  description: 'Oily, normal, dry or combination from T-zone and U-zone shine and fine texture.',
  needs: ['shine'],
  areas: ['face', 't_zone', 'u_zone'],
  outputs: {
    main: 'skin_type',
    sub: ['t_zone_type', 'u_zone_type', 'shine_t_zone', 'shine_u_zone'],
    maskType: 'heatmap_mask',
  },
  minPxPerMm: 0.4,
  compute(ctx) {
    const s = ctx.input(shineInput);
    const c = classifySkinType(s);
    const r2 = (v: number) => Math.round(v * 100) / 100;
    return {
      area_results: [
        {
          area_name: 'face',
          main_metric: metricValue('skin_type', 'Skin Type', c.type, 'class'),
          sub_metrics: [
            metricValue('t_zone_type', 'T-zone', c.tType, 'class'),
            metricValue('u_zone_type', 'U-zone', c.uType, 'class'),
            metricValue('shine_t_zone', 'T-zone Shine', r2(s.tZone.index)),
            metricValue('shine_u_zone', 'U-zone Shine', r2(s.uZone.index)),
          ],
        },
      ],
      masks: {
        mask_type: 'heatmap_mask',
        features: s.specularFeatures(),
      },
      raw: { roughness: r2(s.roughness), ailab: { skin_type: c.ailab } },
    };
  },
};
