import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { childrenOf } from './process-tree.ts';
import { needsArenaLimit } from './serve-process.js';

const CLI = fileURLToPath(new URL('./skinscope.js', import.meta.url));

/** The environment a running process was started with (/proc). */
function environOf(pid: number): Map<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return new Map(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

/** Whether a process runs (a zombie, dead but not yet reaped, does not). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

const kill = (pid: number | undefined) => {
  if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGKILL');
};

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `skinscope serve` (role api: no engine) on a temporary data folder. */
function startServe(env: Record<string, string | undefined>) {
  const dir = mkdtempSync(join(tmpdir(), 'skinscope-serve-'));
  const { MALLOC_ARENA_MAX: _, ...rest } = process.env;
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--role', 'api', '--port', '0'], {
    env: { ...rest, SKINSCOPE_DATA_DIR: dir, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** Stops whatever still runs (launcher and server) and removes the data folder. */
  const cleanup = (server?: number) => {
    kill(server);
    kill(child.pid);
    rmSync(dir, { recursive: true, force: true });
  };
  return { child, exit, cleanup };
}

/** `startServe`, resolved once it listens (within 60 s). */
async function serve(env: Record<string, string | undefined>) {
  const started = startServe(env);
  let out = '';
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not listen within 60 s: ${out}`)), 60_000);
    started.child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    started.child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  }).catch((error) => {
    started.cleanup();
    throw error;
  });
  return { ...started, address };
}

describe('skinscope serve limits glibc malloc arenas', () => {
  it('re-starts only on Linux and only when MALLOC_ARENA_MAX is not set', () => {
    assert.equal(needsArenaLimit({}, 'linux'), true);
    assert.equal(needsArenaLimit({ MALLOC_ARENA_MAX: '4' }, 'linux'), false);
    assert.equal(needsArenaLimit({ MALLOC_ARENA_MAX: '' }, 'linux'), false);
    assert.equal(needsArenaLimit({}, 'darwin'), false);
  });

  it('serves from a child started with MALLOC_ARENA_MAX=2, which stops with it on SIGTERM', async () => {
    const s = await serve({});
    const [server] = childrenOf(s.child.pid!);
    try {
      assert.ok(server, 'the launcher has a server child');
      const environ = environOf(server);
      assert.equal(environ.get('MALLOC_ARENA_MAX'), '2');
      assert.equal((await fetch(`${s.address}/api/swagger/`)).status, 200);
      s.child.kill('SIGTERM');
      assert.equal(await s.exit, 0, 'the server closed cleanly and the launcher passed its code on');
      await until(() => !alive(server), 'the server to stop');
    } finally {
      s.cleanup(server);
    }
  });

  it('the server stops by itself when its launcher is killed', async () => {
    const s = await serve({});
    const [server] = childrenOf(s.child.pid!);
    try {
      assert.ok(server);
      s.child.kill('SIGKILL');
      await s.exit;
      await until(() => !alive(server), 'the orphaned server to stop');
    } finally {
      s.cleanup(server);
    }
  });

  it('the server stops by itself when its launcher dies while it is still starting', async () => {
    const s = startServe({});
    let server: number | undefined;
    try {
      await until(() => childrenOf(s.child.pid!).length > 0, 'the server child');
      const pid = childrenOf(s.child.pid!)[0]!;
      server = pid;
      s.child.kill('SIGKILL');
      await s.exit;
      await until(() => !alive(pid), 'the orphaned server to stop');
    } finally {
      s.cleanup(server);
    }
  });

  it('keeps a MALLOC_ARENA_MAX already set and serves from its own process', async () => {
    const s = await serve({ MALLOC_ARENA_MAX: '4' });
    try {
      assert.deepEqual(childrenOf(s.child.pid!), []);
      assert.equal(environOf(s.child.pid!).get('MALLOC_ARENA_MAX'), '4');
      assert.equal((await fetch(`${s.address}/api/swagger/`)).status, 200);
      s.child.kill('SIGTERM');
      assert.equal(await s.exit, 0);
    } finally {
      s.cleanup();
    }
  });
});
