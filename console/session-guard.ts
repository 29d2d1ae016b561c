/**
 * The console's door: a session cookie (HttpOnly, SameSite=Strict, Secure behind https) and a
 * CSRF token that every state-changing request must echo in a header. SameSite alone would stop
 * most cross-site posts; the token also covers old browsers and same-site subdomains.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Clock } from '../core/ports.ts';
import type { OperatorAccounts, OperatorSession } from '../db/operator-accounts.ts';

export const SESSION_COOKIE = 'komek_console';
export const CSRF_HEADER = 'x-csrf-token';

export type ConsoleEnv = { Variables: { session: OperatorSession; sessionToken: string } };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface GuardOptions {
  accounts: OperatorAccounts;
  clock: Clock;
  /** Set the cookie's Secure flag (the console is served over https). */
  secure: boolean;
}

/** Creates the cookie helpers and the middleware that refuses requests without a session or CSRF token. */
export function createSessionGuard(opts: GuardOptions) {
  function setSessionCookie(c: Context, token: string, expiresAt: Date): void {
    setCookie(c, SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'Strict',
      secure: opts.secure,
      expires: expiresAt,
    });
  }

  function clearSessionCookie(c: Context): void {
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: opts.secure, httpOnly: true, sameSite: 'Strict' });
  }

  /** 401 without a live session; 403 on a state-changing request without the session's CSRF token. */
  function requireSession(kind: 'api' | 'page'): MiddlewareHandler<ConsoleEnv> {
    return async function sessionGuard(c, next) {
      const token = getCookie(c, SESSION_COOKIE);
      const session = token ? await opts.accounts.session(token, opts.clock.now()) : undefined;
      if (!token || !session) {
        if (token) clearSessionCookie(c);
        return kind === 'page' ? c.html(LOGIN_REDIRECT, 401) : c.json({ error: 'sign in first', code: 'unauthenticated' }, 401);
      }
      if (!SAFE_METHODS.has(c.req.method) && !sameToken(c.req.header(CSRF_HEADER), session.csrfToken)) {
        return c.json({ error: 'missing or wrong CSRF token', code: 'csrf' }, 403);
      }
      c.set('session', session);
      c.set('sessionToken', token);
      await next();
    };
  }

  /** 403 unless the signed-in operator is an admin; runs after {@link requireSession}. */
  const requireAdmin: MiddlewareHandler<ConsoleEnv> = async function adminGuard(c, next) {
    if (c.get('session').operator.role !== 'admin') return c.json({ error: 'admins only', code: 'forbidden' }, 403);
    await next();
  };

  return { setSessionCookie, clearSessionCookie, requireSession, requireAdmin };
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

// A 401 page that still lands a person on the login form (the status tells scripts the truth).
const LOGIN_REDIRECT = `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=/console/login"><title>Kömek</title><a href="/console/login">Sign in</a>`;
