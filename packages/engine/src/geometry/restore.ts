import type { RgbImage } from '../image/rgb-image.ts';
import type { FaceGeometry } from './face-geometry.ts';
import type { Point } from './polygon.ts';

/** The similarity transform between restored-image and original-image pixel coordinates. */
export interface RestoreTransform {
  /** original = R(angle)·scale·restored + translation; angle in radians, counter-clockwise. */
  scale: number;
  angle: number;
  tx: number;
  ty: number;
}

/**
 * Layout of the restored face (aux image `selfie_front_face_restored`): a square image in which the
 * eyes are level, the midpoint between the pupils sits at (0.5, 0.4) of the side, and the
 * inter-pupil distance is 0.25 of the side.
 */
export const RESTORED_LAYOUT = { side: 800, eyeCentreX: 0.5, eyeCentreY: 0.4, ipdShare: 0.25 } as const;

/**
 * The similarity transform from restored pixels to original-image pixels.
 * `toOriginal` converts working pixels to original pixels (the decode scale).
 */
export function restoreTransform(
  face: FaceGeometry,
  toOriginal: number,
  side: number = RESTORED_LAYOUT.side,
): RestoreTransform {
  const angle = Math.atan2(face.leftEye[1] - face.rightEye[1], face.leftEye[0] - face.rightEye[0]);
  const scale = (face.ipdPx * toOriginal) / (RESTORED_LAYOUT.ipdShare * side);
  const cx = ((face.leftEye[0] + face.rightEye[0]) / 2) * toOriginal;
  const cy = ((face.leftEye[1] + face.rightEye[1]) / 2) * toOriginal;
  const rx = RESTORED_LAYOUT.eyeCentreX * side;
  const ry = RESTORED_LAYOUT.eyeCentreY * side;
  const cos = Math.cos(angle) * scale;
  const sin = Math.sin(angle) * scale;
  return { scale, angle, tx: cx - (cos * rx - sin * ry), ty: cy - (sin * rx + cos * ry) };
}

/** Maps a restored-image point to the original image. */
export function restoredToOriginal(t: RestoreTransform, p: Point): Point {
  const cos = Math.cos(t.angle) * t.scale;
  const sin = Math.sin(t.angle) * t.scale;
  return [cos * p[0] - sin * p[1] + t.tx, sin * p[0] + cos * p[1] + t.ty];
}

/** Maps an original-image point to the restored image. */
export function originalToRestored(t: RestoreTransform, p: Point): Point {
  const x = p[0] - t.tx;
  const y = p[1] - t.ty;
  const cos = Math.cos(t.angle) / t.scale;
  const sin = Math.sin(t.angle) / t.scale;
  return [cos * x + sin * y, -sin * x + cos * y];
}

/**
 * Renders the restored face by bilinear sampling of the working image (outside it: black).
 * `toOriginal` is the working→original scale that `t` was built with.
 */
export function renderRestored(
  image: RgbImage,
  t: RestoreTransform,
  toOriginal: number,
  side: number = RESTORED_LAYOUT.side,
): RgbImage {
  const out = new Uint8Array(side * side * 3);
  const { width: w, height: h, data } = image;
  const cos = (Math.cos(t.angle) * t.scale) / toOriginal;
  const sin = (Math.sin(t.angle) * t.scale) / toOriginal;
  const tx = t.tx / toOriginal;
  const ty = t.ty / toOriginal;
  const xMax = w - 1;
  const yMax = h - 1;
  const stride = w * 3;
  for (let y = 0; y < side; y++) {
    let sx = -sin * (y + 0.5) + tx + cos * 0.5 - 0.5;
    let sy = cos * (y + 0.5) + ty + sin * 0.5 - 0.5;
    let o = y * side * 3;
    for (let x = 0; x < side; x++, sx += cos, sy += sin, o += 3) {
      if (sx < 0 || sy < 0 || sx >= xMax || sy >= yMax) continue;
      const ix = sx | 0;
      const iy = sy | 0;
      const fx = sx - ix;
      const fy = sy - iy;
      const i00 = (iy * w + ix) * 3;
      const i01 = i00 + stride;
      const a0 = data[i00]!;
      const a1 = data[i00 + 1]!;
      const a2 = data[i00 + 2]!;
      const c0 = data[i01]!;
      const c1 = data[i01 + 1]!;
      const c2 = data[i01 + 2]!;
      const r0 = a0 + (data[i00 + 3]! - a0) * fx;
      const r1 = c0 + (data[i01 + 3]! - c0) * fx;
      const g0 = a1 + (data[i00 + 4]! - a1) * fx;
      const g1 = c1 + (data[i01 + 4]! - c1) * fx;
      const b0 = a2 + (data[i00 + 5]! - a2) * fx;
      const b1 = c2 + (data[i01 + 5]! - c2) * fx;
      out[o] = (r0 + (r1 - r0) * fy + 0.5) | 0;
      out[o + 1] = (g0 + (g1 - g0) * fy + 0.5) | 0;
      out[o + 2] = (b0 + (b1 - b0) * fy + 0.5) | 0;
    }
  }
  return { data: out, width: side, height: side };
}
