import type { MetricModule } from '../../framework/metric.ts';
import { metricValue, round } from '../../result/result-shape.ts';

/**
 * `face_detector`: the analysed (largest) face's box and confidence, and the number of faces found.
 * Main metric: detector confidence 0-1. Mask: the face box as a polygon.
 */
export const faceDetectorMetric: MetricModule = {
  techName: 'face_detector',
  familyTechName: 'selfie_v2.face_detector',
  version: '1.0.0',
  name: 'Face Detector',
  description: 'BlazeFace detection refined by the face mesh; the largest face is analysed.',
  needs: [],
  areas: ['face'],
  outputs: {
    main: 'face_confidence',
    sub: ['faces_count', 'face_box', 'landmarks_count'],
    maskType: 'polygon_mask',
  },
  minPxPerMm: 0,
  compute(ctx) {
    const [x, y, w, h] = ctx.face.box;
    const k = ctx.image.toOriginal;
    const box = [x * k, y * k, w * k, h * k].map((v) => Math.round(v));
    return {
      area_results: [
        {
          area_name: 'face',
          main_metric: metricValue('face_confidence', 'Face Confidence', round(ctx.face.score, 3)),
          sub_metrics: [
            metricValue('faces_count', 'Faces Count', ctx.faceCount),
            metricValue('face_box', 'Face Box', null, 'numeric', {
              x: box[0],
              y: box[1],
              width: box[2],
              height: box[3],
            }),
            metricValue('landmarks_count', 'Landmarks Count', ctx.face.landmarks.length / 3),
          ],
        },
      ],
      masks: {
        mask_type: 'polygon_mask',
        features: [
          {
            type: 'Feature',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [x, y],
                  [x + w, y],
                  [x + w, y + h],
                  [x, y + h],
                  [x, y],
                ],
              ],
            },
            properties: { score: ctx.face.score },
          },
        ],
      },
    };
  },
};
