import type { TokenSigner } from './auth/tokens.ts';
import type { DeletionService, ImageCleanup } from './deletion/deletion.service.ts';
import type { Analyzer } from './ports/analyzer.ts';
import type { BlobStore } from './ports/blob-store.ts';
import type { JobQueue } from './ports/job-queue.ts';
import type { Notifier } from './ports/notifier.ts';
import type { Store } from './ports/store.ts';
import type { ConcernTable } from './recommendations/recommend.ts';
import type { WebhookService } from './webhooks/webhook.service.ts';

/** What `buildApp` needs: the ports, a clock and the settings the HTTP layer uses. */
export interface AppDeps {
  store: Store;
  blobs: BlobStore;
  queue: JobQueue;
  /** Used for `validateImage` at upload and the algorithm dictionary; analysis runs in the processor. */
  analyzer: Analyzer;
  /** Key for tokens and signed URLs (>= 32 characters). */
  secret: string;
  /** Milliseconds since the epoch; injected so token expiry can be tested. */
  now?: () => number;
  /** Base of links the API hands out; default: the request's protocol and host. */
  publicUrl?: string;
  /** Largest image file in bytes. Default 20 MB. */
  maxImageBytes?: number;
  /** Login attempts per minute per account and client address (every login URL counts). Default 10. */
  loginRateLimit?: number;
  /** Milliseconds a request (head and body) may take to arrive before it answers 408 and is cut. Default 120 000. */
  requestTimeoutMs?: number;
  /** Called after a job is queued, so an in-process processor starts at once. */
  onJobQueued?: () => void;
  /** Pino log level, or false for no logs. Default false. */
  logLevel?: string | false;
  /** The deletion service; default: one over `store` and `blobs` with `imageCleanups`. */
  deletion?: DeletionService;
  /** Extra per-image deletion steps (files an image owns beyond its rows' blob keys), when `deletion` is not given. */
  imageCleanups?: readonly ImageCleanup[];
  /** Where the WebSocket endpoints listen for messages; default: a hub of its own (nothing publishes). */
  notifier?: Notifier;
  /** Webhooks; default: one over the same ports (links to `publicUrl`, retries from 10 s). */
  webhooks?: WebhookService;
  /** The recommendation table; default: `recommendations/concerns.json`. */
  concerns?: ConcernTable;
  /** The built web dashboard to serve at `/` (`Config.webDir`); none when absent. */
  webDir?: string;
}

/** The resolved dependencies the routes share. */
export interface AppContext {
  store: Store;
  blobs: BlobStore;
  queue: JobQueue;
  analyzer: Analyzer;
  signer: TokenSigner;
  now: () => number;
  publicUrl: string | undefined;
  maxImageBytes: number;
  loginRateLimit: number;
  onJobQueued: () => void;
  deletion: DeletionService;
  notifier: Notifier;
  webhooks: WebhookService;
  concerns: ConcernTable;
}
