import type { Human } from '@vladmandic/human';
import type { SeenFace } from './guidance.ts';

const DEG = 180 / Math.PI;

/**
 * Loads Human's browser build (its own chunk, fetched only when the camera opens) with the face detector and
 * mesh, on tfjs's WebAssembly backend; the models and .wasm files are served by the Skinscope server itself.
 */
export async function loadFaceModel(): Promise<Human> {
  const { Human } = await import('@vladmandic/human');
  const base = new URL('human/', window.location.href).href;
  const human = new Human({
    backend: 'wasm',
    wasmPath: `${base}wasm/`,
    modelBasePath: `${base}models/`,
    debug: false,
    async: true,
    warmup: 'none',
    cacheSensitivity: 0,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: { enabled: true, rotation: false, maxDetected: 3, return: false },
      mesh: { enabled: true },
      iris: { enabled: false },
      attention: { enabled: false },
      description: { enabled: false },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
  });
  await human.load();
  return human;
}

/** The faces in a video frame, with head rotation in degrees. */
export async function detectFaces(human: Human, video: HTMLVideoElement): Promise<SeenFace[]> {
  const result = await human.detect(video);
  return result.face.map((f) => ({
    box: [f.box[0], f.box[1], f.box[2], f.box[3]],
    yaw: (f.rotation?.angle.yaw ?? 0) * DEG,
    pitch: (f.rotation?.angle.pitch ?? 0) * DEG,
    roll: (f.rotation?.angle.roll ?? 0) * DEG,
  }));
}
