import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** The parts of @vladmandic/human's node-wasm bundle that the engine uses. */
export interface HumanModule {
  Human: new (config: Record<string, unknown>) => HumanInstance;
}

/** The subset of a Human instance the detector calls. */
export interface HumanInstance {
  init(): Promise<void>;
  load(): Promise<void>;
  detect(input: unknown): Promise<HumanResult>;
  tf: {
    tensor3d(
      values: Float32Array | Int32Array,
      shape: [number, number, number],
      dtype: 'float32' | 'int32',
    ): HumanTensor;
    fill(shape: [number, number, number], value: number, dtype: 'float32'): HumanTensor;
    getBackend(): string;
    backend(): unknown;
    memory(): { numTensors: number; numBytes: number };
  };
}

export interface HumanTensor {
  dispose(): void;
}

/** One face as Human returns it (coordinates in input pixels, angles in radians). */
export interface HumanFace {
  box: [number, number, number, number];
  mesh: [number, number, number][];
  score: number;
  boxScore: number;
  faceScore: number;
  rotation?: { angle: { roll: number; yaw: number; pitch: number } } | null;
}

export interface HumanResult {
  face: HumanFace[];
  error?: string | null;
}

/** Paths of the model files and the wasm binaries, all inside node_modules. */
export interface HumanAssetPaths {
  modelBaseUrl: string;
  wasmPath: string;
}

export function humanAssetPaths(): HumanAssetPaths {
  const humanMain = require.resolve('@vladmandic/human');
  const wasmMain = require.resolve('@tensorflow/tfjs-backend-wasm');
  const wasmDist = join(dirname(wasmMain), '/');
  const modelDir = join(dirname(humanMain), '..', 'models', '/');
  return {
    modelBaseUrl: `${pathToFileURL(modelDir).href}/`,
    wasmPath: wasmDist.endsWith('/') ? wasmDist : `${wasmDist}/`,
  };
}

/**
 * Loads Human's node-wasm bundle. Works around the gotchas of runtime-notes.md §2: the broken
 * `exports` map (resolve the file by path), the load order of the tfjs externals, and Node's
 * `fetch` refusing `file://` URLs (a wrapper serves local model files, everything else passes).
 * Source-map support (which tsx turns on) is off while the bundles load: Node would otherwise
 * decode Human's inline source map, about 0.1 s of every process and worker start-up.
 */
export function loadHumanModule(): HumanModule {
  const sourceMaps = process.sourceMapsEnabled;
  if (sourceMaps) process.setSourceMapsEnabled(false);
  try {
    loadTfjs();
    const bundle = join(dirname(require.resolve('@vladmandic/human')), 'human.node-wasm.js');
    return require(bundle) as HumanModule;
  } finally {
    if (sourceMaps) process.setSourceMapsEnabled(true);
  }
}

/**
 * Loads the tfjs modules Human's bundle takes as externals (core, converter, wasm backend, in that
 * order) and lets fetch read local model files: all that a model of its own (faceres) needs, without
 * Human's bundle. Source maps are off while they load, as for Human's bundle.
 */
export function loadTfjs(): void {
  const sourceMaps = process.sourceMapsEnabled;
  if (sourceMaps) process.setSourceMapsEnabled(false);
  try {
    require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-converter');
    require('@tensorflow/tfjs-backend-wasm');
    installFileFetch();
  } finally {
    if (sourceMaps) process.setSourceMapsEnabled(true);
  }
}

const FILE_FETCH_MARK = Symbol.for('skinscope.fileFetch');

function installFileFetch(): void {
  const current = globalThis.fetch as typeof fetch & { [FILE_FETCH_MARK]?: true };
  if (current[FILE_FETCH_MARK]) return;
  const wrapped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith('file://')) return fileResponse(await readFile(fileURLToPath(url)));
    return current(input, init);
  };
  Object.assign(wrapped, { [FILE_FETCH_MARK]: true });
  globalThis.fetch = wrapped as typeof fetch;
}

/**
 * A local file as the part of a fetch Response that tfjs's model loaders read (ok, status,
 * json, text, arrayBuffer), handing over the file's bytes without a copy: undici's Response streams
 * and concatenates the body, which cost about 0.1 s per process for the 12 MB of model weights.
 * The headers are an empty stand-in (the loaders never read them): a `Headers` would load undici's
 * fetch internals, about 25 ms per process and worker.
 */
function fileResponse(bytes: Buffer): Response {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const body = whole
    ? bytes.buffer
    : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const response = {
    ok: true,
    status: 200,
    statusText: 'OK',
    headers: { get: () => null, has: () => false },
    arrayBuffer: async () => body,
    json: async () => JSON.parse(bytes.toString('utf8')) as unknown,
    text: async () => bytes.toString('utf8'),
  };
  return response as unknown as Response;
}
