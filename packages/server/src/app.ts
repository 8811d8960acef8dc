import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { ailabRoutes } from './ailab/ailab.routes.ts';
import { apiKeysRoutes } from './ailab/api-keys.routes.ts';
import { tokenSigner } from './auth/tokens.ts';
import type { AppContext, AppDeps } from './context.ts';
import { createDeletionService } from './deletion/deletion.service.ts';
import { ApiError, clientErrorHandler, frameworkErrorHandler, installErrorHandler } from './errors.ts';
import { installRequestParsing } from './http/request-parsing.ts';
import { maskRendersCleanup } from './masks/mask-render.service.ts';
import { masksRoutes } from './masks/masks.routes.ts';
import { createNotificationHub } from './notifications/hub.ts';
import { loadConcernTable } from './recommendations/recommend.ts';
import { reportRoutes } from './reports/report.routes.ts';
import { applicationsRoutes } from './routes/applications.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { datasetsRoutes } from './routes/datasets.routes.ts';
import { deletionRoutes } from './routes/deletion.routes.ts';
import { dictsRoutes } from './routes/dicts.routes.ts';
import { historyRoutes } from './routes/history.routes.ts';
import { imagesRoutes } from './routes/images.routes.ts';
import { notificationsRoutes } from './routes/notifications.routes.ts';
import { resultsRoutes } from './routes/results.routes.ts';
import { subjectsRoutes } from './routes/subjects.routes.ts';
import { v3Routes } from './routes/v3.routes.ts';
import { webhooksRoutes } from './routes/webhooks.routes.ts';
import { serveWebApp } from './web/web-app.ts';
import { createWebhookService } from './webhooks/webhook.service.ts';

const DEFAULT_MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
/** Largest request head (request line and headers); larger answers 431. */
const MAX_HEADER_BYTES = 16 * 1024;

/** Builds the HTTP API over its ports. Never listens: `main.ts` (or a test) does. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const maxImageBytes = deps.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  const now = deps.now ?? Date.now;
  const signer = tokenSigner(deps.secret, now);
  const concerns = deps.concerns ?? loadConcernTable();
  const ctx: AppContext = {
    store: deps.store,
    blobs: deps.blobs,
    queue: deps.queue,
    analyzer: deps.analyzer,
    signer,
    now,
    publicUrl: deps.publicUrl,
    maxImageBytes,
    loginRateLimit: deps.loginRateLimit ?? 10,
    onJobQueued: deps.onJobQueued ?? (() => {}),
    deletion:
      deps.deletion ??
      createDeletionService({
        store: deps.store,
        blobs: deps.blobs,
        cleanups: deps.imageCleanups ?? [maskRendersCleanup(deps.store)],
      }),
    notifier: deps.notifier ?? createNotificationHub(),
    webhooks:
      deps.webhooks ??
      createWebhookService({
        store: deps.store,
        queue: deps.queue,
        signer,
        now,
        publicUrl: () => deps.publicUrl,
        retryBaseMs: 10_000,
        concerns,
      }),
    concerns,
  };
  const requestTimeout = deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = Fastify({
    logger: deps.logLevel ? { level: deps.logLevel } : false,
    // base64 grows the image by 4/3; allow that plus room for the other fields.
    bodyLimit: Math.ceil((maxImageBytes * 4) / 3) + 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // A request (head and body) must arrive within the timeout, else 408 and the connection is cut.
    requestTimeout,
    http: {
      headersTimeout: Math.min(requestTimeout, 60_000),
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(requestTimeout / 4))),
      maxHeaderSize: MAX_HEADER_BYTES,
    },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  });
  installErrorHandler(app);
  app.addContentTypeParser(
    ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: maxImageBytes },
    (_request, body, done) => done(null, body),
  );
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: maxImageBytes, files: 1, fields: 20 },
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new ApiError('rate_limited', `too many requests: at most ${context.max} per ${context.after}`, {
        retry_after_seconds: Math.ceil(context.ttl / 1000),
      }),
  });
  installRequestParsing(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Skinscope API',
        description:
          'Self-hosted skin analysis. Wire-compatible with the Haut.AI SaaS API v1 (and the v3 upload flow).',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/swagger' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/health', { schema: { hide: true } }, async () => ({
    status: 'ok',
    pending_jobs: await ctx.queue.pending(),
  }));

  authRoutes(app, ctx);
  dictsRoutes(app, ctx);
  datasetsRoutes(app, ctx);
  applicationsRoutes(app, ctx);
  subjectsRoutes(app, ctx);
  imagesRoutes(app, ctx);
  resultsRoutes(app, ctx);
  v3Routes(app, ctx);
  deletionRoutes(app, ctx);
  historyRoutes(app, ctx);
  webhooksRoutes(app, ctx);
  notificationsRoutes(app, ctx);
  ailabRoutes(app, ctx);
  apiKeysRoutes(app, ctx);
  masksRoutes(app, ctx);
  reportRoutes(app, ctx);
  if (deps.webDir) await serveWebApp(app, deps.webDir);
  return app;
}
