import { type FaceGeometry, landmarkPoint } from './face-geometry.ts';

/**
 * Eye openness from the mesh: the mean of three lid-to-lid distances (upper lid point to the
 * lower lid point below it) divided by the corner-to-corner width, the eye aspect ratio of
 * Soukupová & Čech (2016). Open eyes read about 0.25-0.45 on the development photos; they use
 * 0.2 to detect a blink.
 */
export function eyeOpenness(face: FaceGeometry, side: 'left' | 'right'): number {
  const lids = side === 'right' ? RIGHT_LIDS : LEFT_LIDS;
  const p = (i: number) => landmarkPoint(face.landmarks, i);
  const dist = (a: number, b: number) => Math.hypot(p(a)[0] - p(b)[0], p(a)[1] - p(b)[1]);
  const vertical = lids.pairs.reduce((s, [upper, lower]) => s + dist(upper, lower), 0) / lids.pairs.length;
  const width = dist(lids.corners[0], lids.corners[1]);
  return width > 0 ? vertical / width : 0;
}

/**
 * Below this openness the lids are closed or squeezed (half the usual open-eye ratio, stricter
 * than the blink threshold of 0.2 so that narrow open eyes are kept): the lower lid and the skin
 * under it are bunched, and under-eye measurements are not assessable.
 */
export const MIN_EYE_OPENNESS = 0.15;

/** Upper/lower lid mesh pairs and the corners of each eye (subject's sides). */
const RIGHT_LIDS = {
  pairs: [
    [160, 144],
    [159, 145],
    [158, 153],
  ],
  corners: [33, 133],
} as const;
const LEFT_LIDS = {
  pairs: [
    [385, 380],
    [386, 374],
    [387, 373],
  ],
  corners: [362, 263],
} as const;
