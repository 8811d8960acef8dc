import type { MetricModule } from '../../framework/metric.ts';
import { measureQuality } from '../../quality/quality-measures.ts';
import { scoreQuality } from '../../quality/quality-scores.ts';
import { metricValue, round, scoreValue } from '../../result/result-shape.ts';

/**
 * `quality`: image quality of the analysed face (Haut.AI `quality`, AILab `face_quality_control`).
 * Main metric `image_quality_score` (0-100, geometric mean of the parts); sub-metrics are the part
 * scores of quality-scores.ts, and `raw` holds the measurements and the list of problems.
 */
export const qualityMetric: MetricModule = {
  techName: 'quality',
  familyTechName: 'selfie_v2.quality',
  version: '1.0.0',
  name: 'Image Quality',
  description:
    'Blur, exposure, light uniformity, colour cast, face size, head pose and occlusion, each 0-100.',
  needs: [],
  areas: ['face'],
  outputs: {
    main: 'image_quality_score',
    sub: [
      'blur_score',
      'underexposure_score',
      'overexposure_score',
      'light_uniformity_score',
      'colour_cast_score',
      'face_size_score',
      'head_pose_score',
      'occlusion_score',
    ],
    maskType: 'none',
  },
  minPxPerMm: 0,
  compute(ctx) {
    const measures = measureQuality(ctx.frame, ctx.face, ctx.image.toOriginal);
    const { scores, problems } = scoreQuality(measures);
    return {
      area_results: [
        {
          area_name: 'face',
          main_metric: scoreValue('image_quality_score', 'Image Quality Score', scores.overall),
          sub_metrics: [
            scoreValue('blur_score', 'Sharpness', scores.blur),
            scoreValue('underexposure_score', 'Under-exposure', scores.underexposure),
            scoreValue('overexposure_score', 'Over-exposure', scores.overexposure),
            scoreValue('light_uniformity_score', 'Light Uniformity', scores.light_uniformity),
            scoreValue('colour_cast_score', 'Colour Cast', scores.colour_cast),
            scoreValue('face_size_score', 'Face Size', scores.face_size),
            scoreValue('head_pose_score', 'Head Pose', scores.head_pose),
            scoreValue('occlusion_score', 'Occlusion', scores.occlusion),
            metricValue('problems', 'Problems', problems.join(',') || null, 'text', { problems }),
          ],
        },
      ],
      raw: Object.fromEntries(Object.entries(measures).map(([k, v]) => [k, round(v, 2)])),
    };
  },
};
