import { parentPort } from 'node:worker_threads';
import { AgeModel, type AgeNetOutputs, outputBuffers } from './age-model.ts';

/** A batch of rendered views for the age worker (see AgeModelThread). */
export interface AgeWorkerRequest {
  id: number;
  batch: Float32Array;
  views: number;
}

/** The age worker's answer to one request. */
export type AgeWorkerReply =
  | { id: number; outputs: AgeNetOutputs }
  | { id: number; error: { name: string; message: string; stack?: string } };

/**
 * Worker thread of AgeModelThread: loads faceres, runs it once on a grey view (the wasm kernels set
 * up their packed weights on the first run, so the first real face does not wait for it), then runs
 * each batch it is sent. Requests sent while it loads wait in the port's queue.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('age-worker must run in a worker thread');
  const model = await AgeModel.load();
  await model.warmUp();
  port.on('message', async (request: AgeWorkerRequest) => {
    try {
      const outputs = await model.run(request.batch, request.views);
      port.postMessage({ id: request.id, outputs } satisfies AgeWorkerReply, outputBuffers(outputs));
    } catch (error) {
      const e = error as Error;
      port.postMessage({
        id: request.id,
        error: { name: e.name, message: e.message, stack: e.stack },
      } satisfies AgeWorkerReply);
    }
  });
}

main().catch((error) => {
  console.error('age worker failed to start:', error);
  process.exit(1);
});
