/**
 * Slows down password guessing: each login attempt for one username from one address is counted
 * before the password is checked, and once more than `maxAttempts` were made within `windowMs`
 * (counted from the first) the pair is refused until the window has passed; a successful login
 * forgets the pair. Counting before checking means a burst of parallel guesses is counted in
 * full, not only the ones whose failure was recorded before the next one was let in. The count
 * lives in the database, so every console process behind a load balancer shares one allowance
 * instead of each granting its own. Every call touches the database and rejects when it cannot:
 * the login route then fails rather than letting a password through unthrottled.
 */
import type { Clock } from '../core/ports.ts';
import type { LoginFailures } from '../db/login-failures.ts';

export interface LoginThrottleOptions {
  /** Attempts allowed per window; a success resets the count (default 5). */
  maxAttempts?: number;
  windowMs?: number;
}

export function createLoginThrottle(failures: LoginFailures, clock: Clock, opts: LoginThrottleOptions = {}) {
  const maxAttempts = opts.maxAttempts ?? 5;
  // Every process on one database should use the same window: each prunes by its own.
  const windowMs = opts.windowMs ?? 15 * 60_000;
  // JSON keeps the pair unambiguous whatever a username contains (Postgres text cannot hold \0).
  const key = (username: string, ip: string) => JSON.stringify([username.toLowerCase(), ip]);

  return {
    /**
     * Counts one attempt of the pair; returns 0 when it may go ahead, else the milliseconds until
     * the pair may try again. Also drops ended windows, so random usernames cannot pile up.
     */
    async attempt(username: string, ip: string): Promise<number> {
      const now = clock.now();
      const windowStart = new Date(now.getTime() - windowMs);
      const counted = await failures.record(key(username, ip), now, windowStart);
      await failures.pruneEnded(windowStart);
      if (counted.failures <= maxAttempts) return 0;
      // At most one window even when the process that started it has a clock running ahead.
      return Math.min(windowMs, Math.max(1, counted.firstAt.getTime() + windowMs - now.getTime()));
    },
    async succeeded(username: string, ip: string): Promise<void> {
      await failures.clear(key(username, ip));
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
