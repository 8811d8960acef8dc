import { ageInput } from '../age/age.input.ts';
import { ageMetric } from '../age/age.metric.ts';
import { eyeAgeMetric } from '../age/eye-age.metric.ts';
import { colourDetailInput } from '../colour/colour-detail.input.ts';
import { colourEvenInput } from '../colour/colour-even.input.ts';
import { colourMapsInput } from '../colour/colour-maps.input.ts';
import { colourUnevennessInput } from '../colour/unevenness.input.ts';
import { acneMetric } from './acne.metric.ts';
import { darkCirclesInput } from './dark-circles.ts';
import { eyeAreaConditionMetric } from './eye-area-condition.metric.ts';
import { faceDetectorMetric } from './face-detector.metric.ts';
import { facialLandmarksMetric } from './facial-landmarks.metric.ts';
import { hydrationMetric } from './hydration.metric.ts';
import { linesInput } from './lines.input.ts';
import { linesMetric } from './lines.metric.ts';
import type { InputProvider, MetricModule } from './metric.ts';
import { pigmentationMetric } from './pigmentation.metric.ts';
import { poresMetric } from './pores.metric.ts';
import { qualityMetric } from './quality.metric.ts';
import { rednessMetric } from './redness.metric.ts';
import { MetricRegistry } from './registry.ts';
import { saggingMetric } from './sagging.metric.ts';
import { shineInput } from './shine.input.ts';
import { skinToneMetric } from './skin-tone.metric.ts';
import { skinTypeMetric } from './skin-type.metric.ts';
import { translucencyMetric } from './translucency.metric.ts';
import { uniformnessMetric } from './uniformness.metric.ts';
import { wrinklesMetric } from './wrinkles.metric.ts';

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
