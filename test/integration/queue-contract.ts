/**
 * The behaviour every MessageQueue must show, run against the in-process queue, BullMQ and the
 * Postgres queue alike:
 * per-key order, parallel keys, dedupe by id, retries with backoff (honouring retryAfterMs),
 * a key that backs off delaying only itself, permanent failures not retried, failed jobs kept and
 * retryable.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PermanentError, TransientError } from '../../core/errors.ts';
import type { JobInfo, MessageQueue } from '../../core/ports.ts';
import { partitionOf } from '../../queue/partition.ts';
import type { RetryPolicy } from '../../queue/retry-policy.ts';

export type QueueFactory = (policy: RetryPolicy) => Promise<{ queue: MessageQueue<Job>; cleanup(): Promise<void> }>;

export interface Job {
  key: string;
  n: number;
}

const FAST: RetryPolicy = { attempts: 4, baseDelayMs: 20, maxDelayMs: 2_000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(10);
  }
}

async function using(make: QueueFactory, policy: RetryPolicy, fn: (q: MessageQueue<Job>) => Promise<void>): Promise<void> {
  const { queue, cleanup } = await make(policy);
  try {
    await fn(queue);
  } finally {
    await queue.close();
    await cleanup();
  }
}

/**
 * `count` keys that fall into one partition for every partition count dividing 16 (the runtime's
 * 16, the tests' 8, …): with BullMQ they share one ordered slot, the hardest case for a key that
 * backs off.
 */
export function keysOfOnePartition(count: number, prefix: string): string[] {
  const candidates = Array.from({ length: 400 }, (_, i) => `${prefix}-${i}`);
  const target = partitionOf(candidates[0]!, 16);
  const keys = candidates.filter((k) => partitionOf(k, 16) === target).slice(0, count);
  if (keys.length < count) throw new Error(`only ${keys.length} keys of one partition among the candidates`);
  return keys;
}

