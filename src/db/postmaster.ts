import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The PostgreSQL server running on a data folder, found the way PostgreSQL itself finds it: the
 * first line of `postmaster.pid` in the folder is the server's PID. The process table confirms that
 * this PID is still a postgres on that folder (a stale file may name a PID reused since).
 *
 * Cursus records beside it which process started the server (`cursus-owner.pid`), so that a server
 * whose starter was killed (SIGKILL, out of memory: the server is re-parented to init) can be told
 * from one a live Cursus still runs.
 */

interface ProcessInfo {
  ppid: number;
  zombie: boolean;
  args: string[];
}

const ownerFile = (dir: string) => join(dir, 'cursus-owner.pid');

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** What the process table says of `pid`; undefined when there is no such process. */
function processInfo(pid: number): ProcessInfo | undefined {
  if (existsSync('/proc/self/stat')) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // "pid (command) state ppid …": the command may hold spaces and parentheses.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      return { ppid: Number(ppid), zombie: state === 'Z', args };
    } catch {
      return undefined;
    }
  }
  try {
    const line = execFileSync('ps', ['-o', 'ppid=,state=,command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    const [, ppid, state, command] = /^(\d+)\s+(\S+)\s*(.*)$/.exec(line) ?? [];
    return ppid ? { ppid: Number(ppid), zombie: state.startsWith('Z'), args: command.split(' ') } : undefined;
  } catch {
    return undefined;
  }
}

function sameDir(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}

/** A live (not zombie) postgres server process started with `-D dir`. */
function isServerOn(info: ProcessInfo | undefined, dir: string): info is ProcessInfo {
  if (!info || info.zombie || !/(^|\/)postgres$/.test(info.args[0] ?? '')) return false;
  const d = info.args.indexOf('-D');
  return d > 0 && d + 1 < info.args.length && sameDir(info.args[d + 1], dir);
}

export interface RunningServer {
  pid: number;
  /** Its parent is no longer the program that started it: nobody will stop it. */
  orphaned: boolean;
  /** The process that started it, when it is still its parent. */
  owner?: number;
}

/** The server running on `dir`, or undefined (none, or a stale lock file: PostgreSQL deals with those itself). */
export function runningServer(dir: string): RunningServer | undefined {
  const pid = readPid(join(dir, 'postmaster.pid'));
  const info = pid ? processInfo(pid) : undefined;
  if (!pid || !isServerOn(info, dir)) return undefined;
  const owner = readPid(ownerFile(dir));
  if (owner !== undefined) return info.ppid === owner ? { pid, orphaned: false, owner } : { pid, orphaned: true };
  // Started before owner files existed: a server is orphaned when its parent is no longer a node process.
  const parent = processInfo(info.ppid);
  const byNode = /(^|\/)(node|nodejs|tsx)$/.test(parent?.args[0] ?? '');
  return byNode ? { pid, orphaned: false, owner: info.ppid } : { pid, orphaned: true };
}

/** Records that this process started the server on `dir`. */
export function recordOwner(dir: string): void {
  writeFileSync(ownerFile(dir), `${process.pid}\n`);
}

export function clearOwner(dir: string): void {
  rmSync(ownerFile(dir), { force: true });
}

/**
 * Stops the server `pid` on `dir` and waits until it has exited: a fast shutdown (SIGINT: sessions
 * are ended, a checkpoint is written), then an immediate one (SIGQUIT: the next start replays the
 * WAL) if it takes over a minute. Throws when it cannot be stopped (another user's process).
 */
export async function stopServer(pid: number, dir: string): Promise<void> {
  for (const [signal, waitMs] of [['SIGINT', 60_000], ['SIGQUIT', 10_000]] as const) {
    if (!isServerOn(processInfo(pid), dir)) return;
    try {
      process.kill(pid, signal);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ESRCH') return;
      throw new Error(`the server left running, PID ${pid}, could not be stopped: ${code}`);
    }
    for (const deadline = Date.now() + waitMs; Date.now() < deadline; ) {
      if (!isServerOn(processInfo(pid), dir)) return;
      await new Promise((done) => setTimeout(done, 50));
    }
  }
  throw new Error(`the server left running, PID ${pid}, did not stop`);
}
