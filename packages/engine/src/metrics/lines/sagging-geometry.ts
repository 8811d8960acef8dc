import type { FaceGeometry } from '../../geometry/face-geometry.ts';
import { landmarkPoint } from '../../geometry/face-geometry.ts';
import type { Point } from '../../geometry/polygon.ts';

/**
 * Landmark geometry of lower-face sagging (skin-metrics-methods.md §14), measured in a face-aligned
 * frame (roll removed, lengths in inter-pupil distances):
 * - `mouthDroopDeg`: mean angle of the two mouth corners (61, 291) below the mouth slit's centre
 *   (midpoint of 13/14), degrees; positive = corners droop.
 * - `jawIrregularity`: RMS residual of the lower face contour (jaw angle → chin → jaw angle) about
 *   a least-squares parabola, % of IPD (a jowl bulge breaks the smooth U).
 * - `lowerFaceRatio`: subnasale→chin height over eye-line→subnasale height.
 * Only trustworthy near frontal: `poseOk` is |yaw| ≤ 15° and |pitch| ≤ 10° (research §14 asks for
 * |pitch| ≤ 5°; the mesh's own pitch estimate is noisy by a few degrees, so the gate is wider).
 */
export interface SaggingGeometry {
  mouthDroopDeg: number;
  jawIrregularity: number;
  lowerFaceRatio: number;
  poseOk: boolean;
}

/** Lower face contour from the subject's right jaw angle to the left one (mesh face-oval indices). */
const JAW_CONTOUR = [172, 136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365, 397] as const;
export const SAGGING_MAX_YAW_DEG = 15;
export const SAGGING_MAX_PITCH_DEG = 10;

export function saggingGeometry(face: FaceGeometry): SaggingGeometry {
  const roll = (face.pose.roll * Math.PI) / 180;
  const cx = (face.rightEye[0] + face.leftEye[0]) / 2;
  const cy = (face.rightEye[1] + face.leftEye[1]) / 2;
  const cos = Math.cos(-roll);
  const sin = Math.sin(-roll);
  const ipd = face.ipdPx || 1;
  const aligned = (i: number): Point => {
    const [x, y] = landmarkPoint(face.landmarks, i);
    const dx = x - cx;
    const dy = y - cy;
    return [(dx * cos - dy * sin) / ipd, (dx * sin + dy * cos) / ipd];
  };
  const centre = midpoint(aligned(13), aligned(14));
  const droop = (corner: Point) =>
    (Math.atan2(corner[1] - centre[1], Math.abs(corner[0] - centre[0]) || 1e-6) * 180) / Math.PI;
  const mouthDroopDeg = (droop(aligned(61)) + droop(aligned(291))) / 2;

  const contour = JAW_CONTOUR.map(aligned);
  const fit = fitParabola(contour);
  let ss = 0;
  for (const [x, y] of contour) ss += (y - (fit[0] + fit[1] * x + fit[2] * x * x)) ** 2;
  const jawIrregularity = 100 * Math.sqrt(ss / contour.length);

  const subnasale = aligned(2);
  const chin = aligned(152);
  const lowerFaceRatio = (chin[1] - subnasale[1]) / Math.max(1e-6, subnasale[1]);
  const poseOk =
    Math.abs(face.pose.yaw) <= SAGGING_MAX_YAW_DEG && Math.abs(face.pose.pitch) <= SAGGING_MAX_PITCH_DEG;
  return { mouthDroopDeg, jawIrregularity, lowerFaceRatio, poseOk };
}

function midpoint(a: Point, b: Point): Point {
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

/** Least-squares y = a + b·x + c·x² (normal equations, Cramer's rule). */
function fitParabola(points: readonly Point[]): [number, number, number] {
  const s = new Float64Array(5);
  const t = new Float64Array(3);
  for (const [x, y] of points) {
    let p = 1;
    for (let k = 0; k < 5; k++) {
      s[k] = s[k]! + p;
      if (k < 3) t[k] = t[k]! + p * y;
      p *= x;
    }
  }
  const m = [
    [s[0]!, s[1]!, s[2]!],
    [s[1]!, s[2]!, s[3]!],
    [s[2]!, s[3]!, s[4]!],
  ];
  const det3 = (a: number[][]) =>
    a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) -
    a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) +
    a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
  const d = det3(m) || 1e-12;
  const col = (k: number) => m.map((row, r) => row.map((v, c) => (c === k ? t[r]! : v)));
  return [det3(col(0)) / d, det3(col(1)) / d, det3(col(2)) / d];
}
