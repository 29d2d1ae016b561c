/**
 * The queue contract on the in-process queue of the embedded default, and what it documents as
 * its own: a shutdown drains backoffs too, for at most `drainTimeoutMs`, and keeps what is still
 * backing off then as failed with its last error.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TransientError } from '../../core/errors.ts';
import { createMemoryQueue } from '../../memory/queue.ts';
import { recordingLogger } from '../helpers/fakes.ts';
import { queueContract, type Job } from '../integration/queue-contract.ts';

describe('in-process queue', () => {
  queueContract(async (policy) => ({
    queue: createMemoryQueue<Job>({ name: 'contract', logger: recordingLogger(), policy }),
    cleanup: async () => {},
  }));

  test('close waits for a backoff to finish, up to drainTimeoutMs; one cut short is kept as failed', async () => {
    const policy = { attempts: 5, baseDelayMs: 10, maxDelayMs: 60_000 };
    const short = createMemoryQueue<Job>({ name: 'drain', logger: recordingLogger(), policy, drainTimeoutMs: 2_000 });
    let tries = 0;
    short.process(async () => {
      if (++tries === 1) throw new TransientError('429', { retryAfterMs: 200 });
    });
    await short.add({ key: 'k', n: 1 }, { id: 'drain-1', key: 'k' });
    await short.close();
    assert.equal(tries, 2, 'the backoff was waited out and the job tried again before close returned');
    assert.deepEqual(await short.failed(), []);

    const long = createMemoryQueue<Job>({ name: 'drain', logger: recordingLogger(), policy, drainTimeoutMs: 100 });
    long.process(async () => {
      throw new TransientError('429 too many requests', { retryAfterMs: 30_000 });
    });
    await long.add({ key: 'k', n: 2 }, { id: 'drain-2', key: 'k' });
    const began = Date.now();
    await long.close();
    assert.ok(Date.now() - began < 1_000, 'close gave up after drainTimeoutMs instead of waiting out 30 s');
    const failed = await long.failed();
    assert.deepEqual(failed.map((f) => [f.id, f.attempts]), [['drain-2', 1]]);
    assert.match(failed[0]!.reason, /429 too many requests/);
  });
});
