import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DependencyUnavailableError, guardOutages } from '../ports/dependency-error.ts';
import type { Store } from '../ports/store.ts';
import type { Database } from './db-schema.ts';
import { kyselyStore } from './kysely.store.ts';
import { migrateToLatest } from './migrations.ts';

/** Connections of one process's pool (`SKINSCOPE_DATABASE_POOL`). */
export const DEFAULT_POOL_SIZE = 10;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * True for errors meaning PostgreSQL cannot be reached or is shutting down (connection refused or cut,
 * pool time-out, SQLSTATE class 08 and 57P0x), as opposed to an error of the statement itself.
 */
export function isPostgresOutage(error: unknown): boolean {
  if (error instanceof DependencyUnavailableError) return true;
  const e = error as { code?: unknown; message?: unknown; errors?: unknown[] };
  const code = typeof e?.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || code.startsWith('08') || /^57P0[1-3]$/.test(code)) return true;
  if (Array.isArray(e?.errors) && e.errors.some(isPostgresOutage)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is closed/i.test(
    message,
  );
}

/**
 * Opens a PostgreSQL database (`postgres://user:pass@host:port/db`) through a connection pool and
 * migrates it to the latest schema (several processes may start at once: Kysely's migrator takes an
 * advisory lock). Same Kysely query layer and migrations as SQLite.
 */
export async function openPostgresDatabase(
  url: string,
  poolSize = DEFAULT_POOL_SIZE,
): Promise<Kysely<Database>> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection cut by a server restart is reported here; the pool drops it and opens a new one.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db as unknown as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

/** The Store on PostgreSQL; an unreachable database is a `DependencyUnavailableError` (503). */
export function postgresStore(db: Kysely<Database>): Store {
  return guardOutages(kyselyStore(db), 'database', isPostgresOutage);
}
