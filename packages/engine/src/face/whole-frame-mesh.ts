import { createRequire } from 'node:module';
import { bilinearChannel, type RgbImage } from '../image/rgb-image.ts';
import type { DetectedFace } from './detected-face.ts';
import { humanAssetPaths } from './human-loader.ts';
import { LEFT_EYE, LEFT_IRIS, RIGHT_EYE, RIGHT_IRIS } from './mesh-indices.ts';

const require = createRequire(import.meta.url);

/** Side of FaceMesh's square input, px. */
export const MESH_INPUT = 192;
const MESH_POINTS = 468;
const LANDMARKS = 478;

/**
 * Margins tried around the whole frame, as a share of its long side on each side. A close-up
 * (the face fills the frame, chin or forehead cut off) is what BlazeFace misses; FaceMesh, which
 * expects a face filling most of its crop, reads such a frame directly. On the acne04 close-ups the
 * mesh's face flag on the frame with a 10% margin was the highest on most of the photos BlazeFace
 * missed; 0 and 25% catch some of the others.
 */
export const WHOLE_FRAME_MARGINS = [0.1, 0, 0.25] as const;

/**
 * Lowest face flag (FaceMesh's own face-presence output, 0-1) for a whole-frame mesh to count as a
 * face. Stricter than the detector path's 0.3: here no detector has vouched for the crop. Photos with
 * no face give flags below 0.05 (cheek-only crops, textures).
 */
export const WHOLE_FRAME_MIN_FLAG = 0.8;

/** Share of the landmarks' bounding box added on each side for the refining pass (FaceMesh's crop margin). */
const REFINE_MARGIN = 0.25;

interface Tensor {
  shape: number[];
  data(): Promise<Float32Array>;
  dispose(): void;
}

interface GraphModel {
  execute(input: Tensor): Tensor | Tensor[];
}

interface TfCore {
  tensor4d(values: Float32Array, shape: [number, number, number, number], dtype: 'float32'): Tensor;
}

/** A square crop of the image: top-left corner and side, image pixels (may reach outside it). */
interface Square {
  x0: number;
  y0: number;
  side: number;
}

/**
 * FaceMesh (@vladmandic/human/models/facemesh.json, the model Human runs on the detector's crops)
 * run on the whole frame, for photos where the face detector finds nothing: the close-ups and
 * three-quarter views it misses. A first pass on the frame with each margin of WHOLE_FRAME_MARGINS
 * picks the best face flag; a second pass on a square around the landmarks it found refines them.
 *
 * The mesh has 468 points; the iris model is not run on this path, so the 10 iris points (468-477)
 * are set to each eye opening's centroid with a zero-width rim: the geometry then reads no iris
 * ruler and takes its scale from the eye corners and pupils (scaleFromRulers). Shares the tfjs-wasm
 * backend of FaceModels; create it after FaceModels.load() in the same thread.
 */
export class WholeFrameMesh {
  private constructor(
    private readonly tf: TfCore,
    private readonly model: GraphModel,
  ) {}

  static async load(): Promise<WholeFrameMesh> {
    const tf = require('@tensorflow/tfjs-core') as TfCore;
    const converter = require('@tensorflow/tfjs-converter') as {
      loadGraphModel(url: string): Promise<GraphModel>;
    };
    const model = await converter.loadGraphModel(`${humanAssetPaths().modelBaseUrl}facemesh.json`);
    return new WholeFrameMesh(tf, model);
  }

  /** The face in `image`, or null when no margin gives a face flag of WHOLE_FRAME_MIN_FLAG. */
  async find(image: RgbImage): Promise<DetectedFace | null> {
    const long = Math.max(image.width, image.height);
    let best: { flag: number; mesh: Float32Array; square: Square } | null = null;
    for (const margin of WHOLE_FRAME_MARGINS) {
      const side = long * (1 + 2 * margin);
      const square = { x0: (image.width - side) / 2, y0: (image.height - side) / 2, side };
      const run = await this.run(image, square);
      if (!best || run.flag > best.flag) best = { ...run, square };
    }
    if (!best || best.flag < WHOLE_FRAME_MIN_FLAG) return null;
    const refined = await this.run(image, squareAround(best.mesh));
    const chosen = refined.flag >= best.flag ? refined : best;
    return toDetectedFace(chosen.mesh, chosen.flag);
  }

