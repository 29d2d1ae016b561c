/**
 * Paces outgoing messages like a person would send them. WhatsApp bans numbers that flood, so
 * sends go out one at a time, at least `minDelayMs` (+ random jitter) apart, and no chat gets more
 * than `perChatPerMinute` in a rolling minute.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { TransientError } from '../../core/errors.ts';
import type { Clock } from '../../core/ports.ts';

export interface PacingOptions {
  /** Least time between two sends of the number, any chats. */
  minDelayMs: number;
  /** Up to this much is added at random to each gap, so the rhythm does not look scripted. */
  jitterMs: number;
  /** Most sends to one chat in any 60 s. */
  perChatPerMinute: number;
}

export const DEFAULT_PACING: PacingOptions = { minDelayMs: 1_000, jitterMs: 1_500, perChatPerMinute: 12 };

/** Waits `ms`; resolves early (never rejects) when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface Pacer {
  /**
   * Runs `send` in its turn. Over the per-chat limit it throws a TransientError whose
   * `retryAfterMs` says when a slot frees, so the queue waits instead of holding every other
   * chat's messages behind this one.
   */
  run<T>(chatId: string, send: () => Promise<T>): Promise<T>;
}

const WINDOW_MS = 60_000;

export function createPacer(opts: PacingOptions & { clock: Clock; sleep: Sleep; random?: () => number }): Pacer {
  const random = opts.random ?? Math.random;
  const sentAt = new Map<string, number[]>();
  let nextAt = 0;
  let tail: Promise<unknown> = Promise.resolve();

  function recent(chatId: string, now: number): number[] {
    const kept = (sentAt.get(chatId) ?? []).filter((t) => t > now - WINDOW_MS);
    if (kept.length === 0) sentAt.delete(chatId);
    else sentAt.set(chatId, kept);
    return kept;
  }

  function sweep(now: number): void {
    // Keeps the map to the chats of the last minute; cheap enough to do now and then.
    if (sentAt.size < 1_000) return;
    for (const chatId of [...sentAt.keys()]) recent(chatId, now);
  }

  async function turn<T>(chatId: string, send: () => Promise<T>): Promise<T> {
    const wait = nextAt - opts.clock.now().getTime();
    if (wait > 0) await opts.sleep(wait);
    const now = opts.clock.now().getTime();
    sweep(now);
    const times = recent(chatId, now);
    if (times.length >= opts.perChatPerMinute) {
      const retryAfterMs = Math.max(1, times[0]! + WINDOW_MS - now);
      throw new TransientError('WhatsApp per-chat send limit reached', { retryAfterMs });
    }
    sentAt.set(chatId, [...times, now]);
    nextAt = now + opts.minDelayMs + Math.floor(random() * opts.jitterMs);
    return send();
  }

  return {
    run(chatId, send) {
      const result = tail.then(() => turn(chatId, send));
      // The next send waits for this one to finish (or fail), never for its outcome.
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

/**
 * Real-time sleep that an AbortSignal cuts short (stop() aborts a pending reconnect wait): it
 * resolves then rather than rejects, since a stopping adapter just wants the wait over.
 */
export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined);
