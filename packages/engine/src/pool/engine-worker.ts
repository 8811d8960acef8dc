import { parentPort } from 'node:worker_threads';
import { createEngine } from '../analyze.ts';
import { isEngineError } from '../errors.ts';
import { FaceModels } from '../face/face-models.ts';
import type { AlgorithmResult } from '../result/result-shape.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

/** Worker thread: loads its own face models once, then analyses images one at a time. */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('engine-worker must run in a worker thread');
  const engine = createEngine({ faces: await FaceModels.load() });
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
  port.on('message', async (request: WorkerRequest) => {
    try {
      const onResult = request.partial
        ? (result: AlgorithmResult) =>
            port.postMessage({ type: 'partial', id: request.id, result } satisfies WorkerReply)
        : undefined;
      const analysis = await engine.analyze(request.bytes, request.options, onResult);
      const transfer = analysis.restored ? [analysis.restored.jpeg.buffer as ArrayBuffer] : [];
      port.postMessage({ type: 'result', id: request.id, analysis } satisfies WorkerReply, transfer);
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

main().catch((error) => {
  console.error('engine worker failed to start:', error);
  process.exit(1);
});
