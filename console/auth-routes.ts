/**
 * Signing in and out. Login is the one console request allowed without a session; it is
 * throttled per username and address, and answers the same for an unknown user and a wrong
 * password so accounts cannot be discovered.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { Clock, Logger } from '../core/ports.ts';
import type { OperatorAccounts } from '../db/operator-accounts.ts';
import type { ClientAddressResolver } from './client-address.ts';
import type { ConsoleContext, ConsoleRoute } from './context.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { publicOperator } from './operator-routes.ts';
import type { ConsoleEnv, createSessionGuard } from './session-guard.ts';

const LoginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });

export interface AuthDeps {
  accounts: OperatorAccounts;
  audit: ConsoleContext['audit'];
  throttle: LoginThrottle;
  guard: ReturnType<typeof createSessionGuard>;
  clock: Clock;
  logger: Logger;
  sessionTtlMs: number;
  /** The client's address from the socket and X-Forwarded-For (see client-address.ts). */
  clientAddress: ClientAddressResolver;
}

/** Registers POST /api/login, which needs no session. */
export function mountLogin(app: Hono<ConsoleEnv>, deps: AuthDeps): void {
  app.post('/api/login', async function login(c) {
    // A JSON content type cannot be sent cross-site without a preflight, which this server never
    // grants: that is the login form's CSRF protection (there is no session to bind a token to yet).
    if (!c.req.header('content-type')?.toLowerCase().startsWith('application/json')) {
      return c.json({ error: 'send JSON', code: 'invalid' }, 415);
    }
    const parsed = LoginBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'username and password are required', code: 'invalid' }, 400);
    const username = parsed.data.username.trim().toLowerCase();
    const ip = deps.clientAddress(socketAddress(c), c.req.header('x-forwarded-for'));
    // Counted before the password is checked, so parallel guesses all count. A throttle that
    // cannot reach the database rejects: the request ends in the error boundary's 500 before
    // any password is checked.
    const wait = await deps.throttle.attempt(username, ip);
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return c.json({ error: 'too many attempts; try again later', code: 'throttled', retryAfterSeconds: Math.ceil(wait / 1000) }, 429);
    }
    const account = await deps.accounts.authenticate(username, parsed.data.password);
    if (!account) {
      deps.logger.warn({ username, ip }, 'console login failed');
      return c.json({ error: 'wrong username or password', code: 'unauthenticated' }, 401);
    }
    await deps.throttle.succeeded(username, ip);
    const session = await deps.accounts.openSession(account.id, deps.sessionTtlMs, deps.clock.now());
    deps.guard.setSessionCookie(c, session.token, session.expiresAt);
    await deps.audit.record({ operatorId: account.id, action: 'login', details: { ip } });
    return c.json({ operator: publicOperator(account), csrfToken: session.csrfToken, expiresAt: session.expiresAt });
  });
}

/** POST /api/logout: ends the session (guarded like every other route). */
export function logoutRoute(deps: AuthDeps): ConsoleRoute {
  return {
    method: 'POST',
    path: '/api/logout',
    handler: async (c) => {
      await deps.accounts.closeSession(c.get('sessionToken'));
      await deps.audit.record({ operatorId: c.get('session').operator.id, action: 'logout' });
      deps.guard.clearSessionCookie(c);
      return c.json({ ok: true });
    },
  };
}

/** The socket's peer (Node's server puts the request's `incoming` into the context's env). */
function socketAddress(c: Context): string | undefined {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}
