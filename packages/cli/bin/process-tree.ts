import { readdirSync, readFileSync } from 'node:fs';

/**
 * Child process ids of a process, from /proc (Linux): for the tests and benchmarks that look for the
 * server a `skinscope serve` launcher re-started under itself. None when the process is gone or
 * there is no /proc.
 */
export function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}
