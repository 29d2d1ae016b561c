/**
 * The queue depth gauge (`komek_queue_depth{queue}`), read when Prometheus scrapes: prom-client
 * calls a gauge's `collect` before reporting it. The gauge is declared with the other metrics,
 * before any queue exists, so the runtime attaches the callback once its queues run.
 */
import type { Logger, MessageQueue } from '../core/ports.ts';

export interface DepthGauge {
  set(labels: { queue: string }, value: number): void;
  collect?: () => void | Promise<void>;
}

export interface DepthMetricOptions {
  logger: Logger;
  /** A scrape must not hang on an unreachable Redis; the last value stays until it answers. */
  timeoutMs?: number;
}

/** Makes `gauge` report the depth of `queues` on every scrape; returns a detach function. */
export function observeQueueDepth(gauge: DepthGauge, queues: Pick<MessageQueue<unknown>, 'name' | 'depth'>[], opts: DepthMetricOptions): () => void {
  const timeoutMs = opts.timeoutMs ?? 1_000;
  const previous = gauge.collect;
  gauge.collect = async function collectQueueDepth() {
    await Promise.all(
      queues.map(async (q) => {
        try {
          gauge.set({ queue: q.name }, await withTimeout(q.depth(), timeoutMs));
        } catch (err) {
          opts.logger.debug({ queue: q.name, err: (err as Error).message }, 'could not read the queue depth for metrics');
        }
      }),
    );
  };
  return () => void (gauge.collect = previous);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
