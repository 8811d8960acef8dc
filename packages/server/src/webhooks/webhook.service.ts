import { randomBytes, randomUUID } from 'node:crypto';
import { signPath } from '../auth/signed-links.ts';
import type { TokenSigner } from '../auth/tokens.ts';
import type { JobQueue } from '../ports/job-queue.ts';
import type { ImageRecord, Store, Webhook, WebhookDelivery } from '../ports/store.ts';
import type { JobHandler } from '../processing/job-handlers.ts';
import { type ConcernTable, recommend } from '../recommendations/recommend.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signBody } from './signature.ts';
import { PAYLOAD_LINK_SECONDS, webhookPayload } from './webhook-payload.ts';

/** Attempts of one delivery. With the back-off below, the last is tried about 81 min after the first (default base). */
export const WEBHOOK_MAX_ATTEMPTS = 12;
/** The back-off doubles from the base up to this multiple of it (15 min for the default 10 s base). */
const BACKOFF_CAP_FACTOR = 90;

export interface WebhookServiceDeps {
  store: Store;
  queue: JobQueue;
  signer: TokenSigner;
  now: () => number;
  /** Base of the signed image URLs in payloads (`SKINSCOPE_PUBLIC_URL`, else the server's address); none: no URLs. */
  publicUrl: () => string | undefined;
  /** First retry delay, ms; each next one doubles, up to 90 times it. */
  retryBaseMs: number;
  /** Milliseconds one call may take. Default 10 000. */
  timeoutMs?: number;
  concerns: ConcernTable;
  /** Called after deliveries were queued (wakes an in-process job runner). */
  onQueued?: () => void;
}

export interface WebhookService {
  /** Creates a webhook with a new secret key (answered once, by the route that creates it). */
  create(input: Omit<Webhook, 'id' | 'creationTime' | 'secretKey'>): Promise<Webhook>;
  /**
   * Records one delivery per enabled webhook of the image's dataset and per application that produced its
   * results, and queues each not yet queued. Idempotent: a processed image is announced once per webhook
   * and application, however often this runs.
   */
  scheduleDeliveries(image: ImageRecord): Promise<number>;
  /** The `deliver_webhook` job: one signed call; a non-2xx answer or a network error is retried with back-off. */
  handler: JobHandler<'deliver_webhook'>;
}

