import type { DetectedFace } from '../face/face-models.ts';
import { type AreaName, buildAreas } from './areas.ts';
import { LEFT_IRIS, POINT, RIGHT_IRIS } from './mesh-indices.ts';
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
  /** 478 landmarks, x, y, z triples. */
  landmarks: Float32Array;
  pose: HeadPose;
  /** Iris centres (subject's right and left). */
  rightEye: Point;
  leftEye: Point;
  /** Inter-pupil distance, px. */
  ipdPx: number;
  /** Mean iris diameter, px (both eyes, two diameters each). */
  irisDiameterPx: number;
  /** Scale in px per mm from the iris (IRIS_DIAMETER_MM), falling back to IPD / 63 mm when the iris is implausible. */
  pxPerMm: number;
  areas: Record<AreaName, Polygon>;
}

/** Mean adult inter-pupillary distance, mm (Dodgson 2004), the fallback ruler. */
const MEAN_IPD_MM = 63;

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

export function buildFaceGeometry(face: DetectedFace): FaceGeometry {
  const lm = face.landmarks;
  const point = (i: number) => landmarkPoint(lm, i);
  const rightEye = point(RIGHT_IRIS.centre);
  const leftEye = point(LEFT_IRIS.centre);
  const ipdPx = distance(rightEye, leftEye);
  const irisDiameterPx = (irisDiameter(lm, RIGHT_IRIS) + irisDiameter(lm, LEFT_IRIS)) / 2;
  const ipdRatio = ipdPx / irisDiameterPx;
  const irisPlausible = ipdRatio > 4 && ipdRatio < 7.5;
  const pxPerMm = irisPlausible ? irisDiameterPx / IRIS_DIAMETER_MM : ipdPx / MEAN_IPD_MM;
  const roll = (Math.atan2(leftEye[1] - rightEye[1], leftEye[0] - rightEye[0]) * 180) / Math.PI;
  const pose: HeadPose = {
    yaw: face.angles?.yaw ?? estimateYaw(point),
    pitch: face.angles?.pitch ?? 0,
    roll,
  };
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
