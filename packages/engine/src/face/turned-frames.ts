import type { RgbImage } from '../image/rgb-image.ts';
import type { DetectedFace } from './detected-face.ts';

/**
 * Quarter turns (clockwise) of the frame tried, in order, for a last detection pass: a face lying
 * sideways in the photo (the subject reclining, or the camera held on its side) is beyond the
 * detector's roll range and the whole-frame mesh's, but upright once the frame is turned.
 */
export const TURNS = [1, 3] as const;

/**
 * Lowest detector confidence for a face found on a turned frame. Stricter than the upright pass's
 * 0.3: on the acne04 close-ups, turned-frame faces under 0.8 were profiles with the mesh laid over
 * the cheek, those above it sideways faces with the mesh in place.
 */
export const TURNED_MIN_SCORE = 0.8;

/** `image` turned clockwise by `quarterTurns` quarters. */
export function turnedFrame(image: RgbImage, quarterTurns: 1 | 3): RgbImage {
  const { width: w, height: h, data } = image;
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const nx = quarterTurns === 1 ? h - 1 - y : y;
      const ny = quarterTurns === 1 ? x : w - 1 - x;
      const s = (y * w + x) * 3;
      const d = (ny * h + nx) * 3;
      out[d] = data[s]!;
      out[d + 1] = data[s + 1]!;
      out[d + 2] = data[s + 2]!;
    }
  return { data: out, width: h, height: w };
}

/**
 * A face found on turnedFrame(image, quarterTurns) in `image`'s coordinates (`width` × `height`
 * are the unturned image's; continuous pixel coordinates, a pixel covering [i, i + 1)).
 */
export function unturnFace(
  face: DetectedFace,
  quarterTurns: 1 | 3,
  width: number,
  height: number,
): DetectedFace {
  const back = (u: number, v: number): [number, number] =>
    quarterTurns === 1 ? [v, height - u] : [width - v, u];
  const landmarks = new Float32Array(face.landmarks.length);
  for (let i = 0; i < landmarks.length; i += 3) {
    const [x, y] = back(face.landmarks[i]!, face.landmarks[i + 1]!);
    landmarks[i] = x;
    landmarks[i + 1] = y;
    landmarks[i + 2] = face.landmarks[i + 2]!;
  }
  const [bx, by, bw, bh] = face.box;
  const [ax, ay] = back(bx, by);
  const [cx, cy] = back(bx + bw, by + bh);
  const turn = quarterTurns === 1 ? -90 : 90;
  return {
    box: [Math.min(ax, cx), Math.min(ay, cy), Math.abs(cx - ax), Math.abs(cy - ay)],
    landmarks,
    score: face.score,
    angles: face.angles ? { ...face.angles, roll: face.angles.roll + turn } : null,
  };
}
