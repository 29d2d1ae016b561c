/** The Redis rate limiter: a fixed window per key, shared by every client of the same Redis. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { createRedisRateLimiter } from '../../queue/redis-rate-limiter.ts';
import { dropPrefix, redisAvailable, REDIS_TEST_URL } from './queue-redis.ts';

const available = await redisAvailable();

test('Redis rate limiter: the limit per window, the first refusal marked, the counter expiring', { skip: available ? false : 'no Redis' }, async () => {
  const a = new Redis(REDIS_TEST_URL);
  const b = new Redis(REDIS_TEST_URL);
  const prefix = `komek-rl-${randomBytes(4).toString('hex')}`;
  // A window of an hour: the test never crosses into the next one.
  const opts = { limit: 2, windowMs: 3_600_000, prefix };
  try {
    const one = createRedisRateLimiter(a, opts);
    const other = createRedisRateLimiter(b, opts);
    assert.deepEqual(await one.take('telegram:1'), { allowed: true, first: false });
    // Another worker process counts against the same window.
    assert.deepEqual(await other.take('telegram:1'), { allowed: true, first: false });
    assert.deepEqual(await one.take('telegram:1'), { allowed: false, first: true });
    assert.deepEqual(await other.take('telegram:1'), { allowed: false, first: false });
    assert.deepEqual(await one.take('telegram:2'), { allowed: true, first: false });
    const [key] = await a.keys(`${prefix}:rl:telegram:1:*`);
    const ttl = await a.pttl(key!);
    assert.ok(ttl > 3_600_000 && ttl <= 7_200_000, `the counter outlives its window, then expires (pttl ${ttl})`);
  } finally {
    await dropPrefix(prefix);
    a.disconnect();
    b.disconnect();
  }
});
