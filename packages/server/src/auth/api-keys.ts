import { randomBytes } from 'node:crypto';
import type { ApiKey, Store } from '../ports/store.ts';
import { hashPrivateToken } from './tokens.ts';

/** Prefix of AILab-compatible API keys (header `ailabapi-api-key`). */
export const API_KEY_PREFIX = 'ska_';

/** A new API key (shown once) and the SHA-256 hash that is stored, as for private tokens. */
export function newApiKey(): { key: string; hash: string } {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, hash: hashPrivateToken(key) };
}

/** Creates an API key for a company; resolves to the stored record and the key itself (shown once). */
export async function createApiKey(
  store: Store,
  input: { companyId: string; name: string; expirationTime?: string | null },
): Promise<{ key: string; record: ApiKey }> {
  const { key, hash } = newApiKey();
  const record = await store.apiKeys.create({
    companyId: input.companyId,
    name: input.name,
    keyHash: hash,
    expirationTime: input.expirationTime ?? null,
  });
  return { key, record };
}

/** Why a key was refused: absent, unknown (or deleted), or past its expiration time. */
export type ApiKeyRefusal = 'missing' | 'unknown' | 'expired';

/** Resolves the company of an API key, or why it is refused. */
export async function resolveApiKey(
  store: Store,
  key: string | undefined,
  nowMs: number,
): Promise<{ companyId: string } | ApiKeyRefusal> {
  if (!key) return 'missing';
  const stored = await store.apiKeys.findByHash(hashPrivateToken(key));
  if (!stored) return 'unknown';
  if (stored.expirationTime && Date.parse(stored.expirationTime) <= nowMs) return 'expired';
  return { companyId: stored.companyId };
}
