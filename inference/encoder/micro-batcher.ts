/**
 * Merges concurrent requests into one run. A request waits at most `windowMs` for company, or
 * for the run in flight to finish; then everything queued goes out together (up to `maxItems`
 * items per run). Results are split back in request order.
 */

export interface MicroBatcherOptions {
  /** How long the first request of a batch waits for others; 0 means "until the current I/O turn ends". */
  windowMs: number;
  /** Upper bound on items in one run (requests are never split). */
  maxItems: number;
}

export interface MicroBatcher<I, O> {
  submit(items: I[]): Promise<O[]>;
  /** Runs so far and items they carried (for tests and metrics). */
  stats(): { runs: number; items: number };
  /** Rejects queued requests and refuses new ones; waits for the run in flight. */
  close(): Promise<void>;
}

interface Pending<I, O> {
  items: I[];
  resolve: (out: O[]) => void;
  reject: (err: unknown) => void;
}

export function createMicroBatcher<I, O>(run: (items: I[]) => Promise<O[]>, opts: MicroBatcherOptions): MicroBatcher<I, O> {
  const queue: Pending<I, O>[] = [];
  let inFlight: Promise<void> | null = null;
  let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  let closed = false;
  let runs = 0;
  let itemCount = 0;

  function schedule(): void {
    if (timer || inFlight || queue.length === 0) return;
    timer = opts.windowMs > 0 ? setTimeout(flush, opts.windowMs) : setImmediate(flush);
  }

  function take(): Pending<I, O>[] {
    const batch: Pending<I, O>[] = [];
    let n = 0;
    while (queue.length > 0) {
      const next = queue[0]!;
      if (batch.length > 0 && n + next.items.length > opts.maxItems) break;
      batch.push(queue.shift()!);
      n += next.items.length;
    }
    return batch;
  }

  function flush(): void {
    timer = null;
    if (inFlight || queue.length === 0) return;
    const batch = take();
    const items = batch.flatMap((p) => p.items);
    runs++;
    itemCount += items.length;
    inFlight = run(items)
      .then(
        function deliver(out) {
          let at = 0;
          for (const p of batch) {
            p.resolve(out.slice(at, at + p.items.length));
            at += p.items.length;
          }
        },
        function fail(err: unknown) {
          for (const p of batch) p.reject(err);
        },
      )
      .finally(function next() {
        inFlight = null;
        // Whatever arrived during the run goes out at once: it has already waited.
        if (queue.length > 0) flush();
      });
  }

  return {
    submit(items) {
      if (closed) return Promise.reject(new Error('micro-batcher is closed'));
      if (items.length === 0) return Promise.resolve([]);
      return new Promise<O[]>((resolve, reject) => {
        queue.push({ items, resolve, reject });
        schedule();
      });
    },
    stats: () => ({ runs, items: itemCount }),
    async close() {
      closed = true;
      if (timer) {
        clearTimeout(timer as NodeJS.Timeout);
        clearImmediate(timer as NodeJS.Immediate);
        timer = null;
      }
      for (const p of queue.splice(0)) p.reject(new Error('micro-batcher closed'));
      await inFlight;
    },
  };
}
