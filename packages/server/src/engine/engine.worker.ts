import { parentPort } from 'node:worker_threads';
import { createEngine, FaceModels, isEngineError } from '@skinscope/engine';
import type { PoolReply, PoolRequest } from './thread-pool.ts';

/** Engine worker thread: loads its own face models once, then analyses one image at a time. */
async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('engine.worker must run in a worker thread');
  const engine = createEngine({ faces: await FaceModels.load() });
  port.postMessage({ type: 'ready' } satisfies PoolReply);
  port.on('message', async (request: PoolRequest) => {
    try {
      const analysis = await engine.analyze(request.bytes, request.options);
      const transfer = analysis.restored ? [analysis.restored.jpeg.buffer as ArrayBuffer] : [];
      port.postMessage({ type: 'result', id: request.id, analysis } satisfies PoolReply, transfer);
    } catch (error) {
      const e = error as Error;
      port.postMessage({
        type: 'error',
        id: request.id,
        error: isEngineError(e)
          ? { name: e.name, message: e.message, code: e.code, details: e.details }
          : { name: e.name, message: e.message },
      } satisfies PoolReply);
    }
  });
}

serve().catch((error) => {
  console.error('engine worker failed to start:', error);
  process.exit(1);
});
