import { LEFT_LID_PAIRS, POINT, RIGHT_LID_PAIRS } from '../face/mesh-indices.ts';
import { type FaceGeometry, landmarkPoint } from './face-geometry.ts';

/**
 * Eye openness from the mesh: the mean of three lid-to-lid distances (upper lid point to the
 * lower lid point below it) divided by the corner-to-corner width, the eye aspect ratio of
 * Soukupová & Čech (2016), who detect a blink below 0.2. Open eyes read about 0.2-0.5 on the
 * development portraits. Not corrected for pose: looking down lowers it a little, a turned head
 * (shorter projected width) raises it.
 */
export function eyeOpenness(face: FaceGeometry, side: 'left' | 'right'): number {
  const pairs = side === 'right' ? RIGHT_LID_PAIRS : LEFT_LID_PAIRS;
  const corners =
    side === 'right' ? [POINT.rightEyeOuter, POINT.rightEyeInner] : [POINT.leftEyeOuter, POINT.leftEyeInner];
  let sum = 0;
  for (const [upper, lower] of pairs) sum += landmarkDistance(face.landmarks, upper, lower);
  const vertical = sum / pairs.length;
  const width = landmarkDistance(face.landmarks, corners[0]!, corners[1]!);
  return width > 0 ? vertical / width : 0;
}

/**
 * Below this openness the lids are closed or squeezed (half the usual open-eye ratio, stricter
 * than the blink threshold of 0.2 so that narrow open eyes are kept): the lower lid and the skin
 * under it are bunched, and under-eye measurements are not assessable.
 */
export const MIN_EYE_OPENNESS = 0.15;

/** Distance (px) between landmarks a and b. */
function landmarkDistance(landmarks: Float32Array, a: number, b: number): number {
  const p = landmarkPoint(landmarks, a);
  const q = landmarkPoint(landmarks, b);
  return Math.hypot(p[0] - q[0], p[1] - q[1]);
}
