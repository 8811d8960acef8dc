/**
 * Live capture guidance: turns what the browser's face model sees in one video frame into the checks a
 * person can act on before the shot (face found, position, size, light, sharpness, pose). Pure, so it is
 * tested without a camera.
 */

/** The face the model found, in video pixels and degrees. */
export interface SeenFace {
  /** Box `[x, y, width, height]` in pixels of the frame. */
  box: [number, number, number, number];
  /** Head rotation in degrees; 0 is looking straight at the camera. */
  yaw: number;
  pitch: number;
  roll: number;
}

/** Statistics of the face crop (see `faceCropStats`). */
export interface CropStats {
  /** Mean luma, 0-255. */
  mean: number;
  /** Mean luma of the left and right halves, 0-255 (side lighting shows as a difference). */
  left: number;
  right: number;
  /** Share of clipped pixels (luma ≥ 250), 0-1. */
  clipped: number;
  /** Variance of the Laplacian of the luma on a crop 128 px wide (higher is sharper). */
  sharpness: number;
}

export interface FrameView {
  width: number;
  height: number;
  /** Every face found (the largest is the one judged). */
  faces: SeenFace[];
  /** Statistics of the judged face's crop; absent when no face was found. */
  stats?: CropStats;
}

export type CheckId = 'face' | 'position' | 'size' | 'light' | 'sharpness' | 'pose';

export interface Check {
  id: CheckId;
  label: string;
  ok: boolean;
  /** What to do, or why it is fine. */
  advice: string;
}

/** Thresholds of the checks: face width 35-75% of the frame's shorter side, centre within 15% of the middle, |yaw|, |pitch| ≤ 15°, |roll| ≤ 10°. */
export const LIMITS = {
  minFaceShare: 0.35,
  maxFaceShare: 0.75,
  maxOffCentre: 0.15,
  minMean: 70,
  maxMean: 215,
  maxSideDifference: 45,
  maxClipped: 0.08,
  minSharpness: 60,
  maxYaw: 15,
  maxPitch: 15,
  maxRoll: 10,
} as const;

/** The checks for one frame, in the order they are shown. */
export function assessFrame(frame: FrameView): Check[] {
  const face = [...frame.faces].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0];
  if (!face) {
    return [
      { id: 'face', label: 'Face', ok: false, advice: 'No face found: look at the camera' },
      ...(['position', 'size', 'light', 'sharpness', 'pose'] as const).map((id) => ({
        id,
        label: LABELS[id],
        ok: false,
        advice: 'Waiting for a face',
      })),
    ];
  }
  const [x, y, w, h] = face.box;
  const short = Math.min(frame.width, frame.height);
  const share = w / short;
  const dx = (x + w / 2) / frame.width - 0.5;
  const dy = (y + h / 2) / frame.height - 0.5;
  const s = frame.stats;
  const checks: Check[] = [
    {
      id: 'face',
      label: LABELS.face,
      ok: frame.faces.length === 1,
      advice: frame.faces.length === 1 ? 'One face found' : 'Only one person should be in the picture',
    },
    {
      id: 'position',
      label: LABELS.position,
      ok: Math.abs(dx) <= LIMITS.maxOffCentre && Math.abs(dy) <= LIMITS.maxOffCentre,
      advice:
        Math.abs(dx) <= LIMITS.maxOffCentre && Math.abs(dy) <= LIMITS.maxOffCentre
          ? 'Face centred'
          : 'Centre your face in the oval',
    },
    {
      id: 'size',
      label: LABELS.size,
      ok: share >= LIMITS.minFaceShare && share <= LIMITS.maxFaceShare,
      advice:
        share < LIMITS.minFaceShare
          ? 'Come closer to the camera'
          : share > LIMITS.maxFaceShare
            ? 'Move a little further away'
            : 'Good distance',
    },
    lightCheck(s),
    {
      id: 'sharpness',
      label: LABELS.sharpness,
      ok: (s?.sharpness ?? 0) >= LIMITS.minSharpness,
      advice: (s?.sharpness ?? 0) >= LIMITS.minSharpness ? 'Sharp' : 'Hold still: the picture is blurred',
    },
    poseCheck(face),
  ];
  return checks;
}

const LABELS: Record<CheckId, string> = {
  face: 'Face',
  position: 'Position',
  size: 'Distance',
  light: 'Light',
  sharpness: 'Sharpness',
  pose: 'Head pose',
};

function lightCheck(s: CropStats | undefined): Check {
  const base = { id: 'light' as const, label: LABELS.light };
  if (!s) return { ...base, ok: false, advice: 'Waiting for a face' };
  if (s.mean < LIMITS.minMean) return { ...base, ok: false, advice: 'Too dark: face a window or a lamp' };
  if (s.mean > LIMITS.maxMean || s.clipped > LIMITS.maxClipped)
    return { ...base, ok: false, advice: 'Too bright: step out of direct light' };
  if (Math.abs(s.left - s.right) > LIMITS.maxSideDifference)
    return { ...base, ok: false, advice: 'Light from one side: turn to face the light' };
  return { ...base, ok: true, advice: 'Even light' };
}

function poseCheck(face: SeenFace): Check {
  const base = { id: 'pose' as const, label: LABELS.pose };
  if (Math.abs(face.yaw) > LIMITS.maxYaw)
    return { ...base, ok: false, advice: 'Turn your head to face the camera' };
  if (Math.abs(face.pitch) > LIMITS.maxPitch) return { ...base, ok: false, advice: 'Keep your chin level' };
  if (Math.abs(face.roll) > LIMITS.maxRoll) return { ...base, ok: false, advice: 'Hold your head upright' };
  return { ...base, ok: true, advice: 'Looking straight ahead' };
}

/** Statistics of an RGBA crop (`width` × `height`): luma mean, halves, clipping and Laplacian variance. */
export function faceCropStats(rgba: Uint8ClampedArray, width: number, height: number): CropStats {
  const luma = new Float32Array(width * height);
  let sum = 0;
  let left = 0;
  let right = 0;
  let leftN = 0;
  let clipped = 0;
  for (let i = 0; i < width * height; i++) {
    const l = 0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!;
    luma[i] = l;
    sum += l;
    if (l >= 250) clipped++;
    if (i % width < width / 2) {
      left += l;
      leftN++;
    } else right += l;
  }
  let lapSum = 0;
  let lapSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const lap = luma[i - 1]! + luma[i + 1]! + luma[i - width]! + luma[i + width]! - 4 * luma[i]!;
      lapSum += lap;
      lapSq += lap * lap;
      n++;
    }
  }
  const rightN = width * height - leftN;
  const lapMean = n ? lapSum / n : 0;
  return {
    mean: sum / (width * height),
    left: leftN ? left / leftN : 0,
    right: rightN ? right / rightN : 0,
    clipped: clipped / (width * height),
    sharpness: n ? lapSq / n - lapMean * lapMean : 0,
  };
}
