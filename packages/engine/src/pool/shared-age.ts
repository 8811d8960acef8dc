import type { MessagePort } from 'node:worker_threads';
import {
  type AgeEstimator,
  AgeModel,
  type AgeModelOutput,
  type AgeNetOutputs,
  DEFAULT_AGE_VIEWS,
  greyView,
  outputBuffers,
  renderViews,
  summariseViews,
} from '../face/age-model.ts';
import type { EyeLine, FaceView } from '../face/face-view.ts';
import type { RgbImage } from '../image/rgb-image.ts';
import type { WorkerMessage, WorkerReply } from './worker-protocol.ts';

type AgeAnswer = Extract<WorkerMessage, { type: 'age-outputs' | 'age-local' }>;

/** The pool's messages about the age model (SharedAge.handle takes them). */
export type AgeMessage = Extract<
  WorkerMessage,
  { type: 'age-run' | 'age-load' | 'age-outputs' | 'age-local' }
>;

/**
 * An engine worker's side of sharing the age model across the pool. As an `AgeEstimator` for the
 * worker's own analyses it renders the views, offers them to the pool (an `age` request) and runs
 * faceres itself only when the pool answers `age-local`; the analysis meanwhile computes the metrics
 * that do not need the age. As a helper it runs another worker's views (`age-run`) on the same
 * faceres. faceres is loaded on first use, by either side, once per worker; `age-ready` tells the
 * pool that it is loaded and warm. Either way the output is AgeModel.estimate's: the same views, the
 * same model, the same averaging.
 */
export class SharedAge implements AgeEstimator {
  private model: Promise<AgeModel> | undefined;
  private announced = false;
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: AgeAnswer) => void>();

  constructor(private readonly port: MessagePort) {}

  async estimate(
    image: RgbImage,
    face: EyeLine,
    views: readonly FaceView[] = DEFAULT_AGE_VIEWS,
  ): Promise<AgeModelOutput> {
    const batch = renderViews(image, face, views);
    const id = this.nextId++;
    const answer = await new Promise<AgeAnswer>((resolve) => {
      this.waiting.set(id, resolve);
      const request: WorkerReply = { type: 'age', id, batch, views: views.length };
      this.port.postMessage(request); // copied: the batch stays here for `age-local`
    });
    const outputs = answer.type === 'age-outputs' ? answer.outputs : await this.run(batch, views.length);
    return summariseViews(outputs, views.length);
  }

  /** Handles the pool's age messages; false for any other message. */
  handle(message: WorkerMessage): message is AgeMessage {
    switch (message.type) {
      case 'age-outputs':
      case 'age-local': {
        const resolve = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        resolve?.(message);
        return true;
      }
      case 'age-run':
        this.run(message.batch, message.views).then(
          (outputs) => this.reply({ type: 'age-ran', id: message.id, outputs }, outputBuffers(outputs)),
          (error: unknown) => this.reply({ type: 'age-ran', id: message.id, error: String(error) }),
        );
        return true;
      case 'age-load':
        this.run(greyView(), 1).catch((error: unknown) =>
          console.error('the engine worker could not load the age model:', error),
        );
        return true;
      default:
        return false;
    }
  }

  dispose(): void {
    this.model?.then((m) => m.dispose()).catch(() => undefined);
  }

  private async run(batch: Float32Array, views: number): Promise<AgeNetOutputs> {
    this.model ??= AgeModel.load();
    const outputs = await (await this.model).run(batch, views);
    if (!this.announced) {
      this.announced = true;
      this.reply({ type: 'age-ready' });
    }
    return outputs;
  }

  private reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
    this.port.postMessage(message, transfer);
  }
}
