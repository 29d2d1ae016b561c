/**
 * The two message queues of a process, on the backend app/roles.ts chose: BullMQ over the
 * process's Redis client, a table in the process's Postgres, or in process. Inbound carries
 * citizens' messages to the workers; outbound carries replies (the bot's and the operators') to
 * the channel adapters.
 */
import type { Redis } from 'ioredis';
import type { Sql } from 'postgres';
import type { InboundMessage, OutboundMessage } from '../core/envelopes.ts';
import type { Logger, MessageQueue } from '../core/ports.ts';
import { createBullmqQueue } from '../queue/bullmq-queue.ts';
import { createPostgresQueue } from '../queue/postgres-queue.ts';
import { createMemoryQueue } from '../memory/queue.ts';
import type { RetryPolicy } from '../queue/retry-policy.ts';
import type { Config } from './config.ts';
import { RuntimeConfigError, type QueueBackend } from './roles.ts';

export const DEFAULT_PARTITIONS = 16;

export interface QueueTuning {
  /** Ordered partitions per queue (BullMQ); every process sharing a Redis must use the same number. */
  partitions?: number;
  retry?: RetryPolicy;
  /** Milliseconds without a lock renewal before a job of a dead worker is handed to another. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface QueueDeps {
  backend: QueueBackend;
  /** The process's Redis client, for backend 'redis'. */
  redis?: Redis;
  /** The process's Postgres client (`Database.sql`), for backend 'postgres'. */
  sql?: Sql;
  logger: Logger;
}

export interface Queues {
  backend: QueueBackend;
  inbound: MessageQueue<InboundMessage>;
  outbound: MessageQueue<OutboundMessage>;
  /** The Redis client the queues run on (not theirs: closing the queues leaves it open). */
  redis?: Redis;
  /** The Postgres client the queues run on (not theirs either). */
  sql?: Sql;
  /** Idempotent. */
  close(): Promise<void>;
}

/** The two queues on `deps.backend`; its connection must be among `deps`. */
export function createQueues(config: Config, deps: QueueDeps, opts: QueueTuning = {}): Queues {
  const { backend, logger } = deps;
  const pair = (() => {
    if (backend === 'memory') {
      // Intake stops at the high-water mark (see queue/backpressure.ts); the hard bound is for
      // whatever adds without asking (workers adding replies, the console).
      const maxDepth = config.queueHighWater * 2;
      const make = <T>(name: string) => createMemoryQueue<T>({ name, logger, policy: opts.retry, maxDepth });
      return { inbound: make<InboundMessage>('inbound'), outbound: make<OutboundMessage>('outbound') };
    }
    if (backend === 'postgres') {
      const sql = deps.sql;
      if (!sql) throw new RuntimeConfigError('the Postgres queue needs a Postgres connection (DATABASE_URL, opened by app/connections.ts)');
      const make = <T>(name: string) =>
        createPostgresQueue<T>({ sql, prefix: config.queuePrefix, name, logger, policy: opts.retry, lockDurationMs: opts.lockDurationMs, stalledIntervalMs: opts.stalledIntervalMs });
      return { inbound: make<InboundMessage>('inbound'), outbound: make<OutboundMessage>('outbound') };
    }
    const redis = deps.redis;
    if (!redis) throw new RuntimeConfigError('the Redis queue needs a Redis connection (REDIS_URL, opened by app/connections.ts)');
    const common = {
      connection: redis,
      prefix: config.queuePrefix,
      partitions: opts.partitions ?? DEFAULT_PARTITIONS,
      logger,
      policy: opts.retry,
      lockDurationMs: opts.lockDurationMs,
      stalledIntervalMs: opts.stalledIntervalMs,
    };
    return { inbound: createBullmqQueue<InboundMessage>({ ...common, name: 'inbound' }), outbound: createBullmqQueue<OutboundMessage>({ ...common, name: 'outbound' }) };
  })();
  let closed: Promise<void> | undefined;
  return {
    backend,
    ...pair,
    redis: backend === 'redis' ? deps.redis : undefined,
    sql: backend === 'postgres' ? deps.sql : undefined,
    close: () => (closed ??= Promise.all([pair.inbound.close(), pair.outbound.close()]).then(() => undefined)),
  };
}
