import type { FastifyRequest } from 'fastify';
import { signPath } from '../auth/signed-links.ts';
import type { AppContext } from '../context.ts';

/** Base URL of links handed to clients: the configured public URL, else the request's own host. */
export function baseUrl(ctx: AppContext, request: FastifyRequest): string {
  return ctx.publicUrl ?? `${request.protocol}://${request.host}`;
}

/** A signed, expiring link to `path`: `?expires=<unix s>&signature=<HMAC(path:expires)>`. */
export function signedLink(ctx: AppContext, request: FastifyRequest, path: string, seconds: number): string {
  return `${baseUrl(ctx, request)}${signPath(ctx.signer, ctx.now(), path, seconds)}`;
}

/** True when `expires`/`signature` sign `path` and have not expired. */
export function checkSignature(ctx: AppContext, path: string, expires: unknown, signature: unknown): boolean {
  if (typeof expires !== 'string' || typeof signature !== 'string' || !/^\d+$/.test(expires)) return false;
  if (Number(expires) * 1000 <= ctx.now()) return false;
  return ctx.signer.mac(`${path}:${expires}`) === signature;
}
