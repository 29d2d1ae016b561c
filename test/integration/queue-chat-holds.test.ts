/**
 * Chat holds on BullMQ beyond the shared contract: what happens to a held chat when the process
 * stops mid-backoff, and when the job holding the chat disappears before it could hand over.
 * Real Redis, a unique key prefix per test, keys deleted afterwards; under CI=true a missing
 * Redis fails instead of skipping.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { TransientError } from '../../core/errors.ts';
import type { MessageQueue } from '../../core/ports.ts';
import { createBullmqQueue } from '../../queue/bullmq-queue.ts';
import { partitionOf } from '../../queue/partition.ts';
import type { RetryPolicy } from '../../queue/retry-policy.ts';
import { recordingLogger } from '../helpers/fakes.ts';
import { keysOfOnePartition, type Job } from './queue-contract.ts';
import { dropPrefix, redisAvailable, REDIS_TEST_URL as REDIS_URL } from './queue-redis.ts';

const available = await redisAvailable();
const PARTITIONS = 4;
const POLICY: RetryPolicy = { attempts: 6, baseDelayMs: 20, maxDelayMs: 5_000 };

async function until(cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function withRedis(fn: (connection: Redis, prefix: string) => Promise<void>): Promise<void> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `komek-hold-${randomBytes(4).toString('hex')}`;
  try {
    await fn(connection, prefix);
  } finally {
    await dropPrefix(prefix);
    connection.disconnect();
  }
}

function queueOf(connection: Redis, prefix: string, holdRecheckMs?: number): MessageQueue<Job> {
  return createBullmqQueue<Job>({ connection, prefix, name: 'holds', partitions: PARTITIONS, logger: recordingLogger(), policy: POLICY, holdRecheckMs, stalledIntervalMs: 1_000 });
}

describe('BullMQ chat holds', { skip: available ? false : `no Redis at ${REDIS_URL}` }, () => {
  test('a process stopped mid-backoff leaves the chat held; the next one finishes it in order', async () => {
    await withRedis(async (connection, prefix) => {
      const [key] = keysOfOnePartition(1, 'stop');
      const seen: { n: number; attempt: number; redelivered: boolean }[] = [];
      const first = queueOf(connection, prefix);
      const consumer = first.process(async (job, info) => {
        seen.push({ n: job.n, attempt: info.attempt, redelivered: info.redelivered });
        if (job.n === 0) throw new TransientError('socket closed', { retryAfterMs: 1_500 });
      });
      for (let n = 0; n < 3; n++) await first.add({ key: key!, n }, { id: `stop-${n}`, key: key! });
      await until(() => seen.length === 1);
      // Gives the partition time to reach (and park) the later jobs before stopping.
      await new Promise((r) => setTimeout(r, 300));
      const stoppedAt = Date.now();
      await consumer.close();
      assert.ok(Date.now() - stoppedAt < 1_000, 'closing does not wait out the backoff');
      await first.close();

      const second = queueOf(connection, prefix);
      const later = second.process(async (job, info) => void seen.push({ n: job.n, attempt: info.attempt, redelivered: info.redelivered }));
      await until(() => seen.length === 4);
      await new Promise((r) => setTimeout(r, 200));
      await later.close();
      await second.close();
      assert.deepEqual(seen.map((s) => [s.n, s.attempt]), [[0, 1], [0, 2], [1, 1], [2, 1]]);
      assert.deepEqual(seen.map((s) => s.redelivered), [false, true, false, false]);
    });
  });

  test('a hold whose job was removed before handing over is ended by the parked jobs, in order', async () => {
    await withRedis(async (connection, prefix) => {
      const [key] = keysOfOnePartition(1, 'gone');
      const q = queueOf(connection, prefix, 200);
      const seen: number[] = [];
      const consumer = q.process(async (job) => {
        if (job.n === 0) throw new TransientError('429', { retryAfterMs: 60_000 });
        seen.push(job.n);
      });
      for (let n = 0; n < 3; n++) await q.add({ key: key!, n }, { id: `gone-${n}`, key: key! });
      // The head waits a minute; an operator removes it meanwhile (as `komek jobs` could).
      const partition = new Queue(`holds-p${partitionOf(key!, PARTITIONS)}`, { connection, prefix });
      try {
        await new Promise((r) => setTimeout(r, 1_000));
        assert.deepEqual(seen, [], 'the later jobs wait behind the held head, rechecking it');
        const head = await partition.getJob('gone-0');
        assert.ok(head && (await head.isDelayed()), 'the head backs off in the delayed set');
        await head.remove();
        await until(() => seen.length === 2, 10_000);
        assert.deepEqual(seen, [1, 2]);
      } finally {
        await consumer.close();
        await q.close();
        await partition.close();
      }
    });
  });
});
