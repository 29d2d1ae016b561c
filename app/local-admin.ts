/**
 * Account administration of a running embedded deployment. A `komek start` on the embedded
 * database holds its data folder alone (db/data-folder-lock.ts), so `komek operator add` from
 * another terminal cannot open the database itself; it asks the running process instead, over a
 * listener of its own on 127.0.0.1 (never on the public port, which a proxy may expose) that
 * answers only requests bearing the token in `komek-admin.json` — a file in the data folder only
 * its owner can read, so only whoever may read the database may use it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Logger } from '../core/ports.ts';
import type { OperatorAccount, OperatorAccounts } from '../db/operator-accounts.ts';
import { listen, type RunningServer } from './http.ts';

export const ADMIN_FILE = 'komek-admin.json';

/** What `komek operator` needs of the accounts, whether local or in the running process. */
export type OperatorDirectory = Pick<OperatorAccounts, 'add' | 'list' | 'setPassword' | 'setDisabled'>;

interface AdminFile {
  pid: number;
  url: string;
  token: string;
}

export interface LocalAdmin {
  url: string;
  /** Stops the listener and removes the file; idempotent. */
  close(): Promise<void>;
}

const AddBody = z.object({ username: z.string(), password: z.string(), role: z.enum(['operator', 'admin']), displayName: z.string().optional() }).strict();
const PasswordBody = z.object({ password: z.string() }).strict();
const DisabledBody = z.object({ disabled: z.boolean() }).strict();

/** Starts the listener for `accounts` and announces it in `dataDir`. */
export async function startLocalAdmin(deps: { dataDir: string; accounts: OperatorAccounts; logger: Logger }): Promise<LocalAdmin> {
  const token = randomBytes(32).toString('base64url');
  const app = adminApp(deps.accounts, token, deps.logger.child({ component: 'local-admin' }));
  const server: RunningServer = await listen(app, 0, '127.0.0.1');
  const file = path.join(deps.dataDir, ADMIN_FILE);
  const staging = `${file}.${process.pid}`;
  // Written whole under another name and renamed: a reader never sees half a token.
  await writeFile(staging, JSON.stringify({ pid: process.pid, url: server.url, token } satisfies AdminFile), { mode: 0o600 });
  await rename(staging, file);
  let closed: Promise<void> | undefined;
  return {
    url: server.url,
    close: () =>
      (closed ??= (async () => {
        await server.close();
        const current = await readAdminFile(deps.dataDir).catch(() => undefined);
        if (current?.token === token) await unlink(file).catch(() => {});
      })()),
  };
}

function adminApp(accounts: OperatorAccounts, token: string, logger: Logger): Hono {
  const expected = createHash('sha256').update(token).digest();
  const app = new Hono();
  app.onError(function adminError(err, c) {
    logger.error({ err: { message: err.message, name: err.name }, path: c.req.path }, 'local admin request failed');
    return c.json({ error: 'internal error' }, 500);
  });
  app.use(async function bearerToken(c, next) {
    const given = c.req.header('authorization')?.replace(/^Bearer /, '') ?? '';
    // Compared as hashes: equal lengths for timingSafeEqual, and no timing hint of the token.
    if (!timingSafeEqual(createHash('sha256').update(given).digest(), expected)) return c.json({ error: 'unauthorized' }, 401);
    await next();
  });
  app.get('/operators', async (c) => c.json({ operators: await accounts.list() }));
  app.post('/operators', async (c) => {
    const body = AddBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: 'username, password and role are required' }, 400);
    try {
      const operator = await accounts.add(body.data);
      logger.info({ username: operator.username, role: operator.role }, 'operator added from the command line');
      return c.json({ operator }, 201);
    } catch (err) {
      // The repository's refusals (a malformed name, a short password, a taken name) are the
      // same sentences the command prints when it runs on the database itself.
      return c.json({ error: (err as Error).message }, 400);
    }
  });
  app.post('/operators/:username/password', async (c) => {
    const body = PasswordBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: 'password is required' }, 400);
    try {
      return c.json({ found: await accounts.setPassword(c.req.param('username'), body.data.password) });
    } catch (err) {
      return c.json({ error: (err as Error).message }, 400);
    }
  });
  app.post('/operators/:username/disabled', async (c) => {
    const body = DisabledBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: 'disabled is required' }, 400);
    return c.json({ found: await accounts.setDisabled(c.req.param('username'), body.data.disabled) });
  });
  return app;
}

/** The running process's announcement in `dataDir`, or undefined when there is none. */
export async function readAdminFile(dataDir: string): Promise<AdminFile | undefined> {
  let raw: string;
  try {
    raw = await readFile(path.join(dataDir, ADMIN_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((err as NodeJS.ErrnoException).code === 'EACCES') {
      throw new Error(`cannot read ${path.join(dataDir, ADMIN_FILE)}: run this command as the user that runs \`komek start\``);
    }
    throw err;
  }
  const parsed = JSON.parse(raw) as Partial<AdminFile>;
  if (typeof parsed.pid !== 'number' || typeof parsed.url !== 'string' || typeof parsed.token !== 'string') return undefined;
  return { pid: parsed.pid, url: parsed.url, token: parsed.token };
}

/** The accounts of the process that announced itself in `file`, over its local listener. */
export function remoteOperatorDirectory(file: AdminFile): OperatorDirectory {
  async function call<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${file.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${file.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      throw new Error(`the running Kömek (process ${file.pid}) did not answer at ${file.url}: ${(err as Error).message}`);
    }
    const data = (await res.json().catch(() => ({}))) as T & { error?: string };
    if (!res.ok) throw new Error(data.error ?? `the running Kömek answered ${res.status}`);
    return data;
  }
  const path = (username: string, what: string) => `/operators/${encodeURIComponent(username)}/${what}`;
  return {
    async add(input) {
      return revive((await call<{ operator: OperatorAccount }>('POST', '/operators', input)).operator);
    },
    async list() {
      return (await call<{ operators: OperatorAccount[] }>('GET', '/operators')).operators.map(revive);
    },
    async setPassword(username, password) {
      return (await call<{ found: boolean }>('POST', path(username, 'password'), { password })).found;
    },
    async setDisabled(username, disabled) {
      return (await call<{ found: boolean }>('POST', path(username, 'disabled'), { disabled })).found;
    },
  };
}

function revive(o: OperatorAccount): OperatorAccount {
  return { ...o, createdAt: new Date(o.createdAt) };
}
