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
import { dropPrefix, redisAvailable, REDIS_TEST_URL as REDIS_URL } from './queue-redis.ts';

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
        await dropPrefix(prefix);
        connection.disconnect();
      },
    };
  });
});
