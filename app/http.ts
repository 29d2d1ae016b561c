/**
 * Kömek's one HTTP server. Channels (web chat, Telegram webhook) and the operator console mount
 * their routes here; this file owns only what every deployment needs: health, readiness, the
 * favicon and an error boundary that never shows a stack trace to a client.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Logger } from '../core/ports.ts';
import { faviconIco } from './favicon.ts';

/** A part of the application that adds routes to the server. */
export type Mount = (app: Hono) => void;

export interface HttpDeps {
  logger: Logger;
  /**
   * Resolves when the service can take traffic (database reachable), optionally with details
   * shown beside the status (the model in use and its self-check).
   */
  ready: () => Promise<void | Record<string, unknown>>;
  mounts?: Mount[];
}

export function createHttpApp(deps: HttpDeps): Hono {
  const app = new Hono();
  app.onError(function errorBoundary(err, c) {
    deps.logger.error({ err: { message: err.message, name: err.name }, path: c.req.path }, 'http request failed');
    return c.json({ error: 'internal error' }, 500);
  });
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  const icon = new Uint8Array(faviconIco());
  app.get('/favicon.ico', () => new Response(icon, { headers: { 'Content-Type': 'image/x-icon', 'Cache-Control': 'public, max-age=86400' } }));
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    try {
      const details = await deps.ready();
      return c.json({ status: 'ready', ...(details ?? {}) });
    } catch {
      return c.json({ status: 'not ready' }, 503);
    }
  });
  for (const mount of deps.mounts ?? []) mount(app);
  return app;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts listening; resolves with the address once the port is bound. */
export function listen(app: Hono, port: number, host: string): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    // eslint-disable-next-line prefer-const
    server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
      const shownHost = info.address.includes(':') ? `[${info.address}]` : info.address;
      let closed: Promise<void> | undefined;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        close: () =>
          (closed ??= new Promise<void>((res) => {
            server.close(() => res());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          })),
      });
    });
    server.once('error', reject);
  });
}
