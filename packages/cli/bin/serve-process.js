// `skinscope serve` in a process with glibc's malloc arenas limited. Each thread that allocates under
// contention (the engine threads, libvips's and libuv's pools) can get an arena of its own, up to
// 8 per core, and freed memory stays in them: with 2 engine threads a limit of 2 arenas keeps about
// 150 MiB less resident for the same work. glibc reads MALLOC_ARENA_MAX once, when a process starts,
// so `serve` starts itself again with it set. A value already in the environment (any, including
// an empty one) is kept as it is and nothing is re-started; so is any platform other than Linux.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The variable that tells a re-started `serve` its launcher's pid. */
const PARENT_VARIABLE = 'SKINSCOPE_SERVE_PARENT';

/** Arenas allowed to a `serve` process when the environment does not say otherwise. */
export const SERVE_MALLOC_ARENA_MAX = '2';

/** Whether this `serve` should run in a re-started process with MALLOC_ARENA_MAX set. */
export function needsArenaLimit(env = process.env, platform = process.platform) {
  return platform === 'linux' && env.MALLOC_ARENA_MAX === undefined;
}

/**
 * Runs `skinscope serve <args>` as a child process with MALLOC_ARENA_MAX set and waits for it.
 * The first SIGINT, SIGTERM or SIGHUP is passed on as SIGTERM (a terminal's Ctrl-C also reaches the
 * child itself, which stops on either). The child stops by itself when this process dies (its IPC
 * channel closes). Resolves to the child's exit code (128 + signal number if it was killed).
 */
export function serveWithArenaLimit(args) {
  const entry = fileURLToPath(new URL('./skinscope.js', import.meta.url));
  const execArgv = process.execArgv.filter((arg) => !/^--inspect/.test(arg));
  const child = spawn(process.execPath, [...execArgv, entry, 'serve', ...args], {
    env: { ...process.env, MALLOC_ARENA_MAX: SERVE_MALLOC_ARENA_MAX, [PARENT_VARIABLE]: String(process.pid) },
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  let forwarded = false;
  const forward = () => {
    if (!forwarded) child.kill('SIGTERM');
    forwarded = true;
  };
  for (const signal of signals) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}

/**
 * In the re-started child: stop like on SIGTERM when the launcher is gone, at once if it died
 * before this point, else when its IPC channel closes. The launcher's pid is removed from the
 * environment so that processes the server starts do not inherit it.
 */
export function followParent() {
  const parent = process.env[PARENT_VARIABLE];
  if (parent === undefined) return;
  delete process.env[PARENT_VARIABLE];
  if (!process.connected || process.ppid !== Number(parent)) {
    process.kill(process.pid, 'SIGTERM');
    return;
  }
  process.channel?.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
