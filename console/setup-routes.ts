/**
 * The first administrator of a fresh deployment. With no account at all nobody can sign in, and
 * asking a new deployer to find a second terminal and the right command before they have seen the
 * console is where many stop. So a process that starts with no account prints a one-time link
 * (`/console/setup?token=…`); its page creates the first admin and signs them in. The token lives
 * only in this process's memory and the terminal it printed to, works once, and the page refuses
 * as soon as any account exists, however it was made.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { ConsoleContext } from './context.ts';
import type { AuthDeps } from './auth-routes.ts';
import { publicOperator } from './operator-routes.ts';
import type { ConsoleEnv } from './session-guard.ts';

const SetupBody = z.object({
  token: z.string().min(1).max(200),
  username: z.string().min(1).max(64),
  displayName: z.string().max(120).optional(),
  password: z.string().min(1).max(1024),
});

export interface FirstAdminSetup {
  /** The setup address under `baseUrl` when no account exists yet (a new token each call), else undefined. */
  link(baseUrl: string): Promise<string | undefined>;
}

/** Registers POST /api/setup, which needs no session but the printed token. */
export function mountSetup(app: Hono<ConsoleEnv>, deps: AuthDeps & Pick<ConsoleContext, 'audit'>): FirstAdminSetup {
  let expected: Buffer | undefined;
  const digest = (s: string) => createHash('sha256').update(s).digest();

  app.post('/api/setup', async function setup(c) {
    // As for login: a JSON body cannot come cross-site without a preflight this server never grants.
    if (!c.req.header('content-type')?.toLowerCase().startsWith('application/json')) return c.json({ error: 'send JSON', code: 'invalid' }, 415);
    const parsed = SetupBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'token, username and password are required', code: 'invalid' }, 400);
    if (!expected || !timingSafeEqual(digest(parsed.data.token), expected)) {
      return c.json({ error: 'this setup link is not valid (it works once, in the process that printed it)', code: 'forbidden' }, 403);
    }
    let account;
    try {
      account = await deps.accounts.addFirstAdmin({ username: parsed.data.username.trim().toLowerCase(), password: parsed.data.password, displayName: parsed.data.displayName });
    } catch (err) {
      return c.json({ error: (err as Error).message, code: 'invalid' }, 400);
    }
    expected = undefined;
    if (!account) return c.json({ error: 'an account already exists: sign in instead', code: 'conflict' }, 409);
    const session = await deps.accounts.openSession(account.id, deps.sessionTtlMs, deps.clock.now());
    deps.guard.setSessionCookie(c, session.token, session.expiresAt);
    await deps.audit.record({ operatorId: account.id, action: 'first-admin', target: account.username });
    deps.logger.info({ username: account.username }, 'first administrator created through the setup page');
    return c.json({ operator: publicOperator(account), csrfToken: session.csrfToken, expiresAt: session.expiresAt }, 201);
  });

  return {
    async link(baseUrl) {
      if (await deps.accounts.any()) return undefined;
      const token = randomBytes(24).toString('base64url');
      expected = digest(token);
      return `${baseUrl}/console/setup?token=${token}`;
    },
  };
}
