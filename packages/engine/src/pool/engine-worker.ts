import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { createEngine } from '../analyze.ts';
import { isEngineError } from '../errors.ts';
import { FaceModels } from '../face/face-models.ts';
import type { AlgorithmResult } from '../result/result-shape.ts';
import { SharedAge } from './shared-age.ts';
import type { WorkerMemory, WorkerMessage, WorkerReply } from './worker-protocol.ts';

/**
 * Worker thread: loads its own face models once, then analyses images one at a time; the age model
 * (loaded on first use) is shared with the pool's other workers through SharedAge.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('engine-worker must run in a worker thread');
  // libvips's operation cache (up to 50 MB of the process) only helps repeated identical
  // operations, which a stream of different photos never has.
  sharp.cache(false);
  const faces = await FaceModels.load();
  const age = new SharedAge(port);
  const engine = createEngine({ faces, age });
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
  port.on('message', async (request: WorkerMessage) => {
    if (age.handle(request)) return;
    if (request.type === 'memory') {
      port.postMessage({ type: 'memory', id: request.id, memory: memoryOf(faces) } satisfies WorkerReply);
      return;
    }
    try {
      const posted = new Set<AlgorithmResult>();
      const onResult = request.partial
        ? (result: AlgorithmResult) => {
            port.postMessage({ type: 'partial', id: request.id, result } satisfies WorkerReply);
            posted.add(result);
          }
        : undefined;
      const analysis = await engine.analyze(request.bytes, request.options, onResult);
      const transfer = analysis.restored ? [analysis.restored.jpeg.buffer as ArrayBuffer] : [];
      const results = analysis.results.map((r) => (posted.has(r) ? r.algorithm_tech_name : r));
      port.postMessage(
        { type: 'result', id: request.id, analysis: { ...analysis, results } } satisfies WorkerReply,
        transfer,
      );
    } catch (error) {
      const e = error as Error;
      port.postMessage({
        type: 'error',
        id: request.id,
        error: isEngineError(e)
          ? { name: e.name, message: e.message, code: e.code, details: e.details }
          : { name: e.name, message: e.message, stack: e.stack },
      } satisfies WorkerReply);
    }
  });
}

function memoryOf(faces: FaceModels): WorkerMemory {
  const m = process.memoryUsage();
  const runtime = faces.runtimeMemory();
  const mib = (bytes: number) => bytes / 2 ** 20;
  return {
    heapUsedMiB: mib(m.heapUsed),
    externalMiB: mib(m.external),
    arrayBuffersMiB: mib(m.arrayBuffers),
    wasmHeapMiB: mib(runtime.wasmHeapBytes),
    tensors: runtime.tensors,
  };
}

main().catch((error) => {
  console.error('engine worker failed to start:', error);
  process.exit(1);
});
