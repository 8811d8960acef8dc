import { bilinearChannel, type RgbImage } from '../image/rgb-image.ts';

/** Where the pupils are, in image pixels (a `FaceGeometry` is one); face views are aligned on them. */
export interface EyeLine {
  rightEye: readonly [number, number];
  leftEye: readonly [number, number];
  /** Inter-pupil distance, px. */
  ipdPx: number;
}

/**
 * One view of the face for an age network: an upright square crop with the pupils level, their
 * midpoint at (0.5, `eyeY`) of the side and the inter-pupil distance `ipdShare` of the side; `flip`
 * mirrors it.
 */
export interface FaceView {
  ipdShare: number;
  eyeY: number;
  flip: boolean;
}

/** How a view's pixels are written: channel order, and the value (0-255) outside the image. */
export interface ViewPixels {
  order: 'rgb' | 'bgr';
  outside: number;
}

/**
 * Samples `view` of the face into `out` (side × side × 3 floats, 0-255, channels in `pixels.order`)
 * by bilinear interpolation of `image`; pixels outside the image get `pixels.outside`.
 */
export function sampleFaceView(
  image: RgbImage,
  face: EyeLine,
  view: FaceView,
  side: number,
  pixels: ViewPixels,
  out: Float32Array,
): void {
  const angle = Math.atan2(face.leftEye[1] - face.rightEye[1], face.leftEye[0] - face.rightEye[0]);
  const scale = face.ipdPx / (view.ipdShare * side);
  const cx = (face.leftEye[0] + face.rightEye[0]) / 2;
  const cy = (face.leftEye[1] + face.rightEye[1]) / 2;
  const cos = Math.cos(angle) * scale;
  const sin = Math.sin(angle) * scale;
  const { data, width: w, height: h } = image;
  const bgr = pixels.order === 'bgr';
  for (let y = 0; y < side; y++) {
    const ry = y + 0.5 - view.eyeY * side;
    for (let x = 0; x < side; x++) {
      const rx = x + 0.5 - 0.5 * side;
      const sx = cos * rx - sin * ry + cx - 0.5;
      const sy = sin * rx + cos * ry + cy - 0.5;
      const o = (y * side + (view.flip ? side - 1 - x : x)) * 3;
      if (sx < 0 || sy < 0 || sx >= w - 1 || sy >= h - 1) {
        out[o] = out[o + 1] = out[o + 2] = pixels.outside;
        continue;
      }
      for (let c = 0; c < 3; c++) out[o + (bgr ? 2 - c : c)] = bilinearChannel(data, w, sx, sy, c);
    }
  }
}
