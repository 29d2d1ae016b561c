/**
 * Joins concurrent requests into model runs, for both encoders (the trained one and a
 * pretrained one). Many chats asking at once each want a vector or two; one ONNX run over all of
 * them costs little more than a run over one. Requests made while the first waits for company
 * (`windowMs`, or the rest of the tick), or while a run is in flight, go into the next run; runs
 * never overlap.
 *
 * A run holds at most `maxItems` items, so a large request (indexing a whole knowledge base) is
 * spread over several runs, and `high` priority items (a citizen's question) are taken before
 * `low` ones: a question waits for at most one run of indexing, not for all of it.
 */
import { setTimeout as delay } from 'node:timers/promises';

export type Priority = 'high' | 'low';

export interface MicroBatcherOptions {
  /** Upper bound on items in one run (default 64); a larger request is split over runs. */
  maxItems?: number;
  /** How long the first request of a batch waits for others; 0 (default) means "until the current I/O turn ends". */
  windowMs?: number;
}

export interface MicroBatcher<I, O> {
  /** Resolves with one output per item, in order. */
  submit(items: I[], opts?: { priority?: Priority }): Promise<O[]>;
  /** Runs so far and the items they carried (for tests and metrics). */
  stats(): { runs: number; items: number };
  /** Resolves when nothing is queued or running. */
  drain(): Promise<void>;
  /** Rejects queued requests and refuses new ones; resolves once the run in flight is over. */
  close(): Promise<void>;
}

interface Request<I, O> {
  items: I[];
  outputs: O[];
  /** Items not yet handed to a run. */
  next: number;
  /** Items handed out whose outputs have not come back. */
  pending: number;
  done: boolean;
  resolve(out: O[]): void;
  reject(err: unknown): void;
}

interface Slice<I, O> {
  request: Request<I, O>;
  from: number;
  count: number;
}

/**
 * `run` receives the items gathered for one run and must return one output per item, in
 * order. If it throws, every request with items in that run is rejected (its other items are
 * dropped); other requests go on.
 */
export function createMicroBatcher<I, O>(run: (items: I[]) => Promise<O[]>, opts: MicroBatcherOptions = {}): MicroBatcher<I, O> {
  const maxItems = Math.max(1, opts.maxItems ?? 64);
  const windowMs = Math.max(0, opts.windowMs ?? 0);
  const queues: Record<Priority, Array<Request<I, O>>> = { high: [], low: [] };
  let running: Promise<void> | undefined;
  let closed = false;
  let runs = 0;
  let itemCount = 0;

  function takeSlices(): Array<Slice<I, O>> {
    const slices: Array<Slice<I, O>> = [];
    let room = maxItems;
    for (const priority of ['high', 'low'] as const) {
      const queue = queues[priority];
      while (room > 0 && queue.length > 0) {
        const request = queue[0]!;
        const count = Math.min(room, request.items.length - request.next);
        slices.push({ request, from: request.next, count });
        request.next += count;
        request.pending += count;
        room -= count;
        if (request.next === request.items.length) queue.shift();
      }
    }
    return slices;
  }

  function fail(request: Request<I, O>, err: unknown): void {
    if (request.done) return;
    request.done = true;
    for (const queue of Object.values(queues)) {
      const at = queue.indexOf(request);
      if (at >= 0) queue.splice(at, 1);
    }
    request.reject(err);
  }

  async function runOnce(slices: Array<Slice<I, O>>): Promise<void> {
    const items = slices.flatMap((s) => s.request.items.slice(s.from, s.from + s.count));
    runs++;
    itemCount += items.length;
    try {
      const out = await run(items);
      if (out.length !== items.length) throw new Error(`batch run returned ${out.length} outputs for ${items.length} inputs`);
      let at = 0;
      for (const s of slices) {
        for (let k = 0; k < s.count; k++) s.request.outputs[s.from + k] = out[at++]!;
        s.request.pending -= s.count;
        const r = s.request;
        if (!r.done && r.pending === 0 && r.next === r.items.length) {
          r.done = true;
          r.resolve(r.outputs);
        }
      }
    } catch (err) {
      for (const s of slices) fail(s.request, err);
    }
  }

  async function runQueued(): Promise<void> {
    // Let other callers join the first run: for the window, or for the rest of this tick.
    if (windowMs > 0) await delay(windowMs);
    else await new Promise<void>((r) => setImmediate(r));
    // Whatever arrived during a run goes out at once after it: it has already waited.
    for (let slices = takeSlices(); slices.length > 0; slices = takeSlices()) await runOnce(slices);
  }

  function start(): void {
    if (running) return;
    running = runQueued().finally(() => {
      running = undefined;
      // A request queued between the loop's last check and now still needs a run.
      if (queues.high.length > 0 || queues.low.length > 0) start();
    });
  }

  async function drain(): Promise<void> {
    while (running) await running;
  }

  return {
    submit(items, submitOpts = {}) {
      if (closed) return Promise.reject(new Error('micro-batcher is closed'));
      if (items.length === 0) return Promise.resolve([]);
      return new Promise<O[]>((resolve, reject) => {
        const request: Request<I, O> = { items, outputs: new Array<O>(items.length), next: 0, pending: 0, done: false, resolve, reject };
        queues[submitOpts.priority ?? 'high'].push(request);
        start();
      });
    },
    stats: () => ({ runs, items: itemCount }),
    drain,
    async close() {
      closed = true;
      const err = new Error('micro-batcher closed');
      for (const request of [...queues.high, ...queues.low]) fail(request, err);
      await drain();
    },
  };
}
