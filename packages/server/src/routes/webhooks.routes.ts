import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import type { Webhook, WebhookDelivery, WebhookPatch } from '../ports/store.ts';
import { recommend } from '../recommendations/recommend.ts';
import { loadTree, type TreeParams } from './lookup.ts';
import { bearer, companyParams, paginationQuery } from './schemas.ts';
import { pageOut, pageQuery, wireTime } from './serializers.ts';

interface WebhookBody {
  url?: string;
  method?: 'post' | 'get';
  authorization?: Webhook['authorization'];
  authorization_key?: string | null;
  authorization_value?: string | null;
  enabled?: boolean;
  add_survey_answers?: unknown;
  merge_webhooks?: unknown;
}

const webhookFields = {
  url: { type: 'string', minLength: 8, maxLength: 2000, pattern: '^https?://\\S+$' },
  method: { type: 'string', enum: ['post', 'get'] },
  authorization: { type: 'string', enum: ['none', 'query', 'basic', 'bearer'] },
  authorization_key: { type: ['string', 'null'], maxLength: 200 },
  authorization_value: { type: ['string', 'null'], maxLength: 2000 },
  enabled: { type: 'boolean' },
  add_survey_answers: {},
  merge_webhooks: {},
} as const;

/** The webhook as answered; the secret key only at creation, authorization values never. */
const webhookOut = (w: Webhook) => ({
  id: w.id,
  dataset_id: w.datasetId,
  url: w.url,
  method: w.method,
  authorization: w.authorization,
  authorization_key: w.authorizationKey,
  authorization_value: w.authorizationValue ? '********' : null,
  enabled: w.enabled,
  creation_time: wireTime(w.creationTime),
});

const deliveryOut = (d: WebhookDelivery) => ({
  id: d.id,
  webhook_id: d.webhookId,
  image_id: d.imageId,
  application_id: d.applicationId,
  status: d.status,
  attempts: d.attempts,
  last_status_code: d.lastStatusCode,
  last_error: d.lastError,
  creation_time: wireTime(d.creationTime),
  updated_at: wireTime(d.updatedAt),
  delivered_at: d.deliveredAt && wireTime(d.deliveredAt),
});

function patchOf(body: WebhookBody): WebhookPatch {
  const patch: WebhookPatch = {};
  if (body.url !== undefined) {
    try {
      new URL(body.url);
    } catch {
      throw new ApiError('validation_error', 'url must be an http(s) URL', { url: body.url });
    }
    patch.url = body.url;
  }
  if (body.method !== undefined) patch.method = body.method;
  if (body.authorization !== undefined) patch.authorization = body.authorization;
  if (body.authorization_key !== undefined) patch.authorizationKey = body.authorization_key;
  if (body.authorization_value !== undefined) patch.authorizationValue = body.authorization_value;
  if (body.enabled !== undefined) patch.enabled = body.enabled;
  return patch;
}

/** `query` and `basic` need a key, every kind but `none` a value. */
function checkAuthorization(w: Pick<Webhook, 'authorization' | 'authorizationKey' | 'authorizationValue'>) {
  if ((w.authorization === 'query' || w.authorization === 'basic') && !w.authorizationKey) {
    throw new ApiError('validation_error', `authorization ${w.authorization} needs authorization_key`);
  }
  if (w.authorization !== 'none' && !w.authorizationValue) {
    throw new ApiError('validation_error', `authorization ${w.authorization} needs authorization_value`);
  }
}

type Params = TreeParams & { webhook_id: string };

