import type { AlgorithmResultMessage, ImageProcessedMessage } from '@skinscope/sdk';
import type { Session } from '../session.ts';

/** The two notification sockets of a signed-in user, opened before an upload so no result is missed. */
export interface LiveProgress {
  /** Resolves once both sockets are open (or rejects when one cannot be opened). */
  ready: Promise<void>;
  /** Called for each algorithm's result of the image being followed. */
  onResult: (message: AlgorithmResultMessage) => void;
  /** Called when the followed image is processed. */
  onProcessed: (message: ImageProcessedMessage) => void;
  /** Follows one image: messages of other images are dropped; earlier messages of it are replayed. */
  follow(imageId: string): void;
  close(): void;
}

export function openLiveProgress(session: Session): LiveProgress {
  const urls = session.client.notificationUrls({ companyId: session.companyId, userId: session.userId });
  const sockets = [new WebSocket(urls.results), new WebSocket(urls.images)];
  let followed: string | undefined;
  const early: (AlgorithmResultMessage | ImageProcessedMessage)[] = [];
  const deliver = (m: AlgorithmResultMessage | ImageProcessedMessage) => {
    if (m.type === 'algorithm_result') progress.onResult(m);
    else progress.onProcessed(m);
  };
  const receive = (event: MessageEvent) => {
    const m = JSON.parse(String(event.data)) as AlgorithmResultMessage | ImageProcessedMessage;
    if (m.type !== 'algorithm_result' && m.type !== 'image_processed') return;
    if (followed === undefined) early.push(m);
    else if (m.image_id === followed) deliver(m);
  };
  const progress: LiveProgress = {
    ready: Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((resolve, reject) => {
            ws.addEventListener('open', () => resolve(), { once: true });
            ws.addEventListener('error', () => reject(new Error('live progress is unavailable')), {
              once: true,
            });
          }),
      ),
    ).then(() => undefined),
    onResult: () => {},
    onProcessed: () => {},
    follow(imageId) {
      followed = imageId;
      for (const m of early.splice(0)) if (m.image_id === imageId) deliver(m);
    },
    close() {
      for (const ws of sockets) ws.close();
    },
  };
  for (const ws of sockets) ws.addEventListener('message', receive);
  return progress;
}
