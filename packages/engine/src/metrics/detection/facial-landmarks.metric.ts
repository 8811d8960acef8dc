import type { MetricModule } from '../../framework/metric.ts';
import { AREA_NAMES } from '../../geometry/areas.ts';
import type { MaskFeature } from '../../result/result-shape.ts';
import { metricValue, round } from '../../result/result-shape.ts';

/**
 * `facial_landmarks`: the 478 mesh points (MediaPipe topology, iris included; the brow points fitted
 * to the photo, geometry/brow-fit.ts), the head pose and the scale, with the facial areas as polygons. Main metric: landmark count. Mask: the points as a
 * MultiPoint (index order = mesh index) and one Polygon feature per area.
 */
export const facialLandmarksMetric: MetricModule = {
  techName: 'facial_landmarks',
  familyTechName: 'selfie_v2.facial_landmarks',
  version: '1.0.0',
  name: 'Facial Landmarks',
  description:
    '478-point face mesh with iris, head pose (degrees), px/mm (iris, checked against eye corners and pupils), and facial area polygons.',
  needs: [],
  areas: ['face'],
  outputs: {
    main: 'landmarks_count',
    sub: ['yaw', 'pitch', 'roll', 'px_per_mm', 'inter_pupil_distance'],
    maskType: 'point_mask',
  },
  minPxPerMm: 0,
  compute(ctx) {
    const { face, image } = ctx;
    const points = pointsOf(face.landmarks);
    const areaFeatures: MaskFeature[] = AREA_NAMES.map((area) => {
      const ring = face.areas[area];
      return {
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]!]] },
        properties: { area_name: area },
      };
    });
    return {
      area_results: [
        {
          area_name: 'face',
          main_metric: metricValue('landmarks_count', 'Landmarks Count', points.length),
          sub_metrics: [
            metricValue('yaw', 'Yaw', round(face.pose.yaw, 1), 'numeric', { unit: 'degrees' }),
            metricValue('pitch', 'Pitch', round(face.pose.pitch, 1), 'numeric', { unit: 'degrees' }),
            metricValue('roll', 'Roll', round(face.pose.roll, 1), 'numeric', { unit: 'degrees' }),
            metricValue('px_per_mm', 'Pixels per mm', round(face.pxPerMm * image.toOriginal, 2), 'numeric', {
              unit: 'px/mm',
              source: 'iris diameter 11.7 mm',
            }),
            metricValue(
              'inter_pupil_distance',
              'Inter-pupil Distance',
              round(face.ipdPx * image.toOriginal, 1),
              'numeric',
              { unit: 'px' },
            ),
          ],
        },
      ],
      masks: {
        mask_type: 'point_mask',
        features: [
          {
            type: 'Feature',
            geometry: { type: 'MultiPoint', coordinates: points },
            properties: { kind: 'landmarks' },
          },
          ...areaFeatures,
        ],
      },
    };
  },
};

/** The (x, y) of each x, y, z triple of `landmarks`. */
function pointsOf(landmarks: Float32Array): [number, number][] {
  const points: [number, number][] = [];
  for (let i = 0; i < landmarks.length; i += 3) points.push([landmarks[i]!, landmarks[i + 1]!]);
  return points;
}