/** Webhooks of a dataset (create, list, get, update, delete, delivery log) and an image's recommendations. */
export function webhooksRoutes(app: FastifyInstance, ctx: AppContext): void {
  const base = '/api/v1/companies/:company_id/datasets/:dataset_id/webhooks/';
  const one = `${base}:webhook_id/`;
  const tags = ['webhooks'];

  app.post<{ Params: TreeParams; Body: WebhookBody }>(
    base,
    {
      schema: {
        tags,
        summary:
          'Create a webhook: one signed call per application per processed image; answers the secret_key once',
        security: bearer,
        params: companyParams('dataset_id'),
        body: { type: 'object', required: ['url'], properties: webhookFields },
      },
    },
    async (request, reply) => {
      const { dataset } = await loadTree(ctx, request, request.params);
      const p = patchOf(request.body);
      const input = {
        companyId: dataset!.companyId,
        datasetId: dataset!.id,
        url: p.url!,
        method: p.method ?? 'post',
        authorization: p.authorization ?? 'none',
        authorizationKey: p.authorizationKey ?? null,
        authorizationValue: p.authorizationValue ?? null,
        enabled: p.enabled ?? true,
      };
      checkAuthorization(input);
      const webhook = await ctx.webhooks.create(input);
      reply.status(201);
      return { ...webhookOut(webhook), secret_key: webhook.secretKey };
    },
  );

  app.get<{ Params: TreeParams }>(
    base,
    {
      schema: {
        tags,
        summary: "The dataset's webhooks",
        security: bearer,
        params: companyParams('dataset_id'),
      },
    },
    async (request) => {
      const { dataset } = await loadTree(ctx, request, request.params);
      const results = (await ctx.store.webhooks.list(dataset!.companyId, dataset!.id)).map(webhookOut);
      return { count: results.length, next: null, previous: null, results };
    },
  );

  const load = async (request: Parameters<typeof loadTree>[1], params: Params) => {
    const { dataset } = await loadTree(ctx, request, params);
    const webhook = await ctx.store.webhooks.get(dataset!.companyId, dataset!.id, params.webhook_id);
    if (!webhook) throw notFound('webhook');
    return webhook;
  };

  app.get<{ Params: Params }>(
    one,
    {
      schema: {
        tags,
        summary: 'A webhook',
        security: bearer,
        params: companyParams('dataset_id', 'webhook_id'),
      },
    },
    async (request) => webhookOut(await load(request, request.params)),
  );

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route<{ Params: Params; Body: WebhookBody }>({
      method,
      url: one,
      schema: {
        tags,
        summary: 'Update a webhook (url, method, authorization, enabled)',
        security: bearer,
        params: companyParams('dataset_id', 'webhook_id'),
        body: { type: 'object', properties: webhookFields },
      },
      handler: async (request) => {
        const webhook = await load(request, request.params);
        const patch = patchOf(request.body ?? {});
        if (Object.keys(patch).length === 0) throw new ApiError('validation_error', 'nothing to update');
        checkAuthorization({ ...webhook, ...patch });
        const updated = await ctx.store.webhooks.update(
          webhook.companyId,
          webhook.datasetId,
          webhook.id,
          patch,
        );
        if (!updated) throw notFound('webhook');
        return webhookOut(updated);
      },
    });
  }

  app.delete<{ Params: Params }>(
    one,
    {
      schema: {
        tags,
        summary: 'Delete a webhook and its delivery log',
        security: bearer,
        params: companyParams('dataset_id', 'webhook_id'),
      },
    },
    async (request, reply) => {
      const webhook = await load(request, request.params);
      await ctx.store.webhooks.delete(webhook.companyId, webhook.datasetId, webhook.id);
      reply.status(204).send();
    },
  );

  app.get<{ Params: Params; Querystring: { page?: number; page_size?: number } }>(
    `${one}deliveries/`,
    {
      schema: {
        tags,
        summary: 'The delivery log: one entry per call owed (status, attempts, last status code and error)',
        security: bearer,
        params: companyParams('dataset_id', 'webhook_id'),
        querystring: paginationQuery,
      },
    },
    async (request) => {
      const webhook = await load(request, request.params);
      const q = pageQuery(request.query);
      return pageOut(
        request,
        q,
        await ctx.store.webhooks.listDeliveries(webhook.companyId, webhook.id, q),
        deliveryOut,
      );
    },
  );

  app.get<{ Params: TreeParams }>(
    '/api/v1/companies/:company_id/datasets/:dataset_id/subjects/:subject_id/batches/:batch_id/images/:image_id/recommendations/',
    {
      schema: {
        tags: ['results'],
        summary:
          'Concern tags from the scores and recommended product categories (table: recommendations/concerns.json)',
        security: bearer,
        params: companyParams('dataset_id', 'subject_id', 'batch_id', 'image_id'),
      },
    },
    async (request) => {
      const tree = await loadTree(ctx, request, request.params);
      return recommend(ctx.concerns, await ctx.store.images.listResults(tree.companyId!, tree.image!.id));
    },
  );
}
