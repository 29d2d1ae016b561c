/**
 * How a job is retried. Retries run inside the job rather than through the queue's own delayed
 * retries: a job put aside for later would let the next message of the same chat overtake it,
 * and answers must stay in order. So one chat waits while its message backs off; other chats
 * (other keys or partitions) go on.
 */
import { setTimeout as delay } from 'node:timers/promises';
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
 * citizen told. A PermanentError still fails at once. The chat's later messages wait meanwhile.
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

/** Raised when shutdown interrupts a backoff wait; the queue hands the job back. */
export class RetryAborted extends Error {
  override name = 'RetryAborted';
  constructor(readonly lastError: unknown) {
    super('retry interrupted by shutdown', { cause: lastError });
  }
}

export interface RunOptions {
  policy: RetryPolicy;
  /** Aborted on shutdown: a pending backoff wait ends with {@link RetryAborted}. */
  signal?: AbortSignal;
  /** True when an earlier delivery may already have run part of the job. */
  redelivered?: boolean;
  onRetry?: (info: { attempt: number; delayMs: number; err: unknown }) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Runs `fn` until it succeeds, fails permanently or runs out of tries; rethrows the last error. */
export async function runWithRetry(
  fn: (info: { attempt: number; final: boolean; redelivered: boolean }) => Promise<void>,
  opts: RunOptions,
): Promise<void> {
  const { policy } = opts;
  // Node's timer promise rejects with an AbortError when `signal` aborts (shutdown mid-backoff).
  const sleep = opts.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }));
  for (let attempt = 1; ; attempt++) {
    const final = attempt >= policy.attempts;
    try {
      await fn({ attempt, final, redelivered: (opts.redelivered ?? false) || attempt > 1 });
      return;
    } catch (err) {
      if (final || !isRetryable(err)) throw err;
      const delayMs = backoffDelay(attempt, err, policy);
      opts.onRetry?.({ attempt, delayMs, err });
      try {
        await sleep(delayMs, opts.signal);
      } catch {
        throw new RetryAborted(err);
      }
    }
  }
}
