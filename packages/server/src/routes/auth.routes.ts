import type { FastifyInstance } from 'fastify';
import { authenticate } from '../auth/authenticate.ts';
import { verifyPassword } from '../auth/password.ts';
import { refreshSession, startSession } from '../auth/sessions.ts';
import { newPrivateToken } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import { parseDateTime } from '../http/dates.ts';
import type { PrivateToken } from '../ports/store.ts';
import { bearer, errorSchema, idParam, paged, paginationQuery } from './schemas.ts';
import { pageOut, pageQuery, wireTime } from './serializers.ts';

const loginBody = {
  type: 'object',
  required: ['username', 'password'],
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 320 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
} as const;

const tokenPair = {
  type: 'object',
  properties: {
    access_token: { type: 'string' },
    token_access: { type: 'string' },
    refresh_token: { type: 'string' },
    token_refresh: { type: 'string' },
    token_type: { type: 'string' },
    expires_in: { type: 'integer' },
    company_id: { type: 'string' },
    id: { type: 'string' },
    user_id: { type: 'string' },
  },
} as const;

const privateTokenOut = (t: PrivateToken, secret?: string) => ({
  id: t.id,
  name: t.name,
  expiration_time: t.expirationTime,
  creation_time: wireTime(t.creationTime),
  ...(secret ? { data: secret } : {}),
});

/** Login, refresh and private tokens (`/api/v1/login/`, `/api/v1/auth/...`). */
export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  // One limit per account and client address, shared by every login URL.
  const loginLimit = app.createRateLimit({
    max: ctx.loginRateLimit,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const body = request.body as { username?: unknown } | undefined;
      const username = typeof body?.username === 'string' ? body.username.trim().toLowerCase() : '';
      return `login|${request.ip}|${username}`;
    },
  });

  for (const url of ['/api/v1/login/', '/api/v1/auth/login/']) {
    app.post<{ Body: { username: string; password: string } }>(
      url,
      {
        schema: {
          tags: ['auth'],
          summary: 'Log in with username (email) and password; the access token lives one hour',
          description: `At most ${ctx.loginRateLimit} attempts a minute per account and client address (all login URLs together).`,
          body: loginBody,
          response: { 200: tokenPair, 400: errorSchema, 401: errorSchema, 429: errorSchema },
        },
      },
      async (request, reply) => {
        const limit = await loginLimit(request);
        if (!limit.isAllowed && limit.isExceeded) {
          reply.header('retry-after', String(limit.ttlInSeconds));
          throw new ApiError('rate_limited', `too many login attempts: at most ${limit.max} a minute`, {
            retry_after_seconds: limit.ttlInSeconds,
          });
        }
        const user = await ctx.store.accounts.findUserByUsername(request.body.username.trim().toLowerCase());
        const ok = user ? await verifyPassword(request.body.password, user.passwordHash) : false;
        if (!user || !ok) throw new ApiError('invalid_credentials', 'wrong username or password');
        return startSession(ctx, user);
      },
    );
  }

  for (const url of ['/api/v1/auth/refresh/', '/api/v1/refresh/']) {
    app.post<{ Body: { refresh_token?: string; refresh?: string } }>(
      url,
      {
        schema: {
          tags: ['auth'],
          summary: 'Exchange a refresh token (once) for a new access and refresh token',
          description:
            'Refresh tokens rotate: each is used once. Presenting a used one again revokes that login (every token of it).',
          body: {
            type: 'object',
            properties: {
              refresh_token: { type: 'string', minLength: 1, maxLength: 4096 },
              refresh: { type: 'string', minLength: 1, maxLength: 4096 },
            },
          },
          response: { 200: tokenPair, 400: errorSchema, 401: errorSchema },
        },
        config: { rateLimit: { max: ctx.loginRateLimit * 6, timeWindow: '1 minute' } },
      },
      async (request) => {
        const token = request.body.refresh_token ?? request.body.refresh;
        if (!token)
          throw new ApiError('validation_error', 'body.refresh_token is required', {
            field: 'body.refresh_token',
          });
        return refreshSession(ctx, token);
      },
    );
  }

  app.post<{ Body: { name: string; expiration_time?: string | null } }>(
    '/api/v1/auth/private_tokens/',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a private (API) token; its secret is in `data`, shown only in this answer',
        security: bearer,
        body: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            expiration_time: { type: ['string', 'null'], maxLength: 64 },
          },
        },
      },
    },
    async (request, reply) => {
      const principal = await authenticate(ctx, request);
      const raw = request.body.expiration_time ?? null;
      const expiration = raw === null ? null : parseDateTime(raw, 'body.expiration_time');
      if (expiration !== null && expiration <= ctx.now()) {
        throw new ApiError('validation_error', 'body.expiration_time must be in the future', {
          field: 'body.expiration_time',
        });
      }
      const { secret, hash } = newPrivateToken();
      const token = await ctx.store.accounts.createPrivateToken({
        userId: principal.userId,
        companyId: principal.companyId,
        name: request.body.name,
        tokenHash: hash,
        expirationTime: expiration === null ? null : new Date(expiration).toISOString(),
      });
      reply.status(201);
      return privateTokenOut(token, secret);
    },
  );

  app.get<{ Querystring: { page?: number; page_size?: number } }>(
    '/api/v1/auth/private_tokens/',
    {
      schema: {
        tags: ['auth'],
        summary: 'List your private tokens (without their secrets)',
        security: bearer,
        querystring: paginationQuery,
        response: {
          200: paged({
            type: 'object',
            properties: {
              id: { type: 'string' },
              name: { type: 'string' },
              expiration_time: { type: ['string', 'null'] },
              creation_time: { type: 'string' },
            },
          }),
        },
      },
    },
    async (request) => {
      const principal = await authenticate(ctx, request);
      const q = pageQuery(request.query);
      const page = await ctx.store.accounts.listPrivateTokens(principal.userId, q);
      return pageOut(request, q, page, (t) => privateTokenOut(t));
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/auth/private_tokens/:id/',
    {
      schema: {
        tags: ['auth'],
        summary: 'Delete a private token',
        security: bearer,
        params: { type: 'object', properties: { id: idParam } },
      },
    },
    async (request, reply) => {
      const principal = await authenticate(ctx, request);
      if (!(await ctx.store.accounts.deletePrivateToken(principal.userId, request.params.id))) {
        throw notFound('private token');
      }
      reply.status(204).send();
    },
  );
}
