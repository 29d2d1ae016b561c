/** depth() on BullMQ: waiting jobs of every partition, down to zero once they have run. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createBullmqQueue } from '../../queue/bullmq-queue.ts';
import { recordingLogger } from '../helpers/fakes.ts';
import { dropPrefix, redisAvailable, REDIS_TEST_URL } from './queue-redis.ts';

const available = await redisAvailable();

test('BullMQ depth counts waiting jobs across partitions', { skip: available ? false : 'no Redis' }, async () => {
  const connection = new Redis(REDIS_TEST_URL, { maxRetriesPerRequest: null });
  const prefix = `komek-depth-${randomBytes(4).toString('hex')}`;
  const queue = createBullmqQueue<{ n: number }>({ connection, prefix, name: 'inbound', partitions: 4, logger: recordingLogger() });
  try {
    assert.equal(await queue.depth(), 0);
    for (let n = 0; n < 7; n++) await queue.add({ n }, { id: `d${n}`, key: `chat-${n}` });
    assert.equal(await queue.depth(), 7);
    let done = 0;
    const consumer = queue.process(async () => void done++, { concurrency: 4 });
    const end = Date.now() + 10_000;
    while (done < 7 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await consumer.close();
    assert.equal(done, 7);
    assert.equal(await queue.depth(), 0);
  } finally {
    await queue.close();
    await dropPrefix(prefix);
    connection.disconnect();
  }
});

test('BullMQ depth agrees with Queue#count over waiting, delayed and prioritised jobs', { skip: available ? false : 'no Redis' }, async () => {
  const connection = new Redis(REDIS_TEST_URL, { maxRetriesPerRequest: null });
  const prefix = `komek-depth-${randomBytes(4).toString('hex')}`;
  const queue = createBullmqQueue<{ n: number }>({ connection, prefix, name: 'outbound', partitions: 3, logger: recordingLogger() });
  // The partitions themselves, as BullMQ sees them: jobs set aside (a held chat's parked turn, a
  // backoff) sit in the delayed set, and count() includes them.
  const raw = [0, 1, 2].map((i) => new Queue(`outbound-p${i}`, { connection, prefix }));
  try {
    for (let n = 0; n < 4; n++) await queue.add({ n }, { id: `w${n}`, key: `chat-${n}` });
    await raw[1]!.add('chat-x', { n: 10 }, { jobId: 'later', delay: 60_000 });
    await raw[2]!.add('chat-y', { n: 11 }, { jobId: 'urgent', priority: 3 });
    const counted = (await Promise.all(raw.map((q) => q.count()))).reduce((a, b) => a + b, 0);
    assert.equal(counted, 6);
    assert.equal(await queue.depth(), counted);
  } finally {
    await Promise.all(raw.map((q) => q.close()));
    await queue.close();
    await dropPrefix(prefix);
    connection.disconnect();
  }
});
