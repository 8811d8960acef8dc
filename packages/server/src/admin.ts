/** The light entry point of `skinscope admin`: accounts in the data folder, without HTTP or the engine. */
import { openDataDir } from './data-dir.ts';
import type { Store } from './ports/store.ts';

export { AccountError, createCompany, createCompanyApiKey, createUser } from './accounts.service.ts';
export { type DataDir, openDataDir } from './data-dir.ts';

/**
 * The Store the server is configured with, for account commands: PostgreSQL when
 * `SKINSCOPE_DATABASE_URL` is set, else SQLite in `SKINSCOPE_DATA_DIR` (default `./.skinscope/data`).
 */
export async function openAdminStore(
  env: Record<string, string | undefined> = process.env,
): Promise<{ store: Store; close(): Promise<void> }> {
  if (env.SKINSCOPE_DATABASE_URL) {
    const { openPostgresDatabase, postgresStore } = await import('./store/postgres.store.ts');
    const store = postgresStore(await openPostgresDatabase(env.SKINSCOPE_DATABASE_URL, 2));
    return { store, close: () => store.close() };
  }
  return openDataDir(env.SKINSCOPE_DATA_DIR || './.skinscope/data');
}
