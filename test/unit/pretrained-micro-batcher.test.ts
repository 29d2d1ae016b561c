import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMicroBatcher } from '../../inference/pretrained/micro-batcher.ts';

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
