import sharp from 'sharp';
import type { RgbImage } from '../image/rgb-image.ts';
import type { DetectedFace } from './detected-face.ts';
import { type HumanInstance, type HumanTensor, humanAssetPaths, loadHumanModule } from './human-loader.ts';
import { TURNED_MIN_SCORE, TURNS, turnedFrame, unturnFace } from './turned-frames.ts';
import { WholeFrameMesh } from './whole-frame-mesh.ts';

export type { DetectedFace } from './detected-face.ts';

/** Options of the face models. */
export interface FaceModelOptions {
  /** Long side in pixels of the copy given to the detector (the mesh crops the face itself). Default 1024. */
  detectorSide: number;
  /** Lowest detector confidence kept, 0-1. Default 0.3. */
  minConfidence: number;
  /** Most faces looked for. Default 20. */
  maxFaces: number;
  /**
   * When the detector finds no face, run the mesh on the whole frame (whole-frame-mesh.ts): finds the
   * close-ups and three-quarter views BlazeFace misses; then, if still none, the detector on the
   * frame turned by a quarter either way (turned-frames.ts): faces lying sideways. Default true.
   */
  wholeFrameFallback: boolean;
  /**
   * Run one detection on a blank frame while loading, so that the first real image does not pay
   * the models' first-run set-up (about 0.2-0.3 s). Default true; a process that analyses one
   * photo and exits (the CLI) saves that time by skipping it.
   */
  warmUp: boolean;
}

export const DEFAULT_FACE_MODEL_OPTIONS: FaceModelOptions = {
  detectorSide: 1024,
  minConfidence: 0.3,
  maxFaces: 20,
  wholeFrameFallback: true,
  warmUp: true,
};

export const LANDMARK_COUNT = 478;

/**
 * The face detector and 478-point mesh (@vladmandic/human: BlazeFace, FaceMesh, Iris) on
 * tfjs-backend-wasm with SIMD. One instance per process or worker thread: create it with
 * `FaceModels.load()` (about 0.5-1 s, including the warm-up) and pass it to the analysis.
 */
export class FaceModels {
  /** The whole-frame mesh, loaded on the first photo the detector finds no face in. */
  private wholeFrame: Promise<WholeFrameMesh> | null = null;

  private constructor(
    private readonly human: HumanInstance,
    readonly options: FaceModelOptions,
  ) {}

  static async load(options: Partial<FaceModelOptions> = {}): Promise<FaceModels> {
    const opts = { ...DEFAULT_FACE_MODEL_OPTIONS, ...options };
    const { Human } = loadHumanModule();
    const paths = humanAssetPaths();
    const human = new Human({
      backend: 'wasm',
      wasmPath: paths.wasmPath,
      modelBasePath: paths.modelBaseUrl,
      debug: false,
      cacheSensitivity: 0,
      warmup: 'none',
      face: {
        enabled: true,
        detector: {
          rotation: true,
          maxDetected: opts.maxFaces,
          minConfidence: opts.minConfidence,
          skipFrames: 0,
          skipTime: 0,
          return: false,
        },
        mesh: { enabled: true },
        iris: { enabled: true },
        attention: { enabled: false },
        description: { enabled: false },
        emotion: { enabled: false },
        antispoof: { enabled: false },
        liveness: { enabled: false },
      },
      body: { enabled: false },
      hand: { enabled: false },
      object: { enabled: false },
      gesture: { enabled: false },
      segmentation: { enabled: false },
      filter: { enabled: false },
    });
    await human.init();
    await human.load();
    const models = new FaceModels(human, opts);
    if (opts.warmUp) await models.warmUp();
    return models;
  }

