import type { DetectedFace } from '../face/face-models.ts';
import { LEFT_IRIS, POINT, RIGHT_IRIS } from '../face/mesh-indices.ts';
import type { RgbImage } from '../image/rgb-image.ts';
import { type AreaName, buildAreas } from './areas.ts';
import { fitBrows } from './brow-fit.ts';
import type { Point, Polygon } from './polygon.ts';

/** Mean horizontal visible iris diameter of adults, mm (Caroline & Andre 2002; used as a ruler). */
export const IRIS_DIAMETER_MM = 11.7;

/** Head pose in degrees. Yaw and pitch come from the mesh model; roll from the line between the eyes. */
export interface HeadPose {
  /** Turn, degrees; 0 is frontal, positive towards the subject's right. */
  yaw: number;
  /** Nod up/down, degrees; 0 is level. */
  pitch: number;
  /** In-plane tilt, degrees, positive when the subject's left eye (image right) is lower. */
  roll: number;
}

/** The geometry of one face in working-image pixels. */
export interface FaceGeometry {
  box: [number, number, number, number];
  score: number;
  /** 478 landmarks, x, y, z triples (the mesh's, with the brow points fitted to the photo). */
  landmarks: Float32Array;
  pose: HeadPose;
  /** Iris centres (subject's right and left). */
  rightEye: Point;
  leftEye: Point;
  /** Inter-pupil distance, px. */
  ipdPx: number;
  /** Mean iris diameter, px (both eyes, two diameters each). */
  irisDiameterPx: number;
  /** Scale in px per mm from the iris, checked against the eye corners and pupils (see `scaleFromRulers`). */
  pxPerMm: number;
  areas: Record<AreaName, Polygon>;
}

/** Mean adult inter-pupillary distance, mm (Dodgson 2004). */
const MEAN_IPD_MM = 63;
/**
 * Mean adult biocular width (outer eye corner to outer eye corner, ex-ex), mm: Farkas' norms
 * (about 88 mm in women, 91 mm in men). On frontal portraits the mesh's corner points give
 * the same scale as the iris ruler with this value to within about 5%.
 */
const MEAN_BIOCULAR_MM = 90;

/** Largest relative disagreement between the iris and eye-corner rulers before the iris is distrusted. */
export const MAX_RULER_DISAGREEMENT = 0.15;

/**
 * Scale in px per mm. The iris diameter (IRIS_DIAMETER_MM) is the most precise ruler when it is
 * read well (Human's iris model works on a high-resolution eye crop), so it is used when its
 * IPD / iris ratio is plausible (4-7.5) and it agrees with the eye-corner ruler (outer-corner
 * distance / MEAN_BIOCULAR_MM / cos yaw) within MAX_RULER_DISAGREEMENT: 2.5 times the combined
 * population spread of the two (about 4% each). Otherwise (the iris model under-reads small or
 * half-closed dark eyes in dim light) the median of the three rulers is used, the third being the
 * pupil distance (MEAN_IPD_MM / cos yaw); without a plausible iris, the mean of the other two.
 * Yaw is clamped to 40° for the correction.
 */
export function scaleFromRulers(
  ipdPx: number,
  irisDiameterPx: number,
  biocularPx: number,
  yawDegrees: number,
): number {
  const cosYaw = Math.cos((Math.min(40, Math.abs(yawDegrees)) * Math.PI) / 180);
  const corners = biocularPx / cosYaw / MEAN_BIOCULAR_MM;
  const pupils = ipdPx / cosYaw / MEAN_IPD_MM;
  const ratio = ipdPx / irisDiameterPx;
  if (!(ratio > 4 && ratio < 7.5)) return (corners + pupils) / 2;
  const iris = irisDiameterPx / IRIS_DIAMETER_MM;
  if (Math.abs(iris / corners - 1) <= MAX_RULER_DISAGREEMENT) return iris;
  return [iris, corners, pupils].sort((a, b) => a - b)[1]!;
}

export function landmarkPoint(landmarks: Float32Array, index: number): Point {
  return [landmarks[index * 3]!, landmarks[index * 3 + 1]!];
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function irisDiameter(landmarks: Float32Array, iris: { rim: readonly number[] }): number {
  const [a, b, c, d] = iris.rim.map((i) => landmarkPoint(landmarks, i)) as [Point, Point, Point, Point];
  return (distance(a, c) + distance(b, d)) / 2;
}

/**
 * The geometry of a detected face on the working image `rgb`: scale, pose, and the area polygons
 * built from the landmarks after the brows are fitted to the photo (brow-fit.ts).
 */
export function buildFaceGeometry(face: DetectedFace, rgb: RgbImage): FaceGeometry {
  const detected = (i: number) => landmarkPoint(face.landmarks, i);
  const rightEye = detected(RIGHT_IRIS.centre);
  const leftEye = detected(LEFT_IRIS.centre);
  const ipdPx = distance(rightEye, leftEye);
  const irisDiameterPx =
    (irisDiameter(face.landmarks, RIGHT_IRIS) + irisDiameter(face.landmarks, LEFT_IRIS)) / 2;
  const roll = (Math.atan2(leftEye[1] - rightEye[1], leftEye[0] - rightEye[0]) * 180) / Math.PI;
  const pose: HeadPose = {
    yaw: face.angles?.yaw ?? estimateYaw(detected),
    pitch: face.angles?.pitch ?? 0,
    roll,
  };
  const biocularPx = distance(detected(POINT.rightEyeOuter), detected(POINT.leftEyeOuter));
  const pxPerMm = scaleFromRulers(ipdPx, irisDiameterPx, biocularPx, pose.yaw);
  const lm = fitBrows(rgb, face.landmarks, roll, pxPerMm);
  const point = (i: number) => landmarkPoint(lm, i);
  return {
    box: face.box,
    score: face.score,
    landmarks: lm,
    pose,
    rightEye,
    leftEye,
    ipdPx,
    irisDiameterPx,
    pxPerMm,
    areas: buildAreas(point),
  };
}

/** Yaw from the nose tip's offset between the cheek edges, when the model gives no angles. */
function estimateYaw(point: (i: number) => Point): number {
  const r = point(POINT.rightCheekEdge);
  const l = point(POINT.leftCheekEdge);
  const nose = point(POINT.noseTip);
  const half = (l[0] - r[0]) / 2;
  const offset = (nose[0] - (l[0] + r[0]) / 2) / (half || 1);
  return (Math.asin(Math.max(-1, Math.min(1, offset))) * 180) / Math.PI;
}
