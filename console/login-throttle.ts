/**
 * Slows down password guessing: after `maxFailures` wrong passwords for one username from one
 * address within `windowMs`, that pair is refused until the window has passed. Kept in memory:
 * each console process counts on its own, which bounds guessing to a small multiple per process.
 */
import type { Clock } from '../core/ports.ts';

export interface LoginThrottleOptions {
  maxFailures?: number;
  windowMs?: number;
  /** Upper bound on tracked pairs, so a flood of random usernames cannot grow memory forever. */
  maxTracked?: number;
}

interface Attempts {
  failures: number;
  firstAt: number;
}

export function createLoginThrottle(clock: Clock, opts: LoginThrottleOptions = {}) {
  const maxFailures = opts.maxFailures ?? 5;
  const windowMs = opts.windowMs ?? 15 * 60_000;
  const maxTracked = opts.maxTracked ?? 10_000;
  const attempts = new Map<string, Attempts>();
  const key = (username: string, ip: string) => `${username.toLowerCase()}\u0000${ip}`;

  function current(k: string): Attempts | undefined {
    const a = attempts.get(k);
    if (a && clock.now().getTime() - a.firstAt >= windowMs) {
      attempts.delete(k);
      return undefined;
    }
    return a;
  }

  return {
    /** Milliseconds until the pair may try again; 0 when it may try now. */
    retryAfterMs(username: string, ip: string): number {
      const a = current(key(username, ip));
      if (!a || a.failures < maxFailures) return 0;
      return Math.max(1, a.firstAt + windowMs - clock.now().getTime());
    },
    failed(username: string, ip: string): void {
      const k = key(username, ip);
      const a = current(k);
      if (a) a.failures++;
      else {
        if (attempts.size >= maxTracked) attempts.delete(attempts.keys().next().value!);
        attempts.set(k, { failures: 1, firstAt: clock.now().getTime() });
      }
    },
    succeeded(username: string, ip: string): void {
      attempts.delete(key(username, ip));
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
