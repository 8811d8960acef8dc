import { colourDetailInput } from '../colour/colour-detail.input.ts';
import { colourEvenInput } from '../colour/colour-even.input.ts';
import { colourMapsInput } from '../colour/colour-maps.input.ts';
import { colourUnevennessInput } from '../colour/unevenness.input.ts';
import type { InputProvider, MetricModule } from '../framework/metric.ts';
import { MetricRegistry } from '../framework/registry.ts';
import { acneMetric } from './acne/acne.metric.ts';
import { ageInput } from './age/age.input.ts';
import { ageMetric } from './age/age.metric.ts';
import { eyeAgeMetric } from './age/eye-age.metric.ts';
import { pigmentationMetric } from './colour/pigmentation.metric.ts';
import { rednessMetric } from './colour/redness.metric.ts';
import { skinToneMetric } from './colour/skin-tone.metric.ts';
import { translucencyMetric } from './colour/translucency.metric.ts';
import { uniformnessMetric } from './colour/uniformness.metric.ts';
import { faceDetectorMetric } from './detection/face-detector.metric.ts';
import { facialLandmarksMetric } from './detection/facial-landmarks.metric.ts';
import { qualityMetric } from './detection/quality.metric.ts';
import { darkCirclesInput } from './eye-area/dark-circles.input.ts';
import { eyeAreaConditionMetric } from './eye-area/eye-area-condition.metric.ts';
import { linesInput } from './lines/lines.input.ts';
import { linesMetric } from './lines/lines.metric.ts';
import { saggingMetric } from './lines/sagging.metric.ts';
import { wrinklesMetric } from './lines/wrinkles.metric.ts';
import { poresMetric } from './pores/pores.metric.ts';
import { hydrationMetric } from './shine/hydration.metric.ts';
import { shineInput } from './shine/shine.input.ts';
import { skinTypeMetric } from './shine/skin-type.metric.ts';

/** Every metric of the "Face Skin Metrics 2.0" application, in result order. */
export const DEFAULT_METRICS: readonly MetricModule[] = [
  faceDetectorMetric,
  facialLandmarksMetric,
  qualityMetric,
  ageMetric,
  eyeAgeMetric,
  skinToneMetric,
  rednessMetric,
  uniformnessMetric,
  pigmentationMetric,
  linesMetric,
  wrinklesMetric,
  saggingMetric,
  poresMetric,
  acneMetric,
  skinTypeMetric,
  hydrationMetric,
  eyeAreaConditionMetric,
  translucencyMetric,
];

/** Every shared input the default metrics need. */
export const DEFAULT_INPUTS: readonly InputProvider<unknown>[] = [
  ageInput as InputProvider<unknown>,
  colourMapsInput as InputProvider<unknown>,
  colourDetailInput as InputProvider<unknown>,
  colourEvenInput as InputProvider<unknown>,
  colourUnevennessInput as InputProvider<unknown>,
  darkCirclesInput as InputProvider<unknown>,
  linesInput as InputProvider<unknown>,
  shineInput as InputProvider<unknown>,
];

export function defaultRegistry(): MetricRegistry {
  return new MetricRegistry(DEFAULT_METRICS, DEFAULT_INPUTS);
}