export function createWebhookService(deps: WebhookServiceDeps): WebhookService {
  const { store } = deps;
  const timeoutMs = deps.timeoutMs ?? 10_000;

  const link = (path: string) => {
    const base = deps.publicUrl();
    return base ? `${base}${signPath(deps.signer, deps.now(), path, PAYLOAD_LINK_SECONDS)}` : null;
  };

  /** The request of one attempt: URL with query authorization, headers, and the signed content. */
  const request = (
    webhook: Webhook,
    delivery: WebhookDelivery,
    body: string,
    ids: Record<string, string>,
  ) => {
    const url = new URL(webhook.url);
    const headers: Record<string, string> = {
      'user-agent': 'Skinscope-Webhook/1',
      [DELIVERY_HEADER]: delivery.id,
      [EVENT_HEADER]: 'image.processed',
    };
    let signed = body;
    if (webhook.method === 'get') {
      for (const [k, v] of Object.entries(ids)) url.searchParams.set(k, v);
      signed = url.searchParams.toString();
    } else headers['content-type'] = 'application/json';
    headers[SIGNATURE_HEADER] = signBody(webhook.secretKey, signed);
    if (webhook.authorization === 'query' && webhook.authorizationKey) {
      url.searchParams.set(webhook.authorizationKey, webhook.authorizationValue ?? '');
    } else if (webhook.authorization === 'basic') {
      const pair = `${webhook.authorizationKey ?? ''}:${webhook.authorizationValue ?? ''}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    } else if (webhook.authorization === 'bearer') {
      headers.authorization = `Bearer ${webhook.authorizationValue ?? ''}`;
    }
    return { url: url.toString(), headers };
  };

  const handler: JobHandler<'deliver_webhook'> = {
    async run(job) {
      const delivery = await store.webhooks.getDelivery(job.payload.deliveryId);
      if (delivery?.status !== 'pending') return;
      const webhook = await store.webhooks.getForDelivery(delivery.webhookId);
      const image = await store.images.get(delivery.companyId, delivery.imageId);
      if (!webhook || !image) return;
      const outcome = { attempts: delivery.attempts + 1, deliveredAt: null };
      if (!webhook.enabled) {
        await store.webhooks.recordAttempt(delivery.id, {
          ...outcome,
          attempts: delivery.attempts,
          status: 'cancelled',
          lastStatusCode: null,
          lastError: 'webhook disabled',
        });
        return;
      }
      const results = (await store.images.listResults(image.companyId, image.id)).filter(
        (r) => r.applicationId === delivery.applicationId,
      );
      const restored = (await store.images.listAuxImages(image.companyId, image.id))[0];
      const payload = webhookPayload({
        delivery,
        image,
        results,
        recommendations: recommend(deps.concerns, results),
        links: {
          original: image.blobKey ? link(`/images/${image.id}.jpg`) : null,
          restored: restored ? link(`/images/${restored.id}.jpg`) : null,
        },
      });
      const body = JSON.stringify(payload);
      const { url, headers } = request(webhook, delivery, body, {
        delivery_id: delivery.id,
        company_id: image.companyId,
        dataset_id: image.datasetId,
        subject_id: image.subjectId,
        batch_id: image.batchId,
        image_id: image.id,
        application_id: delivery.applicationId,
      });
      // The attempt is counted before the call, so that a process killed during it leaves it counted.
      await store.webhooks.recordAttempt(delivery.id, { ...delivery, attempts: outcome.attempts });
      let status: number | null = null;
      let error: string | null = null;
      try {
        const response = await fetch(url, {
          method: webhook.method.toUpperCase(),
          headers,
          ...(webhook.method === 'get' ? {} : { body }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = response.status;
        await response.arrayBuffer().catch(() => undefined);
        if (!response.ok) error = `HTTP ${response.status}`;
      } catch (e) {
        error =
          e instanceof Error
            ? `${e.message}${e.cause ? `: ${String((e.cause as Error).message ?? e.cause)}` : ''}`
            : String(e);
      }
      await store.webhooks.recordAttempt(delivery.id, {
        ...outcome,
        status: error === null ? 'delivered' : 'pending',
        lastStatusCode: status,
        lastError: error,
        deliveredAt: error === null ? new Date(deps.now()).toISOString() : null,
      });
      if (error !== null) throw new Error(`webhook ${webhook.id} delivery ${delivery.id}: ${error}`);
    },
    async onGiveUp(job) {
      const delivery = await store.webhooks.getDelivery(job.payload.deliveryId);
      if (delivery?.status === 'pending')
        await store.webhooks.recordAttempt(delivery.id, { ...delivery, status: 'failed' });
    },
  };

  return {
    create(input) {
      return store.webhooks.create({ ...input, secretKey: `whsec_${randomBytes(24).toString('base64url')}` });
    },
    async scheduleDeliveries(image) {
      const webhooks = (await store.webhooks.list(image.companyId, image.datasetId)).filter((w) => w.enabled);
      if (webhooks.length === 0) return 0;
      const results = await store.images.listResults(image.companyId, image.id);
      const applications = [...new Set(results.map((r) => r.applicationId))];
      await store.webhooks.createDeliveries(
        webhooks.flatMap((w) =>
          applications.map((applicationId) => ({
            id: randomUUID(),
            companyId: image.companyId,
            webhookId: w.id,
            datasetId: image.datasetId,
            imageId: image.id,
            applicationId,
          })),
        ),
      );
      let queued = 0;
      for (const d of await store.webhooks.deliveriesOfImage(image.id)) {
        if (d.status !== 'pending' || d.jobId !== null) continue;
        const jobId = await deps.queue.enqueue(
          'deliver_webhook',
          { deliveryId: d.id, imageId: image.id },
          {
            maxAttempts: WEBHOOK_MAX_ATTEMPTS,
            backoffMs: deps.retryBaseMs,
            backoffCapMs: deps.retryBaseMs * BACKOFF_CAP_FACTOR,
          },
        );
        await store.webhooks.setDeliveryJob(d.id, jobId);
        queued++;
      }
      if (queued > 0) deps.onQueued?.();
      return queued;
    },
    handler,
  };
}
