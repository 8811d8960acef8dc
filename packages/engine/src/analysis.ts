import type { RestoreTransform } from './geometry/restore.ts';
import type { AlgorithmResult } from './result/result-shape.ts';

/** The restored face: rotated upright, centred and cropped (aux image `selfie_front_face_restored`). */
export interface RestoredImage {
  jpeg: Uint8Array;
  width: number;
  height: number;
  transform: RestoreTransform;
}

/** What the engine returns for one image. */
export interface Analysis {
  image: { width: number; height: number; format: string };
  /** Number of faces found; the largest is analysed. */
  faceCount: number;
  /** One element per algorithm run, in registry order. */
  results: AlgorithmResult[];
  /** Absent when no face was found or when not asked for. */
  restored?: RestoredImage;
  /**
   * Milliseconds per stage (decode, face, geometry, quality, each metric, total). `age_model` is the
   * wait for the age model after the metrics that do not need it: its whole run when it runs in the
   * analysing thread, little or nothing when another thread ran it meanwhile.
   */
  timings: Record<string, number>;
}

export interface AnalyzeOptions {
  /** Tech names to run (the face detector always runs); all registered when absent. */
  algorithms?: readonly string[];
  /** Also produce the restored face image (default true). */
  restored?: boolean;
}
