/**
 * Backpressure: when more messages wait in the queues than a configured high-water mark, intake
 * stops taking new ones instead of letting the backlog (Redis memory, or this process's heap
 * for the in-process queue) grow without bound. Each channel reacts in its own way: the
 * Telegram poller stops fetching (updates wait at Telegram), the web chat answers 503 with
 * Retry-After (the page retries), other adapters get a {@link QueueFullError} from the sink.
 *
 * Reading the depth costs a round trip per partition on BullMQ, so a reading is trusted for
 * `refreshMs`, and messages accepted meanwhile are added to it: a burst inside one refresh
 * window cannot overshoot the mark by more than the adapters' in-flight pushes.
 */
import { TransientError } from '../core/errors.ts';
import type { Logger, MessageQueue } from '../core/ports.ts';

/** Raised when a message is refused because the queue is over its high-water mark. */
export class QueueFullError extends TransientError {
  override name = 'QueueFullError';
  constructor(message: string, retryAfterMs: number) {
    super(message, { retryAfterMs });
  }
}

export interface BackpressureOptions {
  /** Queues whose waiting jobs add up to the backlog. */
  queues: Pick<MessageQueue<unknown>, 'depth' | 'name'>[];
  highWater: number;
  logger: Logger;
  /** How long one depth reading is trusted. */
  refreshMs?: number;
  /** What refused senders are told to wait. */
  retryAfterMs?: number;
  now?: () => number;
}

export interface Backpressure {
  /** True while the backlog is at or above the high-water mark. */
  saturated(): Promise<boolean>;
  /** Counts one accepted message until the next reading. */
  accepted(): void;
  readonly highWater: number;
  readonly retryAfterMs: number;
}

/** A gate over `queues`' backlog. */
export function createBackpressure(opts: BackpressureOptions): Backpressure {
  const refreshMs = opts.refreshMs ?? 500;
  const now = opts.now ?? Date.now;
  let readAt = -Infinity;
  let estimate = 0;
  let reading: Promise<void> | undefined;
  let over = false;

  async function read(): Promise<void> {
    try {
      const depths = await Promise.all(opts.queues.map((q) => q.depth()));
      estimate = depths.reduce((a, b) => a + b, 0);
      readAt = now();
    } catch (err) {
      // Keep the last estimate: if the queue cannot be read, adding to it fails anyway.
      opts.logger.debug({ err: (err as Error).message }, 'could not read the queue depth');
      readAt = now();
    }
  }

  return {
    highWater: opts.highWater,
    retryAfterMs: opts.retryAfterMs ?? 5_000,
    async saturated() {
      if (now() - readAt >= refreshMs) await (reading ??= read().finally(() => (reading = undefined)));
      const full = estimate >= opts.highWater;
      if (full !== over) {
        over = full;
        if (full) opts.logger.warn({ depth: estimate, highWater: opts.highWater }, 'queue above its high-water mark; intake paused');
        else opts.logger.info({ depth: estimate, highWater: opts.highWater }, 'queue below its high-water mark; intake resumed');
      }
      return full;
    },
    accepted() {
      estimate++;
    },
  };
}
