import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { needsArenaLimit } from './serve-process.js';

const CLI = fileURLToPath(new URL('./skinscope.js', import.meta.url));

/** Child process ids of a process (/proc). */
function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
    readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
}

/** The environment a running process was started with (/proc). */
function environOf(pid: number): Map<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return new Map(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `skinscope serve` (role api: no engine) on a temporary data folder; resolves once it listens. */
async function serve(env: Record<string, string | undefined>) {
  const dir = mkdtempSync(join(tmpdir(), 'skinscope-serve-'));
  const { MALLOC_ARENA_MAX: _, ...rest } = process.env;
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--role', 'api', '--port', '0'], {
    env: { ...rest, SKINSCOPE_DATA_DIR: dir, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  return { child, exit, address, cleanup };
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
    try {
      const [server] = childrenOf(s.child.pid!);
      assert.ok(server, 'the launcher has a server child');
      assert.equal(environOf(server).get('MALLOC_ARENA_MAX'), '2');
      assert.equal((await fetch(`${s.address}/api/swagger/`)).status, 200);
      s.child.kill('SIGTERM');
      assert.equal(await s.exit, 0, 'the server closed cleanly and the launcher passed its code on');
      assert.equal(alive(server), false);
    } finally {
      s.cleanup();
    }
  });

  it('the server stops by itself when its launcher is killed', async () => {
    const s = await serve({});
    try {
      const [server] = childrenOf(s.child.pid!);
      assert.ok(server);
      s.child.kill('SIGKILL');
      await s.exit;
      await until(() => !alive(server), 'the orphaned server to stop');
    } finally {
      s.cleanup();
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
