import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { resolveApiKey } from '../auth/api-keys.ts';
import type { AppContext } from '../context.ts';
import { type AilabVariant, parseAilabFields, runAilabAnalysis } from './ailab.service.ts';
import { errorEnvelope, newIds, successEnvelope } from './ailab-envelope.ts';
import { AilabError } from './ailab-errors.ts';

const PATHS: Record<AilabVariant, string> = {
  advanced: '/api/portrait/analysis/skin-analysis-advanced',
  basic: '/api/portrait/analysis/skin-analysis',
};

/** Maps anything thrown on an AILab route to an AILab error (never the `{code, message}` envelope). */
function toAilabError(error: unknown): AilabError {
  if (error instanceof AilabError) return error;
  const fe = error as Partial<FastifyError>;
  if (fe.code === 'FST_REQ_FILE_TOO_LARGE' || fe.statusCode === 413)
    return new AilabError('ERROR_IMAGE_FILE_SIZE', fe.message ?? 'image too large');
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500)
    return new AilabError('ERROR_INVALID_PARAMETER', fe.message ?? 'bad request');
  return new AilabError('PROCESSING_FAILURE', 'internal error');
}

function sendError(reply: FastifyReply, ids: ReturnType<typeof newIds>, error: unknown): FastifyReply {
  const ailab = toAilabError(error);
  if (ailab.status >= 500 && ailab.code === 'PROCESSING_FAILURE')
    reply.log.error({ err: error }, 'AILab call failed');
  return reply.status(ailab.status).send(errorEnvelope(ids, ailab));
}

/**
 * The AILabTools-compatible endpoints (multipart `image` + options, header `ailabapi-api-key`), in
 * their own scope so every error, even a multipart parse error, answers in the AILab envelope.
 */
export function ailabRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.register(async (scope) => {
    scope.setErrorHandler((error, _request, reply) => sendError(reply, newIds(), error));
    for (const variant of ['advanced', 'basic'] as const) {
      scope.post(
        PATHS[variant],
        {
          schema: {
            tags: ['AILab'],
            summary:
              variant === 'advanced'
                ? 'AILabTools "skin analyze advanced" (multipart: image, face_quality_control, return_rect_confidence, return_maps=red_area)'
                : 'AILabTools "skin analyze" (multipart: image)',
            description:
              'Header `ailabapi-api-key` (create one with `skinscope admin create-api-key`). Analysed synchronously; nothing is stored.',
          },
        },
        async (request, reply) => {
          const ids = newIds();
          try {
            const header = request.headers['ailabapi-api-key'];
            const auth = await resolveApiKey(
              ctx.store,
              typeof header === 'string' ? header : undefined,
              ctx.now(),
            );
            if (auth === 'missing')
              throw new AilabError('ERROR_API_KEY_INVALID', 'missing ailabapi-api-key header');
            if (auth === 'unknown')
              throw new AilabError('ERROR_API_KEY_INVALID', 'unknown or deleted API key');
            if (auth === 'expired') throw new AilabError('ERROR_API_KEY_INVALID', 'API key expired');
            const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<
              string,
              unknown
            >;
            const options = parseAilabFields(body);
            const image = Buffer.isBuffer(body.image) ? new Uint8Array(body.image) : undefined;
            const out = await runAilabAnalysis(ctx.analyzer, variant, { image, ...options });
            return reply.status(200).send({ ...successEnvelope(ids), ...out });
          } catch (error) {
            return sendError(reply, ids, error);
          }
        },
      );
    }
  });
}
