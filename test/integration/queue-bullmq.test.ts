/**
 * The queue contract on BullMQ against a real Redis (REDIS_TEST_URL, default the local server).
 * Each test gets its own key prefix and deletes its keys afterwards. Under CI=true a missing
 * Redis fails instead of skipping.
 */
import { randomBytes } from 'node:crypto';
import { describe } from 'node:test';
import { Redis } from 'ioredis';
import { createBullmqQueue } from '../../queue/bullmq-queue.ts';
import { recordingLogger } from '../helpers/fakes.ts';
import { queueContract, type Job } from './queue-contract.ts';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

async function redisAvailable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`CI=true but Redis at ${REDIS_URL} is unreachable: ${(err as Error).message}`);
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Deletes every key under `prefix`. */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

const available = await redisAvailable();

describe('BullMQ queue', { skip: available ? false : `no Redis at ${REDIS_URL}` }, () => {
  queueContract(async (policy) => {
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const prefix = `komek-test-${randomBytes(4).toString('hex')}`;
    const queue = createBullmqQueue<Job>({
      connection,
      prefix,
      name: 'contract',
      partitions: 8,
      logger: recordingLogger(),
      policy,
      stalledIntervalMs: 1_000,
    });
    return {
      queue,
      async cleanup() {
        await dropPrefix(connection, prefix);
        connection.disconnect();
      },
    };
  });
});
