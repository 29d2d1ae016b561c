/**
 * The two message queues of a process: BullMQ over the process's Redis client when there is one,
 * else in process. Inbound carries citizens' messages to the workers; outbound carries replies
 * (the bot's and the operators') to the channel adapters.
 */
import type { Redis } from 'ioredis';
import type { InboundMessage, OutboundMessage } from '../core/envelopes.ts';
import type { Logger, MessageQueue } from '../core/ports.ts';
import { createBullmqQueue } from '../queue/bullmq-queue.ts';
import { createMemoryQueue } from '../memory/queue.ts';
import type { RetryPolicy } from '../queue/retry-policy.ts';
import type { Config } from './config.ts';

export const DEFAULT_PARTITIONS = 16;

export interface QueueTuning {
  /** Ordered partitions per queue; every process sharing a Redis must use the same number. */
  partitions?: number;
  retry?: RetryPolicy;
  /** Milliseconds without a lock renewal before a job of a dead worker is handed to another. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface Queues {
  inbound: MessageQueue<InboundMessage>;
  outbound: MessageQueue<OutboundMessage>;
  /** The Redis client the queues run on (not theirs: closing the queues leaves it open). */
  redis?: Redis;
  /** Idempotent. */
  close(): Promise<void>;
}

/** The two queues: BullMQ on `deps.redis` when given, else in process. */
export function createQueues(config: Config, deps: { redis?: Redis; logger: Logger }, opts: QueueTuning = {}): Queues {
  const { redis, logger } = deps;
  if (!redis) {
    // Intake stops at the high-water mark (see queue/backpressure.ts); the hard bound is for
    // whatever adds without asking (workers adding replies, the console).
    const maxDepth = config.queueHighWater * 2;
    const inbound = createMemoryQueue<InboundMessage>({ name: 'inbound', logger, policy: opts.retry, maxDepth });
    const outbound = createMemoryQueue<OutboundMessage>({ name: 'outbound', logger, policy: opts.retry, maxDepth });
    return { inbound, outbound, close: async () => void (await Promise.all([inbound.close(), outbound.close()])) };
  }
  const common = {
    connection: redis,
    prefix: config.queuePrefix,
    partitions: opts.partitions ?? DEFAULT_PARTITIONS,
    logger,
    policy: opts.retry,
    lockDurationMs: opts.lockDurationMs,
    stalledIntervalMs: opts.stalledIntervalMs,
  };
  const inbound = createBullmqQueue<InboundMessage>({ ...common, name: 'inbound' });
  const outbound = createBullmqQueue<OutboundMessage>({ ...common, name: 'outbound' });
  let closed: Promise<void> | undefined;
  return {
    inbound,
    outbound,
    redis,
    close: () => (closed ??= Promise.all([inbound.close(), outbound.close()]).then(() => undefined)),
  };
}
