import { Worker } from 'node:worker_threads';
import type { RgbImage } from '../image/rgb-image.ts';
import {
  type AgeEstimator,
  type AgeModelOutput,
  DEFAULT_AGE_VIEWS,
  renderViews,
  summariseViews,
} from './age-model.ts';
import type { AgeWorkerReply, AgeWorkerRequest } from './age-worker.ts';
import type { EyeLine, FaceView } from './face-view.ts';

const WORKER_URL = new URL('./age-worker.entry.mjs', import.meta.url);

/**
 * The age model in a worker thread of its own, for a process that analyses one or a few photos
 * (the CLI): the thread loads faceres and runs it once while the calling thread loads the face
 * models and finds the face, so on a machine with a free core the age model's set-up (about 0.4 s
 * of weight decoding and first run) no longer adds to the photo's time. The views are rendered in
 * the calling thread and only the model runs in the worker; the output is the same as AgeModel's.
 * The thread keeps the process alive only while a request is waiting for it; `dispose` ends it.
 */
export class AgeModelThread implements AgeEstimator {
  private nextId = 1;
  private failure: Error | null = null;
  private readonly pending = new Map<number, { resolve(o: AgeWorkerReply): void; reject(e: Error): void }>();

  private constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (reply: AgeWorkerReply) => {
      const call = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!this.pending.size) worker.unref();
      call?.resolve(reply);
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the age model's thread exited (code ${code})`)));
  }

  /**
   * Starts the thread; it begins loading faceres at once. `workerUrl`: a bundle of age-worker.ts
   * to run instead of its TypeScript entry (which registers tsx in the thread first).
   */
  static start(workerUrl: URL = WORKER_URL): AgeModelThread {
    return new AgeModelThread(new Worker(workerUrl));
  }

  async estimate(
    image: RgbImage,
    face: EyeLine,
    views: readonly FaceView[] = DEFAULT_AGE_VIEWS,
  ): Promise<AgeModelOutput> {
    if (this.failure) throw this.failure;
    const batch = renderViews(image, face, views);
    const id = this.nextId++;
    const reply = await new Promise<AgeWorkerReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      const request: AgeWorkerRequest = { id, batch, views: views.length };
      this.worker.postMessage(request, [batch.buffer as ArrayBuffer]);
    });
    if ('error' in reply) throw Object.assign(new Error(reply.error.message), reply.error);
    return summariseViews(reply.outputs, views.length);
  }

  async dispose(): Promise<void> {
    await this.worker.terminate();
  }
}
