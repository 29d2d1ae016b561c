/**
 * The process's connections, each opened once and only here: the database (Postgres pool or the
 * embedded PGlite) and, with REDIS_URL, one Redis client. Everything else gets them from the
 * composition root — the rate limiter, the BullMQ queues, the web-chat relay and `/ready` share
 * the one client (BullMQ and the relay duplicate it for their blocking and subscribed reads).
 * Without Redis, the same parts run on the database's Postgres client (`Database.sql`), whose
 * LISTEN takes one more connection of its own.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../core/ports.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { reportRedisErrors } from '../queue/redis-errors.ts';
import type { Config } from './config.ts';

export interface Connections {
  database: Database;
  /** Present exactly when REDIS_URL is set. */
  redis?: Redis;
  /** Closes Redis, then the database; idempotent. Close whatever uses them first. */
  close(): Promise<void>;
}

/** Opens the database and, with REDIS_URL, Redis; applying migrations is the caller's step. */
export async function openConnections(config: Config, logger: Logger): Promise<Connections> {
  const database = await openDatabase(
    config.database.kind === 'postgres' ? { kind: 'postgres', url: config.database.url } : { kind: 'pglite', dataDir: config.database.dataDir },
  );
  const redis = config.redisUrl ? openRedis(config.redisUrl, logger) : undefined;
  let closed: Promise<void> | undefined;
  return {
    database,
    redis,
    close: () =>
      (closed ??= (async () => {
        // quit() lets replies in flight arrive; on a client that never connected (or is
        // reconnecting) it would first connect, so that one is just dropped.
        if (redis?.status === 'ready') await redis.quit().catch(() => redis.disconnect());
        else redis?.disconnect();
        await database.close();
      })()),
  };
}

/**
 * The one Redis client of a process. `maxRetriesPerRequest: null` is what BullMQ's workers need
 * (their blocking connections are duplicates of this one): a command waits for Redis to come
 * back instead of failing a job that would only be retried through the same Redis. Lazy, so a
 * command that never queues (`komek kb`, `komek ask`) never connects.
 */
export function openRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  reportRedisErrors([redis], { logger, message: 'redis connection error', fields: { connection: 'main' } });
  return redis;
}
