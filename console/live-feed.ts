/**
 * Live updates for every open console, across processes: workers in other processes write to
 * Postgres, so one poller per console process reads new rows of `messages` (every transition
 * appends one) and fans each change out to the connected browsers. In-process events only make
 * the next poll happen at once, which is what keeps the embedded single-process mode instant.
 */
import type { ConversationEvent, ConversationEvents, Logger } from '../core/ports.ts';
import type { FeedChange, OperatorQueue } from '../db/operator-queue.ts';

export interface LiveFeedOptions {
  queue: Pick<OperatorQueue, 'changesSince' | 'latestMessageId'>;
  logger: Logger;
  /** How often to look for changes while someone is listening. */
  pollMs?: number;
}

export type FeedListener = (change: FeedChange) => void;

export function createLiveFeed(opts: LiveFeedOptions) {
  const pollMs = opts.pollMs ?? 1000;
  const listeners = new Set<FeedListener>();
  const seen = new Set<number>();
  let cursor: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  async function pollOnce(): Promise<void> {
    if (cursor === undefined) {
      // Start from now: what happened before the first listener is in the queue it loads.
      cursor = await opts.queue.latestMessageId();
      for (const c of await opts.queue.changesSince(cursor)) seen.add(c.messageId);
      return;
    }
    const changes = await opts.queue.changesSince(cursor);
    for (const change of changes) {
      if (seen.has(change.messageId)) continue;
      seen.add(change.messageId);
      cursor = Math.max(cursor, change.messageId);
      for (const listener of listeners) {
        try {
          listener(change);
        } catch (err) {
          opts.logger.warn({ err: { message: (err as Error).message } }, 'live listener failed');
        }
      }
    }
    for (const id of seen) if (id < cursor - 1000) seen.delete(id);
  }

  /** Runs one poll, or queues one more after the running one, never two at once. */
  function poll(): Promise<void> {
    if (closed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = pollOnce()
      .catch((err: Error) => opts.logger.warn({ err: { message: err.message } }, 'live feed poll failed'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          void poll();
        }
      });
    return running;
  }

  function schedule(): void {
    if (timer || closed || listeners.size === 0) return;
    timer = setInterval(() => void poll(), pollMs);
    timer.unref();
  }

  return {
    /** Starts delivering changes to `listener`; returns the unsubscribe function. */
    subscribe(listener: FeedListener): () => void {
      listeners.add(listener);
      schedule();
      void poll();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    /** Wire the pipeline's events here so a same-process change shows without waiting a tick. */
    events: {
      emit(_event: ConversationEvent) {
        if (listeners.size > 0) void poll();
      },
    } satisfies ConversationEvents,
    poll,
    listenerCount: () => listeners.size,
    async close(): Promise<void> {
      closed = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      listeners.clear();
      await running;
    },
  };
}

export type LiveFeed = ReturnType<typeof createLiveFeed>;
