import { assessableAreas } from '../../colour/area-stats.ts';
import type { MetricModule } from '../../framework/metric.ts';
import { eyeOpenness, MIN_EYE_OPENNESS } from '../../geometry/eye-openness.ts';
import {
  type AreaResult,
  type MetricValue,
  type NotAssessableReason,
  notMeasured,
  round,
  scoreValue,
} from '../../result/result-shape.ts';
import { darkCirclesPart } from './dark-circles.input.ts';
import { type EyeAreaPart, type EyeSide, PART_SUB_METRICS } from './eye-area-part.ts';
import { eyeBagsPart } from './eye-bags.ts';

/**
 * `eye_area_condition` (Haut.AI family `selfie_v2.eye_bags`): the under-eye areas.
 * It is assembled from parts (eye-area-part.ts), each giving a 0-100 score per side:
 * dark circles (colour, dark-circles.ts); eye bags and lacrimal groove (structure) join as
 * further parts. Main metric `eye_area_condition` per side = mean of the parts' scores (monotonic
 * in each); `face` = mean of the two sides, with each part's sub-metric averaged too.
 * An under-eye area more than 30% occluded (glasses, hair) is not assessable, and so is one whose
 * eye is closed or squeezed (openness under MIN_EYE_OPENNESS, geometry/eye-openness.ts): the
 * lower lid and the skin below it bunch up. A side that a part could not measure (eye bags below
 * 1 px/mm or with the head turned; a hidden cheek for dark circles) reports that part's sub-metrics
 * as null with the reason, and its `eye_area_condition` is null: the main score is the mean of all
 * parts or nothing, never one part standing in for the others.
 */
export const eyeAreaConditionMetric: MetricModule = {
  techName: 'eye_area_condition',
  familyTechName: 'selfie_v2.eye_bags',
  version: '1.0.0',
  name: 'Eye Area Condition',
  description: 'Under-eye condition: dark circles (ΔL*, ΔE against the same-side cheek) and their type.',
  needs: ['colour', 'dark-circles'],
  areas: ['face', 'left_eye_area', 'right_eye_area'],
  outputs: {
    main: 'eye_area_condition',
    sub: ['dark_circles_score', 'dark_circle_type', 'eyes_bags_score', 'lacrimal_groove_score'],
    maskType: 'polygon_mask',
  },
  minPxPerMm: 0,
  compute(ctx) {
    const { ok, notAssessable } = assessableAreas(ctx, ['left_eye_area', 'right_eye_area']);
    const openness: Record<EyeSide, number> = {
      left_eye_area: eyeOpenness(ctx.face, 'left'),
      right_eye_area: eyeOpenness(ctx.face, 'right'),
    };
    const sides: EyeSide[] = [];
    for (const side of ok as EyeSide[]) {
      if (openness[side] >= MIN_EYE_OPENNESS) sides.push(side);
      else notAssessable.push({ area_name: side, reason: 'eye_closed' });
    }
    const parts: EyeAreaPart[] = [darkCirclesPart(ctx, sides), eyeBagsPart(ctx, sides)];
    const area_results: AreaResult[] = [];
    const sideScores: number[] = [];
    for (const side of sides) {
      const missing = parts.filter((p) => !p.sides[side]);
      if (missing.length === parts.length) {
        notAssessable.push({ area_name: side, reason: missing[0]?.reason ?? 'occluded' });
        continue;
      }
      const reason = missing[0]?.reason ?? 'occluded';
      const score = missing.length
        ? null
        : parts.reduce((a, p) => a + p.sides[side]!.score, 0) / parts.length;
      if (score !== null) sideScores.push(score);
      area_results.push({
        area_name: side,
        main_metric: scoreValue('eye_area_condition', 'Eye Area Condition', score, reason),
        sub_metrics: parts.flatMap((p): MetricValue[] => {
          const found = p.sides[side];
          if (found) return found.subMetrics;
          return (PART_SUB_METRICS[p.name] ?? []).map((m) =>
            notMeasured(m.techName, m.name, p.reason ?? 'occluded', m.widget),
          );
        }),
      });
    }
    if (area_results.length) {
      const firstMissing = parts.find((p) => sides.some((s) => !p.sides[s]));
      const face: AreaResult = {
        area_name: 'face',
        main_metric: scoreValue(
          'eye_area_condition',
          'Eye Area Condition',
          sideScores.length ? sideScores.reduce((a, b) => a + b, 0) / sideScores.length : null,
          firstMissing?.reason ?? 'occluded',
        ),
        sub_metrics: [],
      };
      const seen = new Set<string>();
      for (const r of area_results)
        for (const m of r.sub_metrics) {
          if (seen.has(m.tech_name)) continue;
          seen.add(m.tech_name);
          const values = area_results
            .map((x) => x.sub_metrics.find((s) => s.tech_name === m.tech_name)?.value)
            .filter((v) => v !== undefined && v !== null);
          const reason = (m.widget_meta?.reason as NotAssessableReason | undefined) ?? 'occluded';
          if (m.widget_type === 'bad_good_line')
            face.sub_metrics.push(
              scoreValue(
                m.tech_name,
                m.name,
                values.length ? (values as number[]).reduce((a, b) => a + b, 0) / values.length : null,
                reason,
              ),
            );
          else face.sub_metrics.push({ ...m, value: worstType(area_results, m.tech_name) });
        }
      area_results.unshift(face);
    }
    return {
      area_results,
      masks: { mask_type: 'polygon_mask', features: parts.flatMap((p) => p.features) },
      ...(notAssessable.length ? { not_assessable_areas: notAssessable } : {}),
      raw: {
        ...Object.fromEntries(parts.map((p) => [p.name, p.raw])),
        eye_openness: {
          left_eye_area: round(openness.left_eye_area, 3),
          right_eye_area: round(openness.right_eye_area, 3),
        },
      },
    };
  },
};

/** For a categorical sub-metric of the face: the value of the side with the lower main score. */
function worstType(sides: AreaResult[], techName: string): string | number | null {
  const measured = sides.filter((s) => s.sub_metrics.find((m) => m.tech_name === techName)?.value != null);
  const score = (r: AreaResult) => Number(r.main_metric.value ?? Number.POSITIVE_INFINITY);
  const sorted = [...measured].sort((a, b) => score(a) - score(b));
  return sorted[0]?.sub_metrics.find((s) => s.tech_name === techName)?.value ?? null;
}
