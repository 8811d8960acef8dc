import type { FaceFrame } from '../../geometry/face-frame.ts';
import { gaussianBlur, maskedValues, quantileOf } from '../../image/filters.ts';
import { type FloatImage, lumaOf } from '../../image/rgb-image.ts';

export type EyeSide = 'left' | 'right';

/** Per-eye measurements of the skin around one eye, each relative to the same-side cheek. */
export interface EyeMeasures {
  /** Under-eye darkening: (cheek median luma − under-eye median luma) / cheek median luma; 0 = as light as the cheek. */
  darkness: number;
  /**
   * Fine texture (lines, crêpiness): ln of the mean |luma − Gaussian(σ = 0.5 mm)| over the under-eye and
   * crow's-feet skin divided by the same over the cheek skin; 0 = as smooth as the cheek.
   */
  texture: number;
  /** Skin pixels measured around the eye (under-eye + crow's feet). */
  pixels: number;
}

/** Fewest skin pixels an eye region and its cheek need to be measured. */
const MIN_PIXELS = 30;

/** Measures both eyes on the face frame (per side `null` when too little skin is visible). */
export function measureEyes(frame: FaceFrame, pxPerMm: number): Record<EyeSide, EyeMeasures | null> {
  const luma = lumaOf(frame.rgb);
  const sigma = Math.max(0.7, 0.5 * pxPerMm);
  const smooth = gaussianBlur(luma, sigma);
  const detail = new Float32Array(luma.data.length);
  for (let i = 0; i < detail.length; i++) detail[i] = Math.abs(luma.data[i]! - smooth.data[i]!);
  const detailImage: FloatImage = { data: detail, width: luma.width, height: luma.height };
  const side = (s: EyeSide): EyeMeasures | null => {
    const eye = frame.areaSkinMask(`${s}_eye_area`).data;
    const crows = frame.areaSkinMask(`${s}_crows_feet`).data;
    const cheek = frame.areaSkinMask(`${s}_cheek`).data;
    const around = new Uint8Array(eye.length);
    for (let i = 0; i < eye.length; i++) around[i] = eye[i]! | crows[i]!;
    const eyeLuma = maskedValues(luma, eye);
    const cheekLuma = maskedValues(luma, cheek);
    const aroundDetail = maskedValues(detailImage, around);
    const cheekDetail = maskedValues(detailImage, cheek);
    if (eyeLuma.length < MIN_PIXELS || cheekLuma.length < MIN_PIXELS) return null;
    const cheekMedian = quantileOf(cheekLuma, 0.5);
    const darkness = (cheekMedian - quantileOf(eyeLuma, 0.5)) / Math.max(1, cheekMedian);
    const texture = Math.log((mean(aroundDetail) + 0.25) / (mean(cheekDetail) + 0.25));
    return { darkness, texture, pixels: aroundDetail.length };
  };
  return { left: side('left'), right: side('right') };
}

function mean(values: Float32Array): number {
  let s = 0;
  for (const v of values) s += v;
  return values.length ? s / values.length : 0;
}