  /** Runs the mesh on one square crop; landmarks come back in image pixels. */
  private async run(image: RgbImage, square: Square): Promise<{ flag: number; mesh: Float32Array }> {
    const input = new Float32Array(MESH_INPUT * MESH_INPUT * 3);
    sampleSquare(image, square, input);
    const x = this.tf.tensor4d(input, [1, MESH_INPUT, MESH_INPUT, 3], 'float32');
    const outputs = this.model.execute(x);
    const list = Array.isArray(outputs) ? outputs : [outputs];
    try {
      const flagT = list.find((t) => t.shape.at(-1) === 1);
      const meshT = list.find((t) => t.shape.at(-1) === MESH_POINTS * 3);
      if (!flagT || !meshT) throw new Error('facemesh: unexpected outputs');
      const flag = (await flagT.data())[0] ?? 0;
      const raw = await meshT.data();
      const k = square.side / MESH_INPUT;
      const mesh = new Float32Array(MESH_POINTS * 3);
      for (let i = 0; i < MESH_POINTS; i++) {
        mesh[i * 3] = square.x0 + raw[i * 3]! * k;
        mesh[i * 3 + 1] = square.y0 + raw[i * 3 + 1]! * k;
        mesh[i * 3 + 2] = raw[i * 3 + 2]! * k;
      }
      return { flag, mesh };
    } finally {
      x.dispose();
      for (const t of list) t.dispose();
    }
  }
}

/** The square around the landmarks' bounding box, grown by REFINE_MARGIN on each side. */
function squareAround(mesh: Float32Array): Square {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < MESH_POINTS; i++) {
    const x = mesh[i * 3]!;
    const y = mesh[i * 3 + 1]!;
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  const side = Math.max(x1 - x0, y1 - y0) * (1 + 2 * REFINE_MARGIN);
  return { x0: (x0 + x1 - side) / 2, y0: (y0 + y1 - side) / 2, side };
}

/** Bilinear sample of a square crop into MESH_INPUT² RGB floats in 0-1; black outside the image. */
export function sampleSquare(image: RgbImage, square: Square, out: Float32Array): void {
  const { width: w, height: h, data } = image;
  const k = square.side / MESH_INPUT;
  for (let y = 0; y < MESH_INPUT; y++) {
    const sy = square.y0 + (y + 0.5) * k - 0.5;
    for (let x = 0; x < MESH_INPUT; x++) {
      const sx = square.x0 + (x + 0.5) * k - 0.5;
      const o = (y * MESH_INPUT + x) * 3;
      if (sx < 0 || sy < 0 || sx >= w - 1 || sy >= h - 1) {
        out[o] = out[o + 1] = out[o + 2] = 0;
        continue;
      }
      for (let c = 0; c < 3; c++) out[o + c] = bilinearChannel(data, w, sx, sy, c) / 255;
    }
  }
}

/** 478 landmarks from the 468-point mesh: each iris (centre and rim) at its eye opening's centroid. */
function toDetectedFace(mesh: Float32Array, flag: number): DetectedFace {
  const landmarks = new Float32Array(LANDMARKS * 3);
  landmarks.set(mesh);
  const setIris = (iris: { centre: number; rim: readonly number[] }, eye: readonly number[]) => {
    let cx = 0;
    let cy = 0;
    let cz = 0;
    for (const i of eye) {
      cx += mesh[i * 3]!;
      cy += mesh[i * 3 + 1]!;
      cz += mesh[i * 3 + 2]!;
    }
    for (const i of [iris.centre, ...iris.rim]) {
      landmarks[i * 3] = cx / eye.length;
      landmarks[i * 3 + 1] = cy / eye.length;
      landmarks[i * 3 + 2] = cz / eye.length;
    }
  };
  setIris(RIGHT_IRIS, RIGHT_EYE);
  setIris(LEFT_IRIS, LEFT_EYE);
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < MESH_POINTS; i++) {
    x0 = Math.min(x0, mesh[i * 3]!);
    y0 = Math.min(y0, mesh[i * 3 + 1]!);
    x1 = Math.max(x1, mesh[i * 3]!);
    y1 = Math.max(y1, mesh[i * 3 + 1]!);
  }
  return { box: [x0, y0, x1 - x0, y1 - y0], landmarks, score: flag, angles: null };
}
