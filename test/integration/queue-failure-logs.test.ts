/**
 * The queues' own lines about a failing job ('job failed, retrying', 'job failed') carry the
 * traceId from the job data, on the in-process queue and on BullMQ alike.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { PermanentError, TransientError } from '../../core/errors.ts';
import type { MessageQueue } from '../../core/ports.ts';
import { createBullmqQueue } from '../../queue/bullmq-queue.ts';
import { createMemoryQueue } from '../../memory/queue.ts';
import type { RetryPolicy } from '../../queue/retry-policy.ts';
import { recordingLogger } from '../helpers/fakes.ts';
import { dropPrefix, redisAvailable, REDIS_TEST_URL } from './queue-redis.ts';

interface Data {
  text: string;
  traceId: string;
}

const FAST: RetryPolicy = { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 };
const available = await redisAvailable();

async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function failTwice(queue: MessageQueue<Data>, log: ReturnType<typeof recordingLogger>): Promise<void> {
  const consumer = queue.process(async (_data, info) => {
    if (info.attempt === 1) throw new TransientError('connection reset');
    throw new PermanentError('chat not found');
  });
  try {
    await queue.add({ text: 'hi', traceId: 'trace-fail-1' }, { id: 'fail-1', key: 'k' });
    await until(() => log.lines.some((l) => l.msg === 'job failed'));
  } finally {
    await consumer.close();
    await queue.close();
  }
  const about = log.lines.filter((l) => l.msg?.startsWith('job failed'));
  assert.deepEqual(about.map((l) => l.msg), ['job failed, retrying', 'job failed']);
  for (const line of about) assert.equal((line.obj as { traceId?: string }).traceId, 'trace-fail-1', `${line.msg} without the traceId`);
  for (const line of about) assert.equal((line.obj as { jobId?: string }).jobId, 'fail-1');
}

describe('queue failure lines carry the traceId', () => {
  test('in-process queue', async () => {
    const log = recordingLogger();
    await failTwice(createMemoryQueue<Data>({ name: 'logs', logger: log, policy: FAST }), log);
  });

  test('BullMQ queue', { skip: available ? false : 'no Redis' }, async () => {
    const log = recordingLogger();
    const connection = new Redis(REDIS_TEST_URL, { maxRetriesPerRequest: null });
    const prefix = `komek-logs-${randomBytes(4).toString('hex')}`;
    try {
      await failTwice(createBullmqQueue<Data>({ connection, prefix, name: 'logs', partitions: 2, logger: log, policy: FAST }), log);
    } finally {
      await dropPrefix(prefix);
      connection.disconnect();
    }
  });
});
