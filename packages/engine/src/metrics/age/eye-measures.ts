import type { AreaName } from '../../geometry/areas.ts';
import type { FaceFrame } from '../../geometry/face-frame.ts';
import { countInBox } from '../../geometry/raster.ts';
import { gaussianBlur, gaussianRadius, type PixelBox, quantileOf } from '../../image/filters.ts';
import { frameFloat32, giveBack } from '../../image/frame-buffers.ts';
import { cropRgb, lumaOf } from '../../image/rgb-image.ts';

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

const SIDES: readonly EyeSide[] = ['left', 'right'];

/** The areas one side's measures read: under-eye, crow's feet, cheek. */
function sideAreas(s: EyeSide): [AreaName, AreaName, AreaName] {
  return [`${s}_eye_area`, `${s}_crows_feet`, `${s}_cheek`];
}

function unionBox(boxes: readonly PixelBox[]): PixelBox {
  const full = boxes.filter((b) => b.x1 > b.x0 && b.y1 > b.y0);
  if (!full.length) return { x0: 0, y0: 0, x1: 0, y1: 0 };
  return {
    x0: Math.min(...full.map((b) => b.x0)),
    y0: Math.min(...full.map((b) => b.y0)),
    x1: Math.max(...full.map((b) => b.x1)),
    y1: Math.max(...full.map((b) => b.y1)),
  };
}

/**
 * Measures both eyes on the face frame (per side `null` when too little skin is visible). Luma and
 * its blur are computed on the frame rectangle around the six areas, grown by the blur's radius (the
 * blur of a pixel reads only pixels that close, and clamps at the frame's own edges as before).
 */
export function measureEyes(frame: FaceFrame, pxPerMm: number): Record<EyeSide, EyeMeasures | null> {
  const sigma = Math.max(0.7, 0.5 * pxPerMm);
  const sideBoxes = SIDES.map((s) => unionBox(sideAreas(s).map((a) => frame.areaBox(a))));
  const inner = unionBox(sideBoxes);
  const pad = gaussianRadius(sigma);
  const x0 = Math.max(0, inner.x0 - pad);
  const y0 = Math.max(0, inner.y0 - pad);
  const cw = Math.max(1, Math.min(frame.width, inner.x1 + pad) - x0);
  const ch = Math.max(1, Math.min(frame.height, inner.y1 + pad) - y0);
  const rgb = cropRgb(frame.rgb, x0, y0, cw, ch).data;
  const luma = lumaOf({ data: rgb, width: cw, height: ch }).data;
  giveBack(rgb);
  const smooth = gaussianBlur({ data: luma, width: cw, height: ch }, sigma, frameFloat32(cw * ch)).data;
  const crop = { luma, smooth, x0, y0, cw };
  const measures = {
    left: measureEyeSide(frame, 'left', sideBoxes[0]!, crop),
    right: measureEyeSide(frame, 'right', sideBoxes[1]!, crop),
  };
  giveBack(luma, smooth);
  return measures;
}

/** One eye's measures, `luma` and `smooth` being the crop at (x0, y0), `cw` wide. */
function measureEyeSide(
  frame: FaceFrame,
  s: EyeSide,
  box: PixelBox,
  crop: { luma: Float32Array; smooth: Float32Array; x0: number; y0: number; cw: number },
): EyeMeasures | null {
  const { luma, smooth, x0, y0, cw } = crop;
  const [eye, crows, cheek] = sideAreas(s).map((a) => frame.areaSkinMask(a).data) as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  const eyeCount = countInBox(eye, frame.width, box);
  const cheekCount = countInBox(cheek, frame.width, box);
  if (eyeCount < MIN_PIXELS || cheekCount < MIN_PIXELS) return null;
  const eyeLuma = new Float32Array(eyeCount);
  const cheekLuma = new Float32Array(cheekCount);
  const [around, aroundSum, cheekSum] = sideSums(
    eye,
    crows,
    cheek,
    frame.width,
    box.x0,
    box.y0,
    box.x1,
    box.y1,
    luma,
    smooth,
    x0,
    y0,
    cw,
    eyeLuma,
    cheekLuma,
  );
  const cheekMedian = quantileOf(cheekLuma, 0.5);
  const darkness = (cheekMedian - quantileOf(eyeLuma, 0.5)) / Math.max(1, cheekMedian);
  const texture = Math.log((aroundSum / around + 0.25) / (cheekSum / cheekCount + 0.25));
  return { darkness, texture, pixels: around };
}

/**
 * Over the pixels (x0..x1, y0..y1, exclusive ends) of a `width`-wide raster: writes the crop's luma
 * (`luma`, at crop origin (cx0, cy0), `cw` wide) at the under-eye pixels into `eyeLuma` and at the
 * cheek pixels into `cheekLuma`, in raster order; returns [under-eye + crow's-feet pixels, their sum
 * of |luma − smooth| (float32), the cheek's sum of |luma − smooth|].
 */
function sideSums(
  eye: Uint8Array,
  crows: Uint8Array,
  cheek: Uint8Array,
  width: number,
  bx0: number,
  by0: number,
  bx1: number,
  by1: number,
  luma: Float32Array,
  smooth: Float32Array,
  cx0: number,
  cy0: number,
  cw: number,
  eyeLuma: Float32Array,
  cheekLuma: Float32Array,
): [number, number, number] {
  let e = 0;
  let c = 0;
  let around = 0;
  let aroundSum = 0;
  let cheekSum = 0;
  for (let y = by0; y < by1; y++) {
    const row = y * width;
    const at = (y - cy0) * cw - cx0;
    for (let x = bx0; x < bx1; x++) {
      const i = row + x;
      const inEye = eye[i]!;
      const inCheek = cheek[i]!;
      if (!(inEye | crows[i]! | inCheek)) continue;
      const l = luma[at + x]!;
      const detail = Math.fround(Math.abs(l - smooth[at + x]!));
      if (inEye) eyeLuma[e++] = l;
      if (inEye | crows[i]!) {
        aroundSum += detail;
        around++;
      }
      if (inCheek) {
        cheekLuma[c++] = l;
        cheekSum += detail;
      }
    }
  }
  return [around, aroundSum, cheekSum];
}
