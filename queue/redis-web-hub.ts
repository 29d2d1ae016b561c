/**
 * The web-chat hub across processes: a reply published by any process reaches the process that
 * holds the citizen's SSE connection, over Redis pub/sub. Each process keeps its own small
 * buffer per session (bots/web/hub.ts) for reconnects.
 *
 * The queue knows Redis, not the channels: the relay treats events as opaque JSON and is handed
 * the process's local hub by the composition root, so nothing here imports `bots/`.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../core/ports.ts';
import { reportRedisErrors } from './redis-errors.ts';

/** Per-session fan-out of events, as the web adapter uses it (`In` published, `Out` received). */
export interface SessionHub<In, Out> {
  publish(session: string, event: In): Promise<void>;
  subscribe(session: string, listener: (event: Out) => void, afterId?: number): () => void;
  close(): Promise<void>;
}

/** A hub within one process that can also be fed events that arrived from elsewhere. */
export interface LocalSessionHub<In, Out> extends SessionHub<In, Out> {
  deliverLocal(session: string, event: In): void;
}

export interface RedisWebHubOptions<In, Out> {
  /** Used to publish; a duplicate is made for subscribing (a subscribed connection can do nothing else). */
  connection: Redis;
  prefix: string;
  logger: Logger;
  /** This process's hub: relayed events are delivered into it, subscriptions are served by it. */
  local: LocalSessionHub<In, Out>;
}

/** Wraps `opts.local` so that what any process publishes reaches every process's subscribers. */
export async function createRedisWebHub<In, Out>(opts: RedisWebHubOptions<In, Out>): Promise<SessionHub<In, Out>> {
  const { local } = opts;
  const channel = `${opts.prefix}:web-chat`;
  const sub = opts.connection.duplicate();
  reportRedisErrors([sub], { logger: opts.logger, message: 'redis connection error', fields: { connection: 'web-chat relay' } });
  sub.on('message', function relayWebEvent(ch: string, raw: string) {
    if (ch !== channel) return;
    try {
      const { session, event } = JSON.parse(raw) as { session: string; event: In };
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
