/**
 * The web-chat hub across processes: a reply published by any process reaches the process that
 * holds the citizen's SSE connection, over Redis pub/sub. Each process keeps its own small
 * buffer per session (see bots/web/hub.ts) for reconnects.
 */
import type { Redis } from 'ioredis';
import { createMemoryHub, type WebEventInput, type WebHub } from '../bots/web/hub.ts';
import type { Logger } from '../core/ports.ts';
import { reportRedisErrors } from './redis-errors.ts';

export interface RedisWebHubOptions {
  /** Used to publish; a duplicate is made for subscribing (a subscribed connection can do nothing else). */
  connection: Redis;
  prefix: string;
  logger: Logger;
}

export async function createRedisWebHub(opts: RedisWebHubOptions): Promise<WebHub> {
  const local = createMemoryHub();
  const channel = `${opts.prefix}:web-chat`;
  const sub = opts.connection.duplicate();
  reportRedisErrors([sub], { logger: opts.logger, message: 'redis connection error', fields: { connection: 'web-chat relay' } });
  sub.on('message', (ch: string, raw: string) => {
    if (ch !== channel) return;
    try {
      const { session, event } = JSON.parse(raw) as { session: string; event: WebEventInput };
      local.deliverLocal(session, event);
    } catch (err) {
      opts.logger.warn({ err: (err as Error).message }, 'malformed web-chat relay message');
    }
  });
  await sub.subscribe(channel);
  let closed: Promise<void> | undefined;
  return {
    async publish(session, event) {
      await opts.connection.publish(channel, JSON.stringify({ session, event }));
    },
    subscribe: local.subscribe,
    close: () =>
      (closed ??= (async () => {
        await sub.quit().catch(() => sub.disconnect());
        await local.close();
      })()),
  };
}
