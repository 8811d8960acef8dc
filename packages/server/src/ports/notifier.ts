/**
 * The `Notifier` port: live messages to connected clients (the WebSocket endpoints), per company and
 * channel. `images`: an image's processing finished; `results`: one algorithm's result was computed.
 * The default adapter is an in-process hub, so publishers and sockets must share a process (role `all`).
 */
export type NotificationChannel = 'images' | 'results';

export interface Notifier {
  publish(companyId: string, channel: NotificationChannel, message: object): void;
  /** Listens to one company's channel; returns the function that stops listening. */
  subscribe(companyId: string, channel: NotificationChannel, listener: (message: object) => void): () => void;
}
