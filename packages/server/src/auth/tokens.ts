import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a signed access or refresh token carries. */
export interface TokenClaims {
  /** User id. */
  sub: string;
  /** Company id. */
  cid: string;
  typ: 'access' | 'refresh';
  /** Token family (login session) the token belongs to; revoking it ends every token of the login. */
  fam: string;
  /** Refresh tokens: the single-use id of this refresh token. */
  jti?: string;
  /** Issued at / expires at, seconds since the epoch. */
  iat: number;
  exp: number;
}

/** Access tokens live one hour (as Haut's); refresh tokens 30 days. */
export const ACCESS_TOKEN_SECONDS = 3600;
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 3600;
/** Prefix of private tokens, so they are told apart from signed tokens without a lookup. */
export const PRIVATE_TOKEN_PREFIX = 'sks_';

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/** Signs and checks HS256 JWTs and URL signatures with one secret. */
export interface TokenSigner {
  sign(claims: Omit<TokenClaims, 'iat' | 'exp'>, lifetimeSeconds: number): string;
  /** The claims, `'expired'` or `'invalid'`. */
  verify(token: string, typ: TokenClaims['typ']): TokenClaims | 'expired' | 'invalid';
  /** HMAC of a string, for signed URLs. */
  mac(value: string): string;
}

export function tokenSigner(secret: string, nowMs: () => number): TokenSigner {
  const hmac = (value: string) => createHmac('sha256', secret).update(value).digest('base64url');
  return {
    sign(claims, lifetimeSeconds) {
      const iat = Math.floor(nowMs() / 1000);
      const body = b64(JSON.stringify({ ...claims, iat, exp: iat + lifetimeSeconds }));
      return `${HEADER}.${body}.${hmac(`${HEADER}.${body}`)}`;
    },
    verify(token, typ) {
      const [header, body, signature] = token.split('.');
      if (!header || !body || !signature || header !== HEADER) return 'invalid';
      const expected = Buffer.from(hmac(`${header}.${body}`));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
      let claims: TokenClaims;
      try {
        claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
      } catch {
        return 'invalid';
      }
      if (
        claims.typ !== typ ||
        typeof claims.sub !== 'string' ||
        typeof claims.cid !== 'string' ||
        typeof claims.fam !== 'string' ||
        (typ === 'refresh' && typeof claims.jti !== 'string') ||
        typeof claims.exp !== 'number'
      )
        return 'invalid';
      if (claims.exp * 1000 <= nowMs()) return 'expired';
      return claims;
    },
    mac: hmac,
  };
}

/** A new private token secret (shown once) and the hash that is stored. */
export function newPrivateToken(): { secret: string; hash: string } {
  const secret = PRIVATE_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { secret, hash: hashPrivateToken(secret) };
}

export function hashPrivateToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
