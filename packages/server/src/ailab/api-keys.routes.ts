import type { FastifyInstance } from 'fastify';
import { createApiKey } from '../auth/api-keys.ts';
import { authenticate } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import type { ApiKey } from '../ports/store.ts';
import { bearer, idParam } from '../routes/schemas.ts';

const keyOut = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  company_id: k.companyId,
  expiration_time: k.expirationTime,
  creation_time: k.creationTime,
});

/**
 * AILab-compatible API keys of the caller's company (header `ailabapi-api-key`), managed like
 * private tokens: `POST` shows the key once (in `key`), `GET` lists without keys, `DELETE` revokes.
 */
export function apiKeysRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: { name: string; expiration_time?: string | null } }>(
    '/api/v1/auth/api_keys/',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an AILab-compatible API key of your company; the key is in `key`, shown only here',
        security: bearer,
        body: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            expiration_time: { type: ['string', 'null'], format: 'date-time' },
          },
        },
      },
    },
    async (request, reply) => {
      const principal = await authenticate(ctx, request);
      const expiration = request.body.expiration_time ?? null;
      if (expiration !== null && Date.parse(expiration) <= ctx.now())
        throw new ApiError('validation_error', 'expiration_time must be in the future');
      const { key, record } = await createApiKey(ctx.store, {
        companyId: principal.companyId,
        name: request.body.name,
        expirationTime: expiration === null ? null : new Date(expiration).toISOString(),
      });
      reply.status(201);
      return { ...keyOut(record), key };
    },
  );

  app.get(
    '/api/v1/auth/api_keys/',
    {
      schema: {
        tags: ['auth'],
        summary: "List your company's API keys (without the keys)",
        security: bearer,
      },
    },
    async (request) => {
      const principal = await authenticate(ctx, request);
      return (await ctx.store.apiKeys.list(principal.companyId)).map(keyOut);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/auth/api_keys/:id/',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API key',
        security: bearer,
        params: { type: 'object', properties: { id: idParam } },
      },
    },
    async (request, reply) => {
      const principal = await authenticate(ctx, request);
      if (!(await ctx.store.apiKeys.delete(principal.companyId, request.params.id)))
        throw notFound('API key');
      reply.status(204).send();
    },
  );
}
