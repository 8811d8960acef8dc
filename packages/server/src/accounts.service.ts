import { createApiKey as storeApiKey } from './auth/api-keys.ts';
import { hashPassword } from './auth/password.ts';
import type { ApiKey, Company, Store, User } from './ports/store.ts';

const EMAILISH = /^[^\s@]+(@[^\s@]+)?$/;

/** Why an account could not be created, worded for a person at a terminal. */
export class AccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountError';
  }
}

export async function createCompany(store: Store, name: string): Promise<Company> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 255) throw new AccountError('company name must be 1-255 characters');
  return store.accounts.createCompany(trimmed);
}

/** Creates a user (username lower-cased, password hashed with scrypt); passwords need 8+ characters. */
export async function createUser(
  store: Store,
  input: { companyId: string; username: string; password: string },
): Promise<User> {
  const username = input.username.trim().toLowerCase();
  if (!EMAILISH.test(username) || username.length > 320)
    throw new AccountError('username must be an email or a name without spaces');
  if (input.password.length < 8) throw new AccountError('password must have at least 8 characters');
  if (!(await store.accounts.getCompany(input.companyId)))
    throw new AccountError(`no company with id ${input.companyId}`);
  if (await store.accounts.findUserByUsername(username))
    throw new AccountError(`user ${username} already exists`);
  return store.accounts.createUser({
    companyId: input.companyId,
    username,
    passwordHash: await hashPassword(input.password),
  });
}

/** Creates an AILab-compatible API key of a company; the key is returned once and only its hash is kept. */
export async function createCompanyApiKey(
  store: Store,
  input: { companyId: string; name?: string },
): Promise<{ key: string; record: ApiKey }> {
  if (!(await store.accounts.getCompany(input.companyId)))
    throw new AccountError(`no company with id ${input.companyId}`);
  const name = (input.name ?? 'api key').trim();
  if (!name || name.length > 255) throw new AccountError('key name must be 1-255 characters');
  return storeApiKey(store, { companyId: input.companyId, name });
}
