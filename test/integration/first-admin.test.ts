/**
 * The first administrator of an embedded deployment, as a deployer meets it: `komek start` on a
 * fresh folder prints a one-time setup link; the link's page creates the admin and signs them in;
 * `komek operator add|list` work while the server runs (through it: the server holds the
 * database), and the running server sees the new account at once. A start with an account prints
 * no link.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ADMIN_FILE } from '../../app/local-admin.ts';
import { LOCK_FILE } from '../../db/data-folder-lock.ts';
import { tinyEncoderOnnx, wordPieceTokenizerJson, writeModelFolder } from '../unit/pretrained-fixtures.ts';

const BIN = fileURLToPath(new URL('../../bin/komek.js', import.meta.url));
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'a', 'b'];

function komek(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

interface Server {
  child: ChildProcessWithoutNullStreams;
  url: string;
  /** Everything printed to stdout so far. */
  out(): string;
  stop(): Promise<number | null>;
}

/** `komek start` on a free port; resolves once it printed its address. */
function start(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'start'], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', PORT: '0', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      // The setup link, when there is one, comes in the same write as the address.
      const url = /Kömek is running at (http:\/\/\S+) .*\n/.exec(out)?.[1];
      if (url) {
        resolve({
          child,
          url,
          out: () => out,
          stop: () => {
            child.kill('SIGTERM');
            return new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code))));
          },
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`komek start exited ${code}: ${err}`)));
  });
}

async function login(url: string, username: string, password: string): Promise<number> {
  const res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  await res.body?.cancel();
  return res.status;
}

function setupToken(out: string): string {
  const token = /\/console\/setup\?token=([A-Za-z0-9_-]+)/.exec(out)?.[1];
  assert.ok(token, `no setup link in:\n${out}`);
  return token;
}

const setup = (url: string, body: Record<string, string>) =>
  fetch(`${url}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('first administrator on the embedded default', () => {
  let root: string;
  let env: Record<string, string>;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'komek-first-admin-'));
    // A tiny pretrained encoder: the server answers nothing here, and training would only cost time.
    const model = await writeModelFolder(path.join(root, 'model'), {
      onnx: tinyEncoderOnnx({ embeddings: VOCAB.map((_, i) => [i, 1, i % 3]) }),
      tokenizer: wordPieceTokenizerJson(VOCAB),
    });
    env = { KOMEK_DEMO_KB: 'false', EMBEDDING_MODEL_DIR: model };
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('`komek operator add` while the server runs reaches the running server', async () => {
    const dir = path.join(root, 'cli');
    const server = await start({ ...env, KOMEK_DATA_DIR: dir });
    try {
      assert.match(server.out(), /No console account exists yet/);
      const token = setupToken(server.out());
      const announced = await stat(path.join(dir, ADMIN_FILE));
      assert.equal(announced.mode & 0o077, 0, 'the admin token file is readable by its owner only');

      const added = await komek(['operator', 'add', 'alice', '--role', 'admin', '--name', 'Alice A.'], { ...env, KOMEK_DATA_DIR: dir }, 'correct horse battery\n');
      assert.equal(added.code, 0, added.stderr);
      assert.match(added.stdout, new RegExp(`added admin alice \\(Alice A\\.\\) in the running Kömek \\(process ${server.child.pid}\\)`));
      // The running process sees the account at once: no restart, no second copy of the database.
      assert.equal(await login(server.url, 'alice', 'correct horse battery'), 200);

      const listed = await komek(['operator', 'list'], { ...env, KOMEK_DATA_DIR: dir });
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /^alice\tadmin\tactive\tAlice A\.$/m);
      const duplicate = await komek(['operator', 'add', 'alice'], { ...env, KOMEK_DATA_DIR: dir }, 'another password\n');
      assert.equal(duplicate.code, 1);
      assert.match(duplicate.stderr, /operator "alice" already exists/);
      const disabled = await komek(['operator', 'disable', 'alice'], { ...env, KOMEK_DATA_DIR: dir });
      assert.equal(disabled.code, 0, disabled.stderr);
      assert.equal(await login(server.url, 'alice', 'correct horse battery'), 401);
      await komek(['operator', 'enable', 'alice'], { ...env, KOMEK_DATA_DIR: dir });

      // With an account made, the printed link no longer creates one.
      const late = await setup(server.url, { token, username: 'mallory', password: 'mallory-password' });
      assert.equal(late.status, 409);
      // Other commands are refused, not run on a second copy.
      const other = await komek(['kb', 'export'], { ...env, KOMEK_DATA_DIR: dir });
      assert.equal(other.code, 75);
      assert.ok(other.stderr.includes(dir), other.stderr);
    } finally {
      assert.equal(await server.stop(), 0);
    }
    assert.equal(existsSync(path.join(dir, ADMIN_FILE)), false);
    assert.equal(existsSync(path.join(dir, LOCK_FILE)), false);

    // Stopped: the command opens the database itself.
    const offline = await komek(['operator', 'list'], { ...env, KOMEK_DATA_DIR: dir });
    assert.equal(offline.code, 0, offline.stderr);
    assert.match(offline.stdout, /^alice\tadmin/m);
    const again = await start({ ...env, KOMEK_DATA_DIR: dir });
    try {
      assert.doesNotMatch(again.out(), /setup\?token=|No console account/);
      assert.equal(await login(again.url, 'alice', 'correct horse battery'), 200);
    } finally {
      await again.stop();
    }
  });

  it('the printed setup link creates the first admin once and signs them in', async () => {
    const dir = path.join(root, 'link');
    const server = await start({ ...env, KOMEK_DATA_DIR: dir });
    try {
      const token = setupToken(server.out());
      const page = await fetch(`${server.url}/console/setup?token=${token}`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /setup\.js/);

      const forged = await setup(server.url, { token: `${token}x`, username: 'eve', password: 'eve-password-1' });
      assert.equal(forged.status, 403);
      const short = await setup(server.url, { token, username: 'root', password: 'short' });
      assert.equal(short.status, 400);

      const made = await setup(server.url, { token, username: 'Root', displayName: 'Head of unit', password: 'a long enough password' });
      assert.equal(made.status, 201);
      const body = (await made.json()) as { operator: { username: string; role: string }; csrfToken: string };
      assert.deepEqual([body.operator.username, body.operator.role], ['root', 'admin']);
      const cookie = made.headers.get('set-cookie')?.split(';')[0];
      assert.ok(cookie);
      const consolePage = await fetch(`${server.url}/console`, { headers: { cookie }, redirect: 'manual' });
      assert.equal(consolePage.status, 200, 'signed in by the setup page');

      const reused = await setup(server.url, { token, username: 'second', password: 'another long password' });
      assert.equal(reused.status, 403, 'the link works once');
      assert.equal(await login(server.url, 'root', 'a long enough password'), 200);
    } finally {
      await server.stop();
    }
  });
});
