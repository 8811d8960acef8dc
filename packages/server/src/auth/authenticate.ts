import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { hashPrivateToken, PRIVATE_TOKEN_PREFIX } from './tokens.ts';

/** Who is calling: a user of one company, by a signed access token or a private token. */
export interface Principal {
  userId: string;
  companyId: string;
  via: 'access_token' | 'private_token';
}

/**
 * Where a request may carry its token besides the `Authorization` and `access-token` headers:
 * `query` (`?token=`) only for image downloads (links put in `<img src>`); `cookie` (the
 * `authorization` cookie) only for the WebSocket handshake, and never for a write (CSRF).
 */
export interface TokenSources {
  query?: boolean;
  cookie?: boolean;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The token of a request: `Authorization: Bearer <t>` (also the `Bearer: <t>` and bare forms real
 * clients send), the `access-token` header, and where `sources` allows, `?token=` or the cookie.
 */
export function requestToken(request: FastifyRequest, sources: TokenSources = {}): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.trim()) {
    const match = /^(?:bearer|token|jwt)\s*:?\s+(\S+)$/i.exec(header.trim());
    return match ? match[1] : header.trim();
  }
  const accessToken = request.headers['access-token'];
  if (typeof accessToken === 'string' && accessToken) return accessToken;
  const cookie = request.headers.cookie;
  if (sources.cookie && cookie && READS.has(request.method)) {
    const match = /(?:^|;\s*)authorization=([^;]+)/.exec(cookie);
    if (match?.[1]) {
      try {
        return decodeURIComponent(match[1]).replace(/^bearer\s+/i, '');
      } catch {
        return undefined;
      }
    }
  }
  const query = request.query as Record<string, unknown> | undefined;
  if (sources.query && query && typeof query.token === 'string' && query.token) return query.token;
  return undefined;
}

/**
 * Resolves the caller or throws 401 (`not_authenticated`, `token_expired`, `invalid_token`,
 * `token_revoked` when the access token's login was revoked).
 */
export async function authenticate(
  ctx: AppContext,
  request: FastifyRequest,
  sources: TokenSources = {},
): Promise<Principal> {
  const token = requestToken(request, sources);
  if (!token)
    throw new ApiError('not_authenticated', 'authentication required: send Authorization: Bearer <token>');
  if (token.length > 4096) throw new ApiError('invalid_token', 'invalid access token');
  if (token.startsWith(PRIVATE_TOKEN_PREFIX)) {
    const stored = await ctx.store.accounts.findPrivateTokenByHash(hashPrivateToken(token));
    if (!stored) throw new ApiError('invalid_token', 'unknown or deleted private token');
    if (stored.expirationTime && Date.parse(stored.expirationTime) <= ctx.now()) {
      throw new ApiError('token_expired', 'private token expired');
    }
    return { userId: stored.userId, companyId: stored.companyId, via: 'private_token' };
  }
  const claims = ctx.signer.verify(token, 'access');
  if (claims === 'expired')
    throw new ApiError('token_expired', 'access token expired: log in again or refresh it');
  if (claims === 'invalid') throw new ApiError('invalid_token', 'invalid access token');
  if (!(await ctx.store.sessions.isFamilyActive(claims.fam)))
    throw new ApiError('token_revoked', 'this login was revoked: log in again');
  return { userId: claims.sub, companyId: claims.cid, via: 'access_token' };
}

/** Authenticates and checks the path's company is the caller's; another company's id answers 404. */
export async function authorizeCompany(ctx: AppContext, request: FastifyRequest, companyId: string) {
  const principal = await authenticate(ctx, request);
  if (principal.companyId !== companyId) throw new ApiError('not_found', 'company not found');
  return principal;
}
