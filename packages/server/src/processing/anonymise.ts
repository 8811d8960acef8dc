import { LEFT_BROW, LEFT_EYE, RIGHT_BROW, RIGHT_EYE } from '@skinscope/engine';
import sharp from 'sharp';

/** Landmarks whose box the anonymising bar covers: both eye openings and brows (face-mesh indices). */
const EYE_REGION = [...RIGHT_EYE, ...LEFT_EYE, ...RIGHT_BROW, ...LEFT_BROW];
/** Margin around that box, as a fraction of its width (sides) and height (top and bottom). */
const MARGIN = 0.12;

/**
 * An anonymised copy of a face image: a black bar over the eyes and brows, placed from the face
 * mesh `points` (478 `[x, y]` in the image's pixels, as `facial_landmarks` returns them). Undefined
 * when the points do not cover the eye region.
 */
export async function anonymiseFace(
  jpeg: Uint8Array,
  points: readonly (readonly [number, number])[],
): Promise<Uint8Array | undefined> {
  const region = EYE_REGION.map((i) => points[i]).filter((p) => p !== undefined);
  if (region.length !== EYE_REGION.length) return undefined;
  const image = sharp(jpeg);
  const { width = 0, height = 0 } = await image.metadata();
  const xs = region.map((p) => p[0]);
  const ys = region.map((p) => p[1]);
  const w0 = Math.max(...xs) - Math.min(...xs);
  const h0 = Math.max(...ys) - Math.min(...ys);
  const left = Math.max(0, Math.floor(Math.min(...xs) - MARGIN * w0));
  const top = Math.max(0, Math.floor(Math.min(...ys) - MARGIN * h0));
  const right = Math.min(width, Math.ceil(Math.max(...xs) + MARGIN * w0));
  const bottom = Math.min(height, Math.ceil(Math.max(...ys) + MARGIN * h0));
  if (right - left < 2 || bottom - top < 2) return undefined;
  const bar = await sharp({
    create: { width: right - left, height: bottom - top, channels: 3, background: { r: 0, g: 0, b: 0 } },
  })
    .png()
    .toBuffer();
  const out = await image
    .composite([{ input: bar, left, top }])
    .jpeg({ quality: 90 })
    .toBuffer();
  return new Uint8Array(out);
}
