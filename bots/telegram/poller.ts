/**
 * Long polling that confirms an update to Telegram only after it was handed on. Telegram keeps
 * an update until a later getUpdates names a higher offset; @grammyjs/runner confirms a batch
 * as soon as it is fetched, so a crash between fetch and enqueue would lose it. Here the offset
 * moves past an update only once `onUpdate` resolved (the update is in the queue), and updates
 * are handed on one at a time so a chat's messages enter the queue in order. Enqueueing is fast
 * (one Redis round trip), the parallel work happens in the workers.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../../core/ports.ts';
import { GrammyError } from 'grammy';

export interface PollerOptions {
  api: Api;
  onUpdate(update: Update): Promise<void>;
  logger: Logger;
  /** Long-poll timeout in seconds. */
  timeoutSeconds?: number;
  /** Pause after an empty answer that came back at once (servers that do not long-poll). */
  idleDelayMs?: number;
  maxBackoffMs?: number;
  /**
   * Backpressure: while this answers true no updates are fetched, so they wait at Telegram
   * (which keeps them for 24 hours) instead of in our queue; checked again every `holdMs`.
   */
  holdWhile?: () => Promise<boolean>;
  holdMs?: number;
}

export interface Poller {
  start(): void;
  /** Ends the current long poll and waits for the update being handed on. Idempotent. */
  stop(): Promise<void>;
}

export function createPoller(opts: PollerOptions): Poller {
  const abort = new AbortController();
  let loop: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;
  const idle = opts.idleDelayMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;

  async function run(): Promise<void> {
    let offset = 0;
    let backoff = 500;
    while (!abort.signal.aborted) {
      if (await holding()) {
        await pause(opts.holdMs ?? 1_000);
        continue;
      }
      let updates: Update[];
      const began = Date.now();
      try {
        updates = await opts.api.getUpdates(
          { offset, limit: 100, timeout: opts.timeoutSeconds ?? 30, allowed_updates: ['message', 'callback_query'] },
          // grammY types its signal with the abort-controller polyfill; the runtime one is the same shape.
          abort.signal as never,
        );
      } catch (err) {
        if (abort.signal.aborted) return;
        if (err instanceof GrammyError && err.error_code === 401) {
          opts.logger.error({ err: err.description }, 'telegram rejected the bot token; polling stopped');
          return;
        }
        opts.logger.warn({ err: (err as Error).message, backoffMs: backoff }, 'telegram getUpdates failed');
        await pause(backoff);
        backoff = Math.min(backoff * 2, maxBackoff);
        continue;
      }
      backoff = 500;
      for (const update of updates) {
        try {
          await opts.onUpdate(update);
        } catch (err) {
          // Not confirmed: Telegram sends it (and what follows) again on the next poll.
          opts.logger.error({ err: (err as Error).message, updateId: update.update_id }, 'could not enqueue an update; will refetch');
          await pause(backoff);
          break;
        }
        offset = update.update_id + 1;
      }
      if (updates.length === 0 && Date.now() - began < 200) await pause(idle);
    }
  }

  async function holding(): Promise<boolean> {
    if (!opts.holdWhile) return false;
    try {
      return await opts.holdWhile();
    } catch (err) {
      // The queue cannot be read; fetching goes on and a failed enqueue leaves updates at Telegram.
      opts.logger.debug({ err: (err as Error).message }, 'backpressure check failed');
      return false;
    }
  }

  /** A wait that stop() cuts short; it resolves then, so the loop sees `stopped` and ends. */
  function pause(ms: number): Promise<void> {
    return delay(ms, undefined, { signal: abort.signal }).catch(() => undefined);
  }

  return {
    start() {
      loop ??= run().catch((err) => opts.logger.error({ err: (err as Error).message }, 'telegram polling crashed'));
    },
    stop: () =>
      (stopped ??= (async () => {
        abort.abort();
        await loop;
      })()),
  };
}
