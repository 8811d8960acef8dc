import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { ACCESS_TOKEN_SECONDS, REFRESH_TOKEN_SECONDS } from './tokens.ts';

/** The login and refresh answer, under every name clients read. */
export interface TokenPairOut {
  access_token: string;
  token_access: string;
  refresh_token: string;
  token_refresh: string;
  token_type: 'Bearer';
  expires_in: number;
  company_id: string;
  id: string;
  user_id: string;
}

async function issue(
  ctx: AppContext,
  userId: string,
  companyId: string,
  familyId: string,
): Promise<TokenPairOut> {
  const expiresAt = new Date(ctx.now() + REFRESH_TOKEN_SECONDS * 1000).toISOString();
  const jti = await ctx.store.sessions.createRefreshToken({ familyId, expiresAt });
  const access = ctx.signer.sign(
    { sub: userId, cid: companyId, typ: 'access', fam: familyId },
    ACCESS_TOKEN_SECONDS,
  );
  const refresh = ctx.signer.sign(
    { sub: userId, cid: companyId, typ: 'refresh', fam: familyId, jti },
    REFRESH_TOKEN_SECONDS,
  );
  return {
    access_token: access,
    token_access: access,
    refresh_token: refresh,
    token_refresh: refresh,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_SECONDS,
    company_id: companyId,
    id: userId,
    user_id: userId,
  };
}

/** A login: a new token family with its first access and refresh tokens. */
export async function startSession(ctx: AppContext, user: { id: string; companyId: string }) {
  const familyId = await ctx.store.sessions.createFamily({ userId: user.id, companyId: user.companyId });
  return issue(ctx, user.id, user.companyId, familyId);
}

/**
 * Refresh-token rotation: a refresh token is exchanged once for a new access and refresh token of the
 * same family. A refresh token presented a second time means a copy exists: the whole family is
 * revoked (every access and refresh token of that login stops working) and the answer is 401.
 */
export async function refreshSession(ctx: AppContext, token: string): Promise<TokenPairOut> {
  const claims = ctx.signer.verify(token, 'refresh');
  if (claims === 'expired') throw new ApiError('token_expired', 'refresh token expired: log in again');
  if (claims === 'invalid') throw new ApiError('invalid_token', 'invalid refresh token');
  const use = await ctx.store.sessions.useRefreshToken(claims.jti!);
  if (!use || use.familyId !== claims.fam) throw new ApiError('invalid_token', 'unknown refresh token');
  if (!use.firstUse) {
    await ctx.store.sessions.revokeFamily(use.familyId);
    throw new ApiError('token_revoked', 'refresh token already used: this login is revoked, log in again');
  }
  if (!(await ctx.store.sessions.isFamilyActive(use.familyId)))
    throw new ApiError('token_revoked', 'this login was revoked: log in again');
  const user = await ctx.store.accounts.getUser(claims.sub);
  if (!user) throw new ApiError('invalid_token', 'user no longer exists');
  return issue(ctx, user.id, user.companyId, use.familyId);
}
