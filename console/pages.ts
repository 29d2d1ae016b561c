/**
 * The console's static UI: plain HTML, CSS and JavaScript modules from `console/static`, no build
 * step. The login page and the few assets it needs are public; everything else needs a session.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { ConsoleEnv } from './session-guard.ts';

export const STATIC_DIR = fileURLToPath(new URL('./static', import.meta.url));

/** Assets the login page loads before anyone has signed in. */
export const PUBLIC_ASSETS = new Set(['styles.css', 'i18n.js', 'login.js', 'setup.js', 'logo.svg']);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const ASSET_NAME = /^[a-z0-9][a-z0-9-]*\.(js|css|svg)$/;

/** Nothing inline, nothing foreign, never in a frame: the console handles citizens' data. */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

export function mountPages(app: Hono<ConsoleEnv>, guard: { page: MiddlewareHandler<ConsoleEnv>; api: MiddlewareHandler<ConsoleEnv> }): void {
  const cache = new Map<string, Buffer>();

  async function send(c: Context, name: string, status: 200 | 404 = 200): Promise<Response> {
    let body = cache.get(name);
    if (!body) {
      try {
        body = await readFile(path.join(STATIC_DIR, name));
      } catch {
        return c.json({ error: 'not found' }, 404);
      }
      cache.set(name, body);
    }
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream',
      // Pages always fresh (they carry no version); assets briefly cached, revalidated after.
      'Cache-Control': name.endsWith('.html') ? 'no-store' : 'private, max-age=60',
    };
    return new Response(new Uint8Array(body), { status, headers });
  }

  app.get('/console/login', (c) => send(c, 'login.html'));
  // Public like the login page: it can do nothing without the token printed at start.
  app.get('/console/setup', (c) => send(c, 'setup.html'));
  app.get('/console', guard.page, (c) => send(c, 'index.html'));
  app.get('/console/', guard.page, (c) => send(c, 'index.html'));
  app.get(
    '/console/assets/:name',
    async function publicAsset(c, next) {
      const name = c.req.param('name');
      if (!ASSET_NAME.test(name)) return c.json({ error: 'not found' }, 404);
      if (PUBLIC_ASSETS.has(name)) return send(c, name);
      await next();
    },
    guard.api,
    (c) => send(c, c.req.param('name')),
  );
}
