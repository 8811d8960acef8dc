/** A face found in an image, in the pixel coordinates of the image given to `detect`. */
export interface DetectedFace {
  /** [x, y, width, height] of the detector's box. */
  box: [number, number, number, number];
  /** 478 landmarks (468 mesh + 10 iris) as x, y, z triples; z in the same pixel units, relative. */
  landmarks: Float32Array;
  /** Detector confidence, 0-1. */
  score: number;
  /** Head angles reported by Human's mesh, degrees (yaw > 0: face turned towards the subject's right, the image's left). */
  angles: { yaw: number; pitch: number; roll: number } | null;
}
