/**
 * Joins concurrent requests into one model run. Many chats asking at once each want a few
 * vectors; one ONNX run over all of them costs little more than a run over one. Requests made
 * in the same tick, or while a run is in flight, go into the next run; runs never overlap.
 */

interface Pending<I, O> {
  items: I[];
  resolve(out: O[]): void;
  reject(err: unknown): void;
}

export interface MicroBatcher<I, O> {
  /** Resolves with one output per item, in order. */
  submit(items: I[]): Promise<O[]>;
  /** Resolves when nothing is queued or running. */
  drain(): Promise<void>;
}

/**
 * `run` receives the items of every request gathered for one run and must return one output
 * per item, in order. If it throws, every request of that run is rejected with the error; later
 * requests still run.
 */
export function createMicroBatcher<I, O>(run: (items: I[]) => Promise<O[]>): MicroBatcher<I, O> {
  let queue: Array<Pending<I, O>> = [];
  let running: Promise<void> | undefined;

  async function runQueued(): Promise<void> {
    // Let the rest of this tick's callers join the batch.
    await new Promise<void>((r) => setImmediate(r));
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      const items = batch.flatMap((p) => p.items);
      try {
        const out = await run(items);
        if (out.length !== items.length) throw new Error(`batch run returned ${out.length} outputs for ${items.length} inputs`);
        let at = 0;
        for (const p of batch) {
          p.resolve(out.slice(at, at + p.items.length));
          at += p.items.length;
        }
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
  }

  function start(): void {
    if (running) return;
    running = runQueued().finally(() => {
      running = undefined;
      // A request queued between the loop's last check and now still needs a run.
      if (queue.length > 0) start();
    });
  }

  return {
    submit(items) {
      if (items.length === 0) return Promise.resolve([]);
      return new Promise<O[]>((resolve, reject) => {
        queue.push({ items, resolve, reject });
        start();
      });
    },
    async drain() {
      while (running) await running;
    },
  };
}
