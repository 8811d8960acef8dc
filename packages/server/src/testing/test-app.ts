import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { createCompany, createUser } from '../accounts.service.ts';
import { buildApp } from '../app.ts';
import type { AppDeps } from '../context.ts';
import { type DataDir, openDataDir } from '../data-dir.ts';
import { createValidatingAnalyzer } from '../engine.analyzer.ts';

/**
 * Route tests use the real engine's upload validation and algorithm list but run no analysis (no
 * processor runs in them): where the engine is irrelevant to what is tested.
 */
export const validatingOnlyAnalyzer = createValidatingAnalyzer;

export interface TestAccount {
  companyId: string;
  userId: string;
  username: string;
  password: string;
}

export interface TestApp {
  app: FastifyInstance;
  data: DataDir;
  dir: string;
  /** Two companies with one user each. */
  a: TestAccount;
  b: TestAccount;
  login(account: TestAccount): Promise<string>;
  /** Builds a second app over the same data (for example with another clock). */
  rebuild(overrides: Partial<AppDeps>): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export async function createTestApp(overrides: Partial<AppDeps> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'skinscope-test-'));
  const data = await openDataDir(dir);
  const account = async (name: string): Promise<TestAccount> => {
    const company = await createCompany(data.store, name);
    const username = `${name.toLowerCase()}@example.com`;
    const password = `${name}-password`;
    const user = await createUser(data.store, { companyId: company.id, username, password });
    return { companyId: company.id, userId: user.id, username, password };
  };
  const a = await account('Alpha');
  const b = await account('Beta');
  const deps: AppDeps = {
    store: data.store,
    blobs: data.blobs,
    queue: data.queue,
    analyzer: validatingOnlyAnalyzer(),
    secret: data.secret,
    loginRateLimit: 1000,
    ...overrides,
  };
  const app = await buildApp(deps);
  const extra: FastifyInstance[] = [];
  return {
    app,
    data,
    dir,
    a,
    b,
    async login(acc) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/login/',
        payload: { username: acc.username, password: acc.password },
      });
      if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
      return response.json().access_token as string;
    },
    async rebuild(more) {
      const other = await buildApp({ ...deps, ...more });
      extra.push(other);
      return other;
    },
    async close() {
      await app.close();
      for (const e of extra) await e.close();
      await data.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The shared real face photos (`../shared/faces/portraits` beside the repo; never copied into it).
 * `SKINSCOPE_FACES_DIR` names the faces folder (`../shared/faces`), as for the engine's tests.
 */
export const FACES_DIR = process.env.SKINSCOPE_FACES_DIR
  ? join(process.env.SKINSCOPE_FACES_DIR, 'portraits')
  : fileURLToPath(new URL('../../../../../shared/faces/portraits/', import.meta.url));
export const FACE_PHOTO = join(FACES_DIR, 'ageitgey__examples_biden.jpg');
