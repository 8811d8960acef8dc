import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { ailabRoutes } from './ailab/ailab.routes.ts';
import { apiKeysRoutes } from './ailab/api-keys.routes.ts';
import { tokenSigner } from './auth/tokens.ts';
import type { AppContext, AppDeps } from './context.ts';
import { installErrorHandler } from './errors.ts';
import { masksRoutes } from './masks/masks.routes.ts';
import { reportRoutes } from './reports/report.routes.ts';
import { applicationsRoutes } from './routes/applications.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { datasetsRoutes } from './routes/datasets.routes.ts';
import { dictsRoutes } from './routes/dicts.routes.ts';
import { imagesRoutes } from './routes/images.routes.ts';
import { resultsRoutes } from './routes/results.routes.ts';
import { subjectsRoutes } from './routes/subjects.routes.ts';
import { v3Routes } from './routes/v3.routes.ts';

const DEFAULT_MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** Builds the HTTP API over its ports. Never listens: `main.ts` (or a test) does. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const maxImageBytes = deps.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  const now = deps.now ?? Date.now;
  const ctx: AppContext = {
    store: deps.store,
    blobs: deps.blobs,
    queue: deps.queue,
    analyzer: deps.analyzer,
    signer: tokenSigner(deps.secret, now),
    now,
    publicUrl: deps.publicUrl,
    maxImageBytes,
    loginRateLimit: deps.loginRateLimit ?? 10,
    onJobQueued: deps.onJobQueued ?? (() => {}),
  };
  const app = Fastify({
    logger: deps.logLevel ? { level: deps.logLevel } : false,
    // base64 grows the image by 4/3; allow that plus room for the other fields.
    bodyLimit: Math.ceil((maxImageBytes * 4) / 3) + 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: { allErrors: true, removeAdditional: false } },
  });
  installErrorHandler(app);
  app.addContentTypeParser(
    ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: maxImageBytes },
    (_request, body, done) => done(null, body),
  );
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: maxImageBytes, files: 1, fields: 20 },
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `too many requests: at most ${context.max} per ${context.after}`,
    }),
  });
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
  ailabRoutes(app, ctx);
  apiKeysRoutes(app, ctx);
  masksRoutes(app, ctx);
  reportRoutes(app, ctx);
  return app;
}
