import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIRST_LOGIN_FILE } from '../main.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
/** How long a start may take before the child is killed and the start fails. */
const START_TIMEOUT_MS = 180_000;

/** A server started as its own process (`node src/main.ts`), so a test can kill it with SIGKILL. */
export interface ChildServer {
  process: ChildProcess;
  address: string;
  output: string;
}

/**
 * Starts the server on `dataDir` (port 0, one engine worker, 2 s job leases) and resolves with its address
 * once it listens (and, when `first`, once it printed the first-start login). `env` adds variables.
 */
export function startChildServer(
  dataDir: string,
  first: boolean,
  env: Record<string, string> = {},
): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SKINSCOPE_DATA_DIR: dataDir,
      SKINSCOPE_WORKERS: '1',
      SKINSCOPE_JOB_LEASE_SECONDS: '2',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    // Generous: on a loaded 2-core machine loading the engine's models alone can take a minute.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${START_TIMEOUT_MS / 1000} s:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const address = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (address && (!first || /First start/.test(output))) {
        clearTimeout(timer);
        resolve({ process: child, address, output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

/** The first-start admin password, from the 0600 login file the server writes in its data folder. */
export function firstLoginPassword(dataDir: string): string {
  const text = readFileSync(join(dataDir, FIRST_LOGIN_FILE), 'utf8');
  const password = /password: (\S+)/.exec(text)?.[1];
  if (!password) throw new Error(`no password in ${FIRST_LOGIN_FILE}`);
  return password;
}
