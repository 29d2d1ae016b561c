/**
 * The in-process queue of the embedded default (no REDIS_URL): the same port and semantics as the
 * BullMQ queue — per-key order, parallel keys, dedupe by id, retries with backoff, failed jobs
 * kept — without a server. Jobs live in memory, so it serves one process (`komek start`); a
 * graceful shutdown drains every job it holds.
 */
import type { FailedJob, JobInfo, Logger, MessageQueue, QueueConsumer } from '../core/ports.ts';
import { QueueFullError } from '../queue/backpressure.ts';
import { describeError as describe, jobLogFields } from '../queue/job-log.ts';
import { DEFAULT_RETRY_POLICY, RetryAborted, runWithRetry, type RetryPolicy } from '../queue/retry-policy.ts';

export interface MemoryQueueOptions {
  name: string;
  logger: Logger;
  policy?: RetryPolicy;
  /** How many finished job ids are remembered for dedupe (oldest forgotten first). */
  rememberIds?: number;
  /** How long `close()` waits for the jobs it still holds before giving up on them. */
  drainTimeoutMs?: number;
  /**
   * Waiting jobs held at most; `add` refuses more with a {@link QueueFullError}. The jobs live in
   * this process's memory, so the backlog must have a bound even if a caller ignores the gate.
   */
  maxDepth?: number;
}

interface Job<T> {
  id: string;
  key: string;
  data: T;
}

type Handler<T> = (data: T, info: JobInfo) => Promise<void>;

/** Creates an in-process {@link MessageQueue}. */
export function createMemoryQueue<T>(opts: MemoryQueueOptions): MessageQueue<T> {
  const policy = opts.policy ?? DEFAULT_RETRY_POLICY;
  const remember = opts.rememberIds ?? 50_000;
  const known = new Set<string>();
  const pending = new Map<string, Job<T>[]>();
  const activeKeys = new Set<string>();
  const failed = new Map<string, FailedJob & { key: string }>();
  const idle: (() => void)[] = [];
  const abort = new AbortController();
  let handler: Handler<T> | undefined;
  let concurrency = 1;
  let running = 0;
  /** Jobs in `pending`, kept as a count so that `depth` and the bound are O(1). */
  let waiting = 0;
  let accepting = true;
  let consuming = false;
  let closed: Promise<void> | undefined;

  function rememberId(id: string): void {
    known.add(id);
    if (known.size > remember) known.delete(known.values().next().value as string);
  }

  function enqueue(job: Job<T>): void {
    const list = pending.get(job.key) ?? [];
    list.push(job);
    pending.set(job.key, list);
    waiting++;
    pump();
  }

  /** Starts jobs of keys that are not busy, oldest key first, up to the concurrency. */
  function pump(): void {
    if (!handler || !consuming) return;
    for (const [key, list] of pending) {
      if (running >= concurrency) return;
      if (activeKeys.has(key)) continue;
      const job = list.shift()!;
      waiting--;
      if (list.length === 0) pending.delete(key);
      void run(job, handler);
    }
  }

  async function run(job: Job<T>, fn: Handler<T>): Promise<void> {
    running++;
    activeKeys.add(job.key);
    let attempts = 0;
    try {
      await runWithRetry(
        (info) => {
          attempts = info.attempt;
          return fn(job.data, { id: job.id, ...info });
        },
        {
          policy,
          signal: abort.signal,
          onRetry: ({ attempt, delayMs, err }) =>
            opts.logger.warn({ queue: opts.name, ...jobLogFields(job.id, job.data), attempt, delayMs, err: describe(err) }, 'job failed, retrying'),
        },
      );
    } catch (err) {
      const reason = err instanceof RetryAborted ? describe(err.lastError) : describe(err);
      failed.set(job.id, { id: job.id, key: job.key, queue: opts.name, data: job.data, reason, attempts, failedAt: new Date() });
      opts.logger.error({ queue: opts.name, ...jobLogFields(job.id, job.data), attempts, err: reason }, 'job failed');
    } finally {
      running--;
      activeKeys.delete(job.key);
      pump();
      if (running === 0 && pending.size === 0) idle.splice(0).forEach((f) => f());
    }
  }

  function drained(timeoutMs: number): Promise<void> {
    if (running === 0 && pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        opts.logger.warn({ queue: opts.name, running, pending: pending.size }, 'drain timed out; jobs still held are dropped');
        abort.abort();
        resolve();
      }, timeoutMs);
      idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  return {
    name: opts.name,
    async add(data, { id, key }) {
      if (!accepting) throw new Error(`queue ${opts.name} is closed`);
      if (known.has(id)) return;
      if (opts.maxDepth !== undefined && waiting >= opts.maxDepth) {
        // Not remembered: the same id must be accepted once there is room.
        throw new QueueFullError(`queue ${opts.name} holds ${waiting} waiting jobs (at most ${opts.maxDepth})`, 5_000);
      }
      rememberId(id);
      enqueue({ id, key, data });
    },
    process(fn, popts = {}): QueueConsumer {
      if (handler) throw new Error(`queue ${opts.name} already has a consumer`);
      handler = fn;
      concurrency = Math.max(1, popts.concurrency ?? 1);
      consuming = true;
      pump();
      let stopping: Promise<void> | undefined;
      return {
        close: () =>
          (stopping ??= (async () => {
            // Nothing else holds these jobs, so "hand back" means finish them here.
            await drained(opts.drainTimeoutMs ?? 30_000);
            consuming = false;
          })()),
      };
    },
    async depth() {
      return waiting;
    },
    async failed({ limit = 100 } = {}) {
      return [...failed.values()].slice(-limit).map(({ key: _key, ...job }) => job);
    },
    async retry(id) {
      const jobs = id ? [failed.get(id)].filter((j) => j !== undefined) : [...failed.values()];
      for (const job of jobs) {
        failed.delete(job.id);
        enqueue({ id: job.id, key: job.key, data: job.data as T });
      }
      return jobs.length;
    },
    close: () =>
      (closed ??= (async () => {
        accepting = false;
        if (consuming) await drained(opts.drainTimeoutMs ?? 30_000);
        consuming = false;
      })()),
  };
}
