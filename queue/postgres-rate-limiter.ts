/**
 * A fixed-window rate limiter in Postgres, shared by every worker process when there is no
 * Redis: the Postgres adapter of core's RateLimiter port (redis-rate-limiter.ts on Redis,
 * memory/rate-limiter.ts in one process). One upsert per message; windows two old are deleted
 * now and then rather than on every message.
 */
import type { Sql } from 'postgres';
import type { RateLimiter } from '../core/ports.ts';

export interface PostgresRateLimiterOptions {
  limit: number;
  windowMs?: number;
  /** KOMEK_QUEUE_PREFIX: deployments sharing a database count apart. */
  prefix: string;
  now?: () => number;
}

export function createPostgresRateLimiter(sql: Sql, opts: PostgresRateLimiterOptions): RateLimiter {
  const windowMs = opts.windowMs ?? 60_000;
  const now = opts.now ?? Date.now;
  let prunedWindow = -1;
  return {
    async take(key) {
      const window = Math.floor(now() / windowMs);
      const [row] = await sql.unsafe<{ count: number }[]>(
        `insert into rate_limit_counts (key, "window", count) values ($1, $2, 1)
         on conflict (key, "window") do update set count = rate_limit_counts.count + 1 returning count`,
        [`${opts.prefix}:${key}`, window],
        { prepare: true },
      );
      if (window !== prunedWindow) {
        prunedWindow = window;
        // Litter only: a failed prune must not refuse the citizen.
        sql.unsafe('delete from rate_limit_counts where starts_with(key, $1) and "window" < $2', [`${opts.prefix}:`, window - 1]).catch(() => {});
      }
      const n = row!.count;
      return { allowed: n <= opts.limit, first: n === opts.limit + 1 };
    },
  };
}
