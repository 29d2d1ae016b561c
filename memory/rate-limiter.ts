/**
 * A fixed-window rate limiter in memory, for one process (the embedded default and tests).
 * Several worker processes share a Redis-backed limiter instead.
 */
import type { Clock, RateLimiter } from '../core/ports.ts';

export function createMemoryRateLimiter(opts: { limit: number; windowMs?: number; clock: Clock }): RateLimiter {
  const windowMs = opts.windowMs ?? 60_000;
  const counts = new Map<string, { window: number; n: number }>();
  return {
    async take(key) {
      const window = Math.floor(opts.clock.now().getTime() / windowMs);
      const cur = counts.get(key);
      const entry = cur && cur.window === window ? cur : { window, n: 0 };
      entry.n++;
      counts.set(key, entry);
      if (counts.size > 100_000) for (const [k, v] of counts) if (v.window !== window) counts.delete(k);
      return { allowed: entry.n <= opts.limit, first: entry.n === opts.limit + 1 };
    },
  };
}
