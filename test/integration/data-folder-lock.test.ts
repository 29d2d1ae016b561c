/**
 * One embedded database folder, one process: a second process (a `komek` command, another holder)
 * is refused with a message naming the folder and the holder, while the holder keeps working; a
 * holder killed with SIGKILL leaves a stale lock the next process takes over.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../db/client.ts';
import { DataFolderLockedError, LOCK_FILE } from '../../db/data-folder-lock.ts';

const BIN = fileURLToPath(new URL('../../bin/komek.js', import.meta.url));
const HOLDER = fileURLToPath(new URL('../helpers/pglite-holder.ts', import.meta.url));

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end();
  });
}

/** Starts a holder; resolves once it printed its first line. */
function holder(dir: string): Promise<{ child: ChildProcessWithoutNullStreams; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ child, line: out.split('\n')[0]! });
    });
    child.on('exit', (code) => reject(new Error(`holder exited ${code} before a line: ${err}`)));
  });
}

const exited = (child: ChildProcessWithoutNullStreams) => new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code))));

describe('embedded database folder lock', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'komek-lock-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('refuses a second process while one holds the folder, and names folder and holder', async () => {
    const dir = path.join(root, 'two');
    const first = await holder(dir);
    assert.equal(first.line, 'open');
    try {
      const second = await holder(dir).catch((e: Error) => ({ child: undefined, line: e.message }));
      assert.match(second.line, /^refused: /);
      assert.ok(second.line.includes(dir), second.line);
      assert.ok(second.line.includes(`process ${first.child.pid}`), second.line);

      const cli = await run([BIN, 'kb', 'export'], { KOMEK_DATA_DIR: dir });
      assert.equal(cli.code, 75, cli.stderr);
      assert.ok(cli.stderr.includes(`the embedded database in ${dir} is in use by another Kömek process ${first.child.pid}`), cli.stderr);
      assert.match(cli.stderr, /Stop that process/);
      assert.equal(cli.stdout, '');
    } finally {
      first.child.stdin.end();
      assert.equal(await exited(first.child), 0);
    }
    assert.equal(existsSync(path.join(dir, LOCK_FILE)), false, 'a closed holder leaves no lock');
    const free = await run([BIN, 'kb', 'export'], { KOMEK_DATA_DIR: dir });
    assert.equal(free.code, 0, free.stderr);
  });

  it('takes over the lock of a holder that was killed', async () => {
    const dir = path.join(root, 'killed');
    const first = await holder(dir);
    assert.equal(first.line, 'open');
    const lock = JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number };
    assert.equal(lock.pid, first.child.pid);
    first.child.kill('SIGKILL');
    await exited(first.child);
    assert.equal(existsSync(path.join(dir, LOCK_FILE)), true, 'SIGKILL leaves the file behind');

    const next = await run([BIN, 'kb', 'export'], { KOMEK_DATA_DIR: dir });
    assert.equal(next.code, 0, next.stderr);
    assert.equal(existsSync(path.join(dir, LOCK_FILE)), false, 'the stale lock was taken over and released');
  });

  it('refuses a second open inside one process too, and opens again once closed', async () => {
    const dir = path.join(root, 'same-process');
    const db = await openDatabase({ kind: 'pglite', dataDir: dir });
    await assert.rejects(openDatabase({ kind: 'pglite', dataDir: dir }), DataFolderLockedError);
    await db.close();
    const again = await openDatabase({ kind: 'pglite', dataDir: dir });
    await again.close();
  });
});