  /**
   * Finds faces, largest first. Coordinates are in `image` pixels. Without a detector face, the
   * whole-frame mesh (when enabled) may give one face.
   */
  async detect(image: RgbImage): Promise<DetectedFace[]> {
    const longSide = Math.max(image.width, image.height);
    const scale = longSide > this.options.detectorSide ? this.options.detectorSide / longSide : 1;
    const input = scale < 1 ? await resizeRgb(image, scale) : image;
    const back = input.width / image.width;
    let faces = await this.detectOn(input, back);
    if (!faces.length && this.options.wholeFrameFallback) {
      this.wholeFrame ??= WholeFrameMesh.load().catch((error: unknown) => {
        this.wholeFrame = null;
        throw error;
      });
      const face = await (await this.wholeFrame).find(input);
      if (face) faces = [scaleFace(face, 1 / back)];
      else faces = (await this.detectTurned(input)).map((f) => scaleFace(f, 1 / back));
    }
    return faces.sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3]);
  }

  /** The faces (confidence ≥ TURNED_MIN_SCORE) of the first of TURNS that finds any, in `input`'s coordinates. */
  private async detectTurned(input: RgbImage): Promise<DetectedFace[]> {
    for (const turns of TURNS) {
      const found = (await this.detectOn(turnedFrame(input, turns), 1)).filter(
        (f) => f.score >= TURNED_MIN_SCORE,
      );
      if (found.length) return found.map((f) => unturnFace(f, turns, input.width, input.height));
    }
    return [];
  }

  /** The detector's faces on `input`, coordinates divided by `back` (input px per caller px). */
  private async detectOn(input: RgbImage, back: number): Promise<DetectedFace[]> {
    const tensor = imageTensor(this.human.tf, input);
    try {
      const result = await this.human.detect(tensor);
      if (result.error) throw new Error(`face detection failed: ${result.error}`);
      return result.face
        .filter((f) => f.mesh.length >= LANDMARK_COUNT)
        .map((f) => {
          const landmarks = meshLandmarks(f.mesh, back);
          const a = f.rotation?.angle;
          const deg = 180 / Math.PI;
          return {
            box: f.box.map((v) => v / back) as [number, number, number, number],
            landmarks,
            score: f.score,
            angles: a ? { yaw: a.yaw * deg, pitch: a.pitch * deg, roll: a.roll * deg } : null,
          };
        });
    } finally {
      tensor.dispose();
    }
  }

  /** Live tfjs tensors and the wasm heap's size in bytes, for memory checks (shared by every model of the thread). */
  runtimeMemory(): { tensors: number; wasmHeapBytes: number } {
    const tf = this.human.tf;
    const backend = tf.backend() as { wasm?: { HEAPU8?: Uint8Array } };
    return { tensors: tf.memory().numTensors, wasmHeapBytes: backend.wasm?.HEAPU8?.byteLength ?? 0 };
  }

  private async warmUp(): Promise<void> {
    const size = 256;
    const data = new Uint8Array(size * size * 3).fill(128);
    await this.detect({ data, width: size, height: size });
  }
}

/** The part of tfjs-backend-wasm's backend that `imageTensor` writes through. */
interface WasmHeapBackend {
  typedArrayFromHeap(tensor: HumanTensor): Float32Array;
}

/**
 * `input` as the float32 [height, width, 3] tensor Human takes (a float32 tensor is what Human
 * casts an int32 one to; the values 0-255 are exact either way). On the wasm backend the pixels are
 * written straight into the tensor's memory in the wasm heap: building a Float32Array of the frame
 * first (up to 12.6 MB for the 1024 px detector copy) and letting tfjs copy it in cost 10-20 ms per
 * image, mostly page faults on the fresh allocation, and its external memory brought V8's garbage
 * collections forward.
 */
function imageTensor(tf: HumanInstance['tf'], input: RgbImage): HumanTensor {
  const shape: [number, number, number] = [input.height, input.width, 3];
  const backend = tf.backend() as Partial<WasmHeapBackend>;
  if (typeof backend.typedArrayFromHeap !== 'function') {
    return tf.tensor3d(new Float32Array(input.data), shape, 'float32');
  }
  const tensor = tf.fill(shape, 0, 'float32');
  backend.typedArrayFromHeap(tensor).set(input.data);
  return tensor;
}

/** The face with its coordinates multiplied by `k`. */
function scaleFace(face: DetectedFace, k: number): DetectedFace {
  return {
    ...face,
    box: face.box.map((v) => v * k) as [number, number, number, number],
    landmarks: face.landmarks.map((v) => v * k),
  };
}

async function resizeRgb(image: RgbImage, scale: number): Promise<RgbImage> {
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { kernel: 'linear' })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height };
}

/** The first LANDMARK_COUNT mesh points as x, y, z triples, each divided by `back`. */
function meshLandmarks(mesh: readonly (readonly [number, number, number])[], back: number): Float32Array {
  const landmarks = new Float32Array(LANDMARK_COUNT * 3);
  for (let i = 0; i < LANDMARK_COUNT; i++) {
    const p = mesh[i]!;
    landmarks[i * 3] = p[0] / back;
    landmarks[i * 3 + 1] = p[1] / back;
    landmarks[i * 3 + 2] = p[2] / back;
  }
  return landmarks;
}