/** Registers the contract's tests under the current `describe`. */
export function queueContract(make: QueueFactory): void {
  test('jobs of one key run one at a time, in the order added', async () => {
    await using(make, FAST, async (q) => {
      const seen: number[] = [];
      let active = 0;
      let overlap = false;
      const consumer = q.process(
        async (job) => {
          active++;
          if (active > 1) overlap = true;
          await sleep(Math.random() * 5);
          seen.push(job.n);
          active--;
        },
        { concurrency: 4 },
      );
      for (let n = 0; n < 30; n++) await q.add({ key: 'chat-a', n }, { id: `a-${n}`, key: 'chat-a' });
      await until(() => seen.length === 30);
      await consumer.close();
      assert.deepEqual(seen, [...Array(30).keys()]);
      assert.equal(overlap, false);
    });
  });

  test('different keys run in parallel', async () => {
    await using(make, FAST, async (q) => {
      let active = 0;
      let peak = 0;
      let done = 0;
      const consumer = q.process(
        async () => {
          active++;
          peak = Math.max(peak, active);
          await sleep(150);
          active--;
          done++;
        },
        { concurrency: 8 },
      );
      // Keys chosen across many values so that they spread over partitions.
      for (let n = 0; n < 16; n++) await q.add({ key: `chat-${n}`, n }, { id: `p-${n}`, key: `chat-${n}` });
      await until(() => done === 16);
      await consumer.close();
      assert.ok(peak >= 3, `expected parallel work across chats, peak was ${peak}`);
    });
  });

  test('no more than `concurrency` jobs run at once, whatever their keys', async () => {
    await using(make, FAST, async (q) => {
      let active = 0;
      let peak = 0;
      let done = 0;
      const consumer = q.process(
        async () => {
          active++;
          peak = Math.max(peak, active);
          await sleep(60);
          active--;
          done++;
        },
        { concurrency: 2 },
      );
      for (let n = 0; n < 12; n++) await q.add({ key: `chat-${n}`, n }, { id: `c-${n}`, key: `chat-${n}` });
      await until(() => done === 12);
      await consumer.close();
      assert.equal(peak, 2);
    });
  });

  test('a job added twice with the same id runs once', async () => {
    await using(make, FAST, async (q) => {
      const runs: number[] = [];
      const consumer = q.process(async (job) => void runs.push(job.n));
      await q.add({ key: 'k', n: 1 }, { id: 'same-id', key: 'k' });
      await q.add({ key: 'k', n: 1 }, { id: 'same-id', key: 'k' });
      await q.add({ key: 'k', n: 2 }, { id: 'other-id', key: 'k' });
      await until(() => runs.length === 2);
      await sleep(100);
      await consumer.close();
      assert.deepEqual(runs, [1, 2]);
    });
  });

  test('transient failures are retried with growing waits, and later jobs of the key wait', async () => {
    await using(make, FAST, async (q) => {
      const tries: { n: number; at: number; info: JobInfo }[] = [];
      const consumer = q.process(async (job, info) => {
        tries.push({ n: job.n, at: Date.now(), info });
        if (job.n === 1 && info.attempt < 3) throw new TransientError('database hiccup');
      });
      await q.add({ key: 'k', n: 1 }, { id: 'r-1', key: 'k' });
      await q.add({ key: 'k', n: 2 }, { id: 'r-2', key: 'k' });
      await until(() => tries.some((t) => t.n === 2));
      await consumer.close();
      assert.deepEqual(tries.map((t) => [t.n, t.info.attempt]), [[1, 1], [1, 2], [1, 3], [2, 1]]);
      assert.equal(tries[0]!.info.redelivered, false);
      assert.equal(tries[1]!.info.redelivered, true);
      const gap1 = tries[1]!.at - tries[0]!.at;
      const gap2 = tries[2]!.at - tries[1]!.at;
      assert.ok(gap1 >= 15, `first backoff ${gap1}ms`);
      assert.ok(gap2 >= 30, `second backoff ${gap2}ms should be about twice the first`);
    });
  });

  test('a key that backs off delays only itself: other keys run meanwhile, its own jobs keep their order', async () => {
    const WAIT_MS = 1_000;
    await using(make, FAST, async (q) => {
      const [slow, ...others] = keysOfOnePartition(4, 'held');
      const done: { key: string; n: number; at: number }[] = [];
      // One slot for every key: a wait spent inside that slot would keep all of them waiting.
      const consumer = q.process(
        async (job, info) => {
          if (job.key === slow && job.n === 0 && info.attempt < 3) throw new TransientError('429 too many requests', { retryAfterMs: WAIT_MS });
          done.push({ key: job.key, n: job.n, at: Date.now() });
        },
        { concurrency: 1 },
      );
      const began = Date.now();
      for (let n = 0; n < 3; n++) await q.add({ key: slow!, n }, { id: `held-s-${n}`, key: slow! });
      for (const [i, key] of others.entries()) {
        for (let n = 0; n < 2; n++) await q.add({ key, n }, { id: `held-o${i}-${n}`, key });
      }
      await until(() => done.length === 3 + others.length * 2, 20_000);
      await consumer.close();
      const slowDone = done.filter((d) => d.key === slow);
      assert.deepEqual(slowDone.map((d) => d.n), [0, 1, 2], 'the held key keeps its order');
      assert.ok(slowDone[0]!.at - began >= 2 * WAIT_MS - 20, `the held key waited ${slowDone[0]!.at - began} ms for its two retries`);
      for (const key of others) assert.deepEqual(done.filter((d) => d.key === key).map((d) => d.n), [0, 1], `${key} keeps its order`);
      const lastOther = Math.max(...done.filter((d) => d.key !== slow).map((d) => d.at));
      // Waiting in the shared slot would put the other keys after the held one's last try; they
      // are through before its second wait has even begun.
      assert.ok(lastOther < slowDone[0]!.at - WAIT_MS, `other keys finished ${lastOther - began} ms in, the held key's first job ${slowDone[0]!.at - began} ms in`);
    });
  });

  test('retryAfterMs from the platform is honoured', async () => {
    await using(make, FAST, async (q) => {
      const at: number[] = [];
      const consumer = q.process(async () => {
        at.push(Date.now());
        if (at.length === 1) throw new TransientError('429 too many requests', { retryAfterMs: 300 });
      });
      await q.add({ key: 'k', n: 1 }, { id: 'ra-1', key: 'k' });
      await until(() => at.length === 2);
      await consumer.close();
      assert.ok(at[1]! - at[0]! >= 290, `waited ${at[1]! - at[0]!}ms, expected the 300ms asked for`);
    });
  });

  test('permanent failures are not retried, are kept, and can be retried by id', async () => {
    await using(make, FAST, async (q) => {
      let calls = 0;
      let fixed = false;
      const consumer = q.process(async () => {
        calls++;
        if (!fixed) throw new PermanentError('chat not found');
      });
      await q.add({ key: 'k', n: 7 }, { id: 'perm-1', key: 'k' });
      await until(() => calls === 1);
      let failed: Awaited<ReturnType<typeof q.failed>> = [];
      for (let i = 0; i < 100 && failed.length === 0; i++) {
        failed = await q.failed();
        if (failed.length === 0) await sleep(20);
      }
      assert.equal(calls, 1);
      assert.equal(failed.length, 1);
      assert.equal(failed[0]!.id, 'perm-1');
      assert.deepEqual(failed[0]!.data, { key: 'k', n: 7 });
      assert.match(failed[0]!.reason, /chat not found/);
      fixed = true;
      assert.equal(await q.retry('perm-1'), 1);
      await until(() => calls === 2);
      await sleep(50);
      assert.equal((await q.failed()).length, 0);
      assert.equal(await q.retry('no-such-job'), 0);
      await consumer.close();
    });
  });

  test('a job that keeps failing stops after the last try, which it is told is final', async () => {
    await using(make, FAST, async (q) => {
      const infos: JobInfo[] = [];
      const consumer = q.process(async (_job, info) => {
        infos.push(info);
        throw new Error('still broken');
      });
      await q.add({ key: 'k', n: 1 }, { id: 'x-1', key: 'k' });
      await q.add({ key: 'k2', n: 2 }, { id: 'x-2', key: 'k2' });
      await until(() => infos.length === 2 * FAST.attempts);
      let failed: Awaited<ReturnType<typeof q.failed>> = [];
      for (let i = 0; i < 100 && failed.length < 2; i++) {
        failed = await q.failed();
        if (failed.length < 2) await sleep(20);
      }
      assert.equal(failed.length, 2);
      assert.deepEqual(infos.filter((i) => i.id === 'x-1').map((i) => i.final), [false, false, false, true]);
      assert.equal(await q.retry(), 2);
      await until(() => infos.length === 4 * FAST.attempts);
      await consumer.close();
    });
  });
}
