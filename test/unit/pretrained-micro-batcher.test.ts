import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMicroBatcher } from '../../inference/micro-batcher.ts';

describe('createMicroBatcher', () => {
  it('joins calls made in the same tick into one run and hands each caller its own outputs', async () => {
    const runs: string[][] = [];
    const batcher = createMicroBatcher<string, string>(async (items) => {
      runs.push(items);
      return items.map((s) => s.toUpperCase());
    });
    const results = await Promise.all([batcher.submit(['a', 'b']), batcher.submit(['c']), batcher.submit(['d', 'e', 'f'])]);
    assert.deepEqual(results, [['A', 'B'], ['C'], ['D', 'E', 'F']]);
    assert.deepEqual(runs, [['a', 'b', 'c', 'd', 'e', 'f']]);
  });

  it('queues calls made during a run into the next run; runs never overlap', async () => {
    const runs: string[][] = [];
    let active = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const batcher = createMicroBatcher<string, string>(async (items) => {
      active++;
      assert.equal(active, 1, 'runs overlap');
      runs.push(items);
      if (runs.length === 1) await gate;
      active--;
      return items;
    });
    const first = batcher.submit(['a']);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const second = batcher.submit(['b']);
    const third = batcher.submit(['c']);
    release();
    assert.deepEqual(await Promise.all([first, second, third]), [['a'], ['b'], ['c']]);
    assert.deepEqual(runs, [['a'], ['b', 'c']]);
  });

  it('rejects only the calls of a failed run', async () => {
    let calls = 0;
    const batcher = createMicroBatcher<number, number>(async (items) => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return items;
    });
    const failed = Promise.allSettled([batcher.submit([1]), batcher.submit([2])]);
    const results = await failed;
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
    assert.deepEqual(await batcher.submit([3]), [3]);
  });

  it('spreads a large request over runs of at most maxItems', async () => {
    const runs: number[][] = [];
    const batcher = createMicroBatcher<number, number>(
      async (items) => {
        runs.push(items);
        return items.map((x) => x * 10);
      },
      { maxItems: 3 },
    );
    const [a, b] = await Promise.all([batcher.submit([1, 2, 3, 4, 5]), batcher.submit([6, 7])]);
    assert.deepEqual(a, [10, 20, 30, 40, 50]);
    assert.deepEqual(b, [60, 70]);
    assert.deepEqual(runs, [[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('takes high-priority items before low-priority ones already queued', async () => {
    const runs: string[][] = [];
    let release!: () => void;
    const firstRunHeld = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const firstRunStarted = new Promise<void>((r) => (started = r));
    const batcher = createMicroBatcher<string, string>(
      async (items) => {
        runs.push(items);
        if (runs.length === 1) {
          started();
          await firstRunHeld;
        }
        return items;
      },
      { maxItems: 2 },
    );
    const indexing = batcher.submit(['p1', 'p2', 'p3', 'p4', 'p5', 'p6'], { priority: 'low' });
    await firstRunStarted;
    // The first run (p1, p2) is in flight; the question must go next, not after p6.
    const question = batcher.submit(['q'], { priority: 'high' });
    release();
    assert.deepEqual(await question, ['q']);
    assert.deepEqual(await indexing, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    assert.deepEqual(runs, [['p1', 'p2'], ['q', 'p3'], ['p4', 'p5'], ['p6']]);
  });

  it('drops the rest of a request whose run failed', async () => {
    const runs: number[][] = [];
    const batcher = createMicroBatcher<number, number>(
      async (items) => {
        runs.push(items);
        if (items.includes(2)) throw new Error('bad item');
        return items;
      },
      { maxItems: 2 },
    );
    const [failed, ok] = await Promise.allSettled([batcher.submit([1, 2, 3, 4]), batcher.submit([5])]);
    assert.equal(failed.status, 'rejected');
    assert.deepEqual(ok, { status: 'fulfilled', value: [5] });
    assert.deepEqual(runs, [[1, 2], [5]]);
  });

  it('reports a run that returns the wrong number of outputs', async () => {
    const batcher = createMicroBatcher<number, number>(async () => [1]);
    await assert.rejects(batcher.submit([1, 2]), /1 outputs for 2 inputs/);
  });

  it('drains: resolves once queued work is done', async () => {
    const done: number[] = [];
    const batcher = createMicroBatcher<number, number>(async (items) => {
      await new Promise((r) => setTimeout(r, 5));
      done.push(...items);
      return items;
    });
    void batcher.submit([1]);
    void batcher.submit([2]);
    await batcher.drain();
    assert.deepEqual(done, [1, 2]);
    assert.deepEqual(await batcher.submit([]), []);
  });
});
