/**
 * A fixed-window rate limiter in Redis, shared by every worker process: the Redis adapter of
 * core's RateLimiter port (memory/rate-limiter.ts is the in-process one).
 */
import type { Redis } from 'ioredis';
import type { RateLimiter } from '../core/ports.ts';

export function createRedisRateLimiter(redis: Redis, opts: { limit: number; windowMs?: number; prefix: string }): RateLimiter {
  const windowMs = opts.windowMs ?? 60_000;
  return {
    async take(key) {
      const window = Math.floor(Date.now() / windowMs);
      const k = `${opts.prefix}:rl:${key}:${window}`;
      const [[, n]] = (await redis.multi().incr(k).pexpire(k, windowMs * 2).exec()) as [[unknown, number], unknown];
      return { allowed: n <= opts.limit, first: n === opts.limit + 1 };
    },
  };
}
