/**
 * Backpressure pieces: the in-process queue's depth and hard bound, the gate over queue depths
 * (cached readings plus accepted messages), and the Telegram poller holding off while saturated.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Api } from 'grammy';
import { createPoller } from '../../bots/telegram/poller.ts';
import { TransientError } from '../../core/errors.ts';
import { createBackpressure, QueueFullError } from '../../queue/backpressure.ts';
import { createMemoryQueue } from '../../memory/queue.ts';
import { recordingLogger } from '../helpers/fakes.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('in-process queue bound', () => {
  test('depth counts waiting jobs; beyond maxDepth add refuses with a transient QueueFullError', async () => {
    const q = createMemoryQueue<{ n: number }>({ name: 'inbound', logger: recordingLogger(), maxDepth: 3 });
    for (let n = 0; n < 3; n++) await q.add({ n }, { id: `j${n}`, key: `k${n}` });
    assert.equal(await q.depth(), 3);
    const refused = await q.add({ n: 3 }, { id: 'j3', key: 'k3' }).then(() => undefined, (e: unknown) => e);
    assert.ok(refused instanceof QueueFullError && refused instanceof TransientError);
    assert.ok((refused as TransientError).retryAfterMs! > 0);
    await q.add({ n: 0 }, { id: 'j0', key: 'k0' }); // a known id is still ignored, not refused
    assert.equal(await q.depth(), 3);
    const seen: number[] = [];
    const consumer = q.process(async ({ n }) => void seen.push(n), { concurrency: 4 });
    await q.add({ n: 3 }, { id: 'j3', key: 'k3' }); // room again: the refused id is accepted now
    while (seen.length < 4) await sleep(5);
    assert.equal(await q.depth(), 0);
    await consumer.close();
    await q.close();
    assert.deepEqual(seen.sort(), [0, 1, 2, 3]);
  });
});

describe('backpressure gate', () => {
  test('sums the queues, counts accepted messages between readings, logs each change once', async () => {
    let t = 0;
    const depths = { inbound: 1, outbound: 1 };
    let reads = 0;
    const log = recordingLogger();
    const gate = createBackpressure({
      queues: (['inbound', 'outbound'] as const).map((name) => ({ name, depth: async () => (reads++, depths[name]) })),
      highWater: 4,
      refreshMs: 500,
      logger: log,
      now: () => t,
    });
    assert.equal(await gate.saturated(), false);
    gate.accepted();
    assert.equal(await gate.saturated(), false);
    gate.accepted();
    assert.equal(await gate.saturated(), true, '2 read + 2 accepted reaches the mark before the next reading');
    assert.equal(reads, 2, 'one reading (two queues) within the refresh window');
    depths.inbound = 0;
    depths.outbound = 0;
    t = 600;
    assert.equal(await gate.saturated(), false, 'the backlog drained');
    assert.deepEqual(log.lines.map((l) => l.msg), ['queue above its high-water mark; intake paused', 'queue below its high-water mark; intake resumed']);
  });

  test('an unreadable queue keeps the last estimate', async () => {
    let fail = false;
    let t = 0;
    const gate = createBackpressure({
      queues: [{ name: 'inbound', depth: async () => (fail ? Promise.reject(new Error('down')) : 10) }],
      highWater: 5,
      refreshMs: 100,
      logger: recordingLogger(),
      now: () => t,
    });
    assert.equal(await gate.saturated(), true);
    fail = true;
    t = 1_000;
    assert.equal(await gate.saturated(), true);
  });
});

describe('telegram poller under backpressure', () => {
  test('fetches nothing while held; resumes when the backlog drains', async () => {
    let held = true;
    let polls = 0;
    const api = {
      getUpdates: async () => {
        polls++;
        await sleep(5);
        return [];
      },
    } as unknown as Api;
    const poller = createPoller({ api, onUpdate: async () => {}, logger: recordingLogger(), idleDelayMs: 5, holdMs: 10, holdWhile: async () => held });
    poller.start();
    await sleep(100);
    assert.equal(polls, 0, 'no getUpdates while saturated: updates stay at Telegram');
    held = false;
    await sleep(100);
    await poller.stop();
    assert.ok(polls > 0, 'polling resumed');
  });
});
