/**
 * The retry policy: transient failures (a database or Redis outage) are retried for more than two
 * minutes with capped exponential backoff; permanent failures fail at once; a platform's
 * retry-after is honoured beyond our own backoff cap. Time is faked: waits are recorded, not slept.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PermanentError, TransientError } from '../../core/errors.ts';
import { backoffDelay, decideRetry, DEFAULT_RETRY_POLICY, isFinalAttempt, minRetrySpanMs, type RetryPolicy } from '../../queue/retry-policy.ts';

/**
 * Drives `fail` the way the queues do, try after try as {@link decideRetry} says, recording the
 * waits instead of sleeping them; returns the tries made and the waits asked for.
 */
async function run(policy: RetryPolicy, fail: (attempt: number) => unknown) {
  const waits: number[] = [];
  const finals: boolean[] = [];
  let error: unknown;
  for (let attempt = 1; ; attempt++) {
    finals.push(isFinalAttempt(attempt, policy));
    const err = fail(attempt);
    if (!err) break;
    const next = decideRetry(attempt, err, policy);
    if (!next.retry) {
      error = err;
      break;
    }
    waits.push(next.delayMs);
  }
  return { tries: finals.length, finals, waits, total: waits.reduce((a, b) => a + b, 0), error };
}

describe('retry policy', () => {
  test('the default retries a transient outage for more than two minutes, every wait capped', async () => {
    for (let i = 0; i < 20; i++) {
      const r = await run(DEFAULT_RETRY_POLICY, () => new TransientError('connect ECONNREFUSED 127.0.0.1:5432'));
      assert.equal(r.tries, DEFAULT_RETRY_POLICY.attempts);
      assert.ok(r.total >= 120_000, `retried for only ${r.total} ms`);
      assert.ok(r.total <= 180_000, `retried for ${r.total} ms; a failed message should not wait much longer`);
      assert.ok(Math.max(...r.waits) <= DEFAULT_RETRY_POLICY.maxBackoffMs!, `a wait of ${Math.max(...r.waits)} ms`);
      assert.deepEqual(r.finals, [...Array(r.tries - 1).fill(false), true]);
      assert.ok(r.error instanceof TransientError);
    }
    assert.ok(minRetrySpanMs(DEFAULT_RETRY_POLICY) >= 120_000);
  });

  test('waits grow exponentially until the cap', () => {
    const mid = () => 0.5; // no jitter
    const waits = Array.from({ length: 8 }, (_, i) => backoffDelay(i + 1, new Error('x'), DEFAULT_RETRY_POLICY, mid));
    assert.deepEqual(waits, [500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
  });

  test('plain errors (a dropped connection) count as transient', async () => {
    const r = await run(DEFAULT_RETRY_POLICY, (attempt) => (attempt < 6 ? new Error('Connection terminated unexpectedly') : undefined));
    assert.equal(r.tries, 6);
    assert.equal(r.error, undefined);
  });

  test('a PermanentError fails at once', async () => {
    const r = await run(DEFAULT_RETRY_POLICY, () => new PermanentError('telegram sendMessage: 403 bot was blocked by the user'));
    assert.equal(r.tries, 1);
    assert.deepEqual(r.waits, []);
    assert.ok(r.error instanceof PermanentError);
  });

  test("a platform's retry-after is honoured past the backoff cap, up to maxDelayMs", () => {
    const policy = DEFAULT_RETRY_POLICY;
    assert.equal(backoffDelay(1, new TransientError('429', { retryAfterMs: 40_000 }), policy), 40_000);
    assert.equal(backoffDelay(1, new TransientError('429', { retryAfterMs: 600_000 }), policy), policy.maxDelayMs);
  });

  test('a policy without maxBackoffMs caps at maxDelayMs, as before', () => {
    const policy: RetryPolicy = { attempts: 4, baseDelayMs: 20, maxDelayMs: 50 };
    assert.equal(backoffDelay(10, new Error('x'), policy, () => 1), 50);
    assert.equal(minRetrySpanMs(policy), 16 + 32 + 50);
  });
});
