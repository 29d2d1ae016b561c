/**
 * One process at a time in an embedded database's folder. PGlite is Postgres compiled into the
 * process: it has no server that serialises writers, so two processes opening one data folder
 * write over each other's pages and can damage the data for good — and a change made by the
 * second (an account added from the command line) is never seen by the first, which keeps its
 * own copy in memory. The holder's pid, host and start time are kept in `komek.lock` inside the
 * folder; a lock whose process is gone (killed, crashed, the machine restarted) is stale and is
 * taken over.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'komek.lock';

/** Who holds a data folder. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  /** Distinguishes this holder's file from a later one with a reused pid. */
  token: string;
}

export interface DataFolderLock {
  dir: string;
  holder: LockHolder;
  /** Removes the lock file if it is still this process's; idempotent. */
  release(): Promise<void>;
}

/** Refusal to open a data folder that another live process holds. */
export class DataFolderLockedError extends Error {
  override name = 'DataFolderLockedError';
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(describeRefusal(dir, holder));
  }
}

// Folders this process holds: a second open inside one process is as harmful as one from another
// process, and the pid check below cannot see it (the pid is ours).
const heldHere = new Set<string>();

/**
 * Takes the lock of `dir` (which must exist) or throws {@link DataFolderLockedError}. The file is
 * written under a temporary name and linked into place, so nobody ever reads a half-written lock.
 */
export async function lockDataFolder(dir: string): Promise<DataFolderLock> {
  const absolute = path.resolve(dir);
  const file = path.join(absolute, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), token: randomBytes(12).toString('hex') };
  if (heldHere.has(absolute)) throw new DataFolderLockedError(absolute, holder);
  const staging = `${file}.${holder.token}`;
  await writeFile(staging, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(staging, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new DataFolderLockedError(absolute, (await readHolder(file)) ?? holder);
          throw err;
        }
        const current = await readHolder(file);
        if (current && isAlive(current)) throw new DataFolderLockedError(absolute, current);
        // Stale (or unreadable: a file this code never writes half-way): take it over, once.
        await unlink(file).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
      }
    }
  } finally {
    await unlink(staging).catch(() => {});
  }
  heldHere.add(absolute);
  // A process that exits without closing (a second Ctrl+C, process.exit) still leaves no lock.
  const onExit = () => removeIfOurs(file, holder.token);
  process.once('exit', onExit);
  let released = false;
  return {
    dir: absolute,
    holder,
    async release() {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      removeIfOurs(file, holder.token);
      heldHere.delete(absolute);
    },
  };
}

/** The live holder of `dir`'s lock, or undefined when the folder is free (or its lock stale). */
export async function dataFolderHolder(dir: string): Promise<LockHolder | undefined> {
  const holder = await readHolder(path.join(path.resolve(dir), LOCK_FILE));
  return holder && isAlive(holder) ? holder : undefined;
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return { pid: parsed.pid, host: parsed.host, since: String(parsed.since ?? ''), token: String(parsed.token ?? '') };
  } catch {
    return undefined;
  }
}

/**
 * Whether the holder may still be running. A lock from another machine (a folder on a network
 * share) cannot be checked from here and counts as alive. Our own pid in a file this process did
 * not write is a previous life of a container that restarts with the same pid: stale.
 */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeIfOurs(file: string, token: string): void {
  try {
    if ((JSON.parse(readFileSync(file, 'utf8')) as LockHolder).token === token) unlinkSync(file);
  } catch {
    // Already gone, or not ours: nothing to remove.
  }
}

function describeRefusal(dir: string, holder: LockHolder): string {
  const who = holder.host === hostname() ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
  return [
    `the embedded database in ${dir} is in use by another Kömek ${who}${holder.since ? ` (since ${holder.since})` : ''}.`,
    'Two processes must never open one embedded database at once: it would damage the data.',
    'Stop that process (Ctrl+C where `komek start` runs) and run this command again;',
    '`komek operator` commands work while `komek start` runs, through the running server.',
    `To run several processes at once, use a Postgres server (DATABASE_URL). If no Kömek runs${holder.host === hostname() ? '' : ` on ${holder.host}`}, delete ${path.join(dir, LOCK_FILE)}.`,
  ].join('\n');
}
