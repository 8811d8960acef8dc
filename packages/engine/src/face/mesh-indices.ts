/**
 * Index sets of the MediaPipe 468-point face mesh (+10 iris points, 468-477) used by the engine.
 * "Left" and "right" are the subject's own (anatomical) sides: on an unmirrored frontal photo the
 * subject's left appears on the image's right.
 */

/** Face silhouette, ordered clockwise from the top of the forehead. */
export const FACE_OVAL = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149,
  150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
] as const;

/** Eye openings (lid margins), ordered. */
export const RIGHT_EYE = [
  33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7,
] as const;
export const LEFT_EYE = [
  263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249,
] as const;

/** Upper-lid / lower-lid point pairs across the middle of each eye opening (eye openness). */
export const RIGHT_LID_PAIRS = [
  [160, 144],
  [159, 145],
  [158, 153],
] as const;
export const LEFT_LID_PAIRS = [
  [385, 380],
  [386, 374],
  [387, 373],
] as const;

/** Lower lid margins, lateral to medial. */
export const RIGHT_LOWER_LID = [33, 7, 163, 144, 145, 153, 154, 155, 133] as const;
export const LEFT_LOWER_LID = [263, 249, 390, 373, 374, 380, 381, 382, 362] as const;

/** Eyebrows, ordered around each brow. */
export const RIGHT_BROW = [70, 63, 105, 66, 107, 55, 65, 52, 53, 46] as const;
export const LEFT_BROW = [300, 293, 334, 296, 336, 285, 295, 282, 283, 276] as const;

/** Outer lip contour, ordered. */
export const LIPS_OUTER = [
  61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146,
] as const;

/**
 * Iris centre and four rim points. Human's iris model appends the iris of the eye at 263 (subject's
 * left) as 468-472 and the one at 33 (subject's right) as 473-477.
 */
export const RIGHT_IRIS = { centre: 473, rim: [474, 475, 476, 477] } as const;
export const LEFT_IRIS = { centre: 468, rim: [469, 470, 471, 472] } as const;

/** Single points. */
export const POINT = {
  foreheadTop: 10,
  noseTip: 1,
  noseBridge: 168,
  subnasale: 2,
  chin: 152,
  mouthRight: 61,
  mouthLeft: 291,
  upperLipTop: 0,
  lowerLipBottom: 17,
  rightEyeOuter: 33,
  rightEyeInner: 133,
  leftEyeOuter: 263,
  leftEyeInner: 362,
  rightCheekEdge: 234,
  leftCheekEdge: 454,
  rightAla: 129,
  leftAla: 358,
  rightJaw: 172,
  leftJaw: 397,
} as const;

/** Nostril openings (dark holes under the nose tip), as point sets whose hull covers each. */
export const RIGHT_NOSTRIL = [98, 97, 2, 99, 240, 75, 60, 20, 79, 166, 64] as const;
export const LEFT_NOSTRIL = [327, 326, 2, 328, 460, 305, 290, 250, 309, 392, 294] as const;
