import type { MetricModule } from '../../framework/metric.ts';
import {
  metricValue,
  type NotAssessableArea,
  type NotAssessableReason,
  notMeasured,
  numberValue,
  round,
} from '../../result/result-shape.ts';
import { ROUGHNESS_MIN_PX_PER_MM, type ShineMeasurement, shineInput } from './shine.input.ts';

/**
 * `skin_type`: oily / normal / dry / combination from shine (shine.input.ts, research §12), as
 * Haut.AI does it: the T-zone and the U-zone are classed separately, "combination" when they
 * disagree. A zone is
 * - oily when its shine index (specular % × mean L* excess) ≥ OILY_INDEX = 45, the 75th percentile
 *   of the T-zone index over the 39 single-face shared portraits (median 18): a quarter read oily;
 * - dry when it has almost no shine (index < DRY_INDEX = 0.5) and the cheek fine-texture roughness
 *   is ≥ DRY_ROUGHNESS (0.8 L*, the 75th percentile of the shared portraits where measurable);
 * - normal otherwise.
 * Not assessed, never guessed: a hidden zone (shine.input.ts) has no type; a matte zone whose cheek
 * roughness was not measured (below 2 px/mm, or cheeks hidden) cannot be told dry from normal and
 * has no type either; the face type needs both zones. The AILab confidences that depend on
 * roughness are then null.
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

/**
 * Probability-like degree (0-1) of oiliness and dryness of a zone: logistic around the thresholds.
 * `dry` is null when the roughness was not measured; `matte` bounds it (dry = rough × matte).
 */
function degrees(
  index: number,
  roughness: number | null,
): { oily: number; dry: number | null; matte: number } {
  const oily = 1 / (1 + Math.exp(-(Math.log1p(index) - Math.log1p(OILY_INDEX)) * 3));
  const matte = 1 / (1 + Math.exp((index - DRY_INDEX) / 0.3));
  const rough = roughness === null ? null : 1 / (1 + Math.exp(-(roughness - DRY_ROUGHNESS) / 0.08));
  return { oily, dry: rough === null ? null : rough * matte, matte };
}

/** The zone's type, or null when it cannot be told (matte, roughness not measured). */
function zoneType(d: { oily: number; dry: number | null; matte: number }): ZoneType | null {
  if (d.oily >= 0.5) return 'oily';
  if (d.dry === null) return d.matte < 0.5 ? 'normal' : null;
  if (d.dry >= 0.5) return 'dry';
  return 'normal';
}

export interface SkinTypeClass {
  /** null when a zone's type is unknown. */
  type: SkinType | null;
  tType: ZoneType | null;
  uType: ZoneType | null;
  /** Why the face type is unknown (absent when known). */
  reason?: NotAssessableReason;
  ailab: { skin_type: number | null; details: Record<string, { value: number; confidence: number | null }> };
}

export function classifySkinType(s: ShineMeasurement, pxPerMm: number): SkinTypeClass {
  const roughnessReason: NotAssessableReason = pxPerMm < ROUGHNESS_MIN_PX_PER_MM ? 'resolution' : 'occluded';
  const t = s.tZone && degrees(s.tZone.index, s.roughness);
  const u = s.uZone && degrees(s.uZone.index, s.roughness);
  const tType = t && zoneType(t);
  const uType = u && zoneType(u);
  const type: SkinType | null = tType && uType ? (tType === uType ? tType : 'combination') : null;
  const reason = type ? undefined : !t || !u ? 'occluded' : roughnessReason;
  const oily = t && u ? Math.min(t.oily, u.oily) : null;
  const dry = t?.dry != null && u?.dry != null ? Math.min(t.dry, u.dry) : null;
  const combination =
    t && u && dry !== null ? Math.max(Math.abs(t.oily - u.oily), Math.abs(t.dry! - u.dry!)) : null;
  const normal =
    oily !== null && dry !== null && combination !== null
      ? Math.max(0, 1 - Math.max(oily, dry, combination))
      : null;
  const conf = { 0: oily, 1: dry, 2: normal, 3: combination };
  const code = type ? { oily: 0, dry: 1, normal: 2, combination: 3 }[type] : null;
  const details = Object.fromEntries(
    Object.entries(conf).map(([k, v]) => [
      k,
      { value: Number(k) === code ? 1 : 0, confidence: v === null ? null : round(v, 2) },
    ]),
  );
  return { type, tType, uType, ...(reason ? { reason } : {}), ailab: { skin_type: code, details } };
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
    const c = classifySkinType(s, ctx.face.pxPerMm);
    const classValue = (tech: string, name: string, v: string | null, zoneShown: boolean) =>
      v !== null
        ? metricValue(tech, name, v, 'class')
        : notMeasured(tech, name, zoneShown ? (c.reason ?? 'occluded') : 'occluded', 'class');
    const notAssessable: NotAssessableArea[] = [];
    if (!s.tZone) notAssessable.push({ area_name: 't_zone', reason: 'occluded' });
    if (!s.uZone) notAssessable.push({ area_name: 'u_zone', reason: 'occluded' });
    return {
      area_results: [
        {
          area_name: 'face',
          main_metric: classValue('skin_type', 'Skin Type', c.type, true),
          sub_metrics: [
            classValue('t_zone_type', 'T-zone', c.tType, s.tZone !== null),
            classValue('u_zone_type', 'U-zone', c.uType, s.uZone !== null),
            numberValue('shine_t_zone', 'T-zone Shine', s.tZone ? s.tZone.index : null, {
              reason: 'occluded',
            }),
            numberValue('shine_u_zone', 'U-zone Shine', s.uZone ? s.uZone.index : null, {
              reason: 'occluded',
            }),
          ],
        },
      ],
      masks: {
        mask_type: 'heatmap_mask',
        features: s.specularFeatures(),
      },
      ...(notAssessable.length ? { not_assessable_areas: notAssessable } : {}),
      raw: {
        roughness: s.roughness === null ? null : round(s.roughness, 2),
        ailab: { skin_type: c.ailab },
      },
    };
  },
};
