import { faceDetectorMetric } from './face-detector.metric.ts';
import { facialLandmarksMetric } from './facial-landmarks.metric.ts';
import type { InputProvider, MetricModule } from './metric.ts';
import { qualityMetric } from './quality.metric.ts';
import { MetricRegistry } from './registry.ts';

/** Every metric of the "Face Skin Metrics 2.0" application, in result order. */
export const DEFAULT_METRICS: readonly MetricModule[] = [
  faceDetectorMetric,
  facialLandmarksMetric,
  qualityMetric,
];

/** Every shared input the default metrics need. */
export const DEFAULT_INPUTS: readonly InputProvider<unknown>[] = [];

export function defaultRegistry(): MetricRegistry {
  return new MetricRegistry(DEFAULT_METRICS, DEFAULT_INPUTS);
}
