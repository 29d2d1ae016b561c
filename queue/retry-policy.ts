/**
 * How a job is retried: which failures are tried again, and how long to wait before each try.
 * The waiting itself is the queue's: a job that must wait is put aside with its chat held
 * (see chat-holds.ts), so its chat's later messages wait behind it, in order, while the worker
 * goes on with other chats. Waiting inside the job, as Kömek once did, kept the worker — and
 * with BullMQ every chat of the partition — waiting too.
 */
import { PermanentError, TransientError } from '../core/errors.ts';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Delay before the second try; doubles each time. */
  baseDelayMs: number;
  /** No single wait is longer than this, whatever a platform asks for. */
  maxDelayMs: number;
  /**
   * Where the doubling stops (defaults to `maxDelayMs`). Kept below `maxDelayMs` so that a
   * platform's longer `retry_after` is still honoured while our own waits stay short enough to
   * notice a recovered database quickly.
   */
  maxBackoffMs?: number;
}

/**
 * Transient failures are mostly infrastructure: Postgres restarting or failing over, Redis
 * reconnecting, a platform's 5xx. Those last tens of seconds to a couple of minutes, so the
 * default keeps trying for more than two minutes (waits of 0.5, 1, 2, 4, 8, then 15 s each; about
 * 135 s nominal, 130 s at least, see {@link minRetrySpanMs}) before a message is given up and the
 * citizen told. A PermanentError still fails at once. The chat's later messages wait meanwhile;
 * other chats do not.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 14, baseDelayMs: 500, maxBackoffMs: 15_000, maxDelayMs: 60_000 };

/** Lowest jitter factor of {@link backoffDelay}. */
const JITTER_LOW = 0.8;

/** Bad input does not get better by trying again; anything else might. */
export function isRetryable(err: unknown): boolean {
  return !(err instanceof PermanentError);
}

/**
 * Wait before try `attempt + 1` after `err`: the platform's `retryAfterMs` when it named one,
 * else exponential backoff with a little jitter so that many chats do not retry in lockstep.
 */
export function backoffDelay(attempt: number, err: unknown, policy: RetryPolicy, random: () => number = Math.random): number {
  if (err instanceof TransientError && err.retryAfterMs !== undefined) return Math.min(err.retryAfterMs, policy.maxDelayMs);
  const exp = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(backoffCap(policy), Math.round(exp * (JITTER_LOW + 0.4 * random())));
}

function backoffCap(policy: RetryPolicy): number {
  return Math.min(policy.maxBackoffMs ?? policy.maxDelayMs, policy.maxDelayMs);
}

/**
 * The shortest time a job that keeps failing transiently (with no platform-named wait) is
 * retried for: the sum of every wait at the low end of the jitter.
 */
export function minRetrySpanMs(policy: RetryPolicy): number {
  let total = 0;
  for (let attempt = 1; attempt < policy.attempts; attempt++) {
    total += Math.min(backoffCap(policy), Math.round(policy.baseDelayMs * 2 ** (attempt - 1) * JITTER_LOW));
  }
  return total;
}

/** What to do after a failed try: wait `delayMs` and try again, or give up. */
export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * After try `attempt` (1 for the first) failed with `err`: a permanent failure or the last try
 * gives up, anything else waits {@link backoffDelay} and tries again.
 */
export function decideRetry(attempt: number, err: unknown, policy: RetryPolicy, random: () => number = Math.random): RetryDecision {
  if (isFinalAttempt(attempt, policy) || !isRetryable(err)) return { retry: false };
  return { retry: true, delayMs: backoffDelay(attempt, err, policy, random) };
}

/** True when try `attempt` is the last one the policy allows: a failure now is final. */
export function isFinalAttempt(attempt: number, policy: RetryPolicy): boolean {
  return attempt >= policy.attempts;
}
