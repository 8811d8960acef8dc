import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** Who holds a job: `<machine>/<pid>/<process start ms>/<random>`, and which holders are dead. */
export interface WorkerIdentity {
  /** The `lockedBy` of the jobs this processor claims. */
  id: string;
  /**
   * True when `lockedBy` is a processor of this machine that is known to be dead: another process
   * whose pid no longer exists, or an earlier process that had this process's pid (a restarted
   * container). A holder on another machine, or one that may be alive, is left to its lease.
   */
  isOwnDead(lockedBy: string): boolean;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function workerIdentity(
  machine: string = hostname(),
  pid: number = process.pid,
  started: number = Math.round(performance.timeOrigin),
): WorkerIdentity {
  const id = `${machine}/${pid}/${started}/${randomUUID().slice(0, 8)}`;
  return {
    id,
    isOwnDead(lockedBy) {
      const parts = lockedBy.split('/');
      if (parts.length < 4) return false;
      parts.pop();
      const theirStart = Number(parts.pop());
      const theirPid = Number(parts.pop());
      if (parts.join('/') !== machine || !Number.isInteger(theirPid) || theirPid <= 0) return false;
      if (theirPid === pid) return theirStart !== started;
      return !pidAlive(theirPid);
    },
  };
}
