/**
 * A fixed-window rate limiter in Redis, shared by every worker process: the Redis adapter of
 * core's RateLimiter port (memory/rate-limiter.ts is the in-process one).
 */
import type { Redis } from 'ioredis';
import type { RateLimiter } from '../core/ports.ts';

// KEYS[1] the window's counter, ARGV[1] its lifetime in ms. The counter expires two windows
// after its first take, well after its own window ends; one script is one command for Redis to
// parse and run, where MULTI, INCR, PEXPIRE and EXEC were four.
const TAKE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

export function createRedisRateLimiter(redis: Redis, opts: { limit: number; windowMs?: number; prefix: string }): RateLimiter {
  const windowMs = opts.windowMs ?? 60_000;
  return {
    async take(key) {
      const window = Math.floor(Date.now() / windowMs);
      const n = Number(await redis.eval(TAKE, 1, `${opts.prefix}:rl:${key}:${window}`, windowMs * 2));
      return { allowed: n <= opts.limit, first: n === opts.limit + 1 };
    },
  };
}
