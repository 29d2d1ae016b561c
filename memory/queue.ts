/**
 * The in-process queue of the embedded default (no REDIS_URL), behind the same port as the BullMQ
 * queue (queue/bullmq-queue.ts) without a server: jobs of one key run one at a time in the order
 * added, dedupe by id, retries with backoff, failed jobs kept. A job that backs off releases its
 * worker slot and holds only its own key: the key's later jobs wait behind it, in order, while
 * other keys go on — as with BullMQ's chat holds (queue/chat-holds.ts). The queue contract
 * (test/integration/queue-contract.ts) runs against both.
 *
 * What differs from BullMQ, and why it is allowed to:
 * - Order is kept per key, not per partition. BullMQ hashes chats onto N partitions that each
 *   run one job at a time, so a chat also waits for the running jobs of other chats of its
 *   partition (never for their backoff); here two keys only ever wait for a free slot of the
 *   `concurrency`. Either way each key's jobs run in order and never overlap.
 * - Jobs live in this process's memory: one process serves the queue (`komek start`), nothing
 *   survives a crash, and a graceful shutdown drains what it holds, backoffs included, for at
 *   most `drainTimeoutMs` (what is still held then is kept as failed, in memory, and logged).
 *   BullMQ keeps jobs in Redis, hands a dead worker's job to another after its lock expires and
 *   leaves backing-off jobs in its delayed set across a shutdown.
 * - `redelivered` is true only for retries: with no other process, a job is never taken over
 *   half-done.
 * - Ids are remembered for dedupe up to a count (`rememberIds`); BullMQ keeps completed ids for a
 *   time (a day by default).
 */
import type { FailedJob, JobInfo, Logger, MessageQueue, QueueConsumer } from '../core/ports.ts';
import { QueueFullError } from '../queue/backpressure.ts';
import { describeError as describe, jobLogFields } from '../queue/job-log.ts';
import { decideRetry, DEFAULT_RETRY_POLICY, isFinalAttempt, type RetryPolicy } from '../queue/retry-policy.ts';

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
  /** Tries begun so far. */
  tries: number;
}

type Handler<T> = (data: T, info: JobInfo) => Promise<void>;

/** Creates an in-process {@link MessageQueue}. */
export function createMemoryQueue<T>(opts: MemoryQueueOptions): MessageQueue<T> {
  const policy = opts.policy ?? DEFAULT_RETRY_POLICY;
  const remember = opts.rememberIds ?? 50_000;
  const known = new Set<string>();
  const pending = new Map<string, Job<T>[]>();
  /** Keys with a job running or backing off: their later jobs wait. */
  const busyKeys = new Set<string>();
  /** Jobs backing off, each with the timer that puts it back at the front of its key. */
  const backingOff = new Map<Job<T>, { timer: NodeJS.Timeout; lastError: unknown }>();
  const failed = new Map<string, FailedJob & { key: string }>();
  const idle: (() => void)[] = [];
  let handler: Handler<T> | undefined;
  let concurrency = 1;
  let running = 0;
  /** Jobs waiting their turn or backing off, kept as a count so that `depth` and the bound are O(1). */
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
      if (busyKeys.has(key)) continue;
      const job = list.shift()!;
      waiting--;
      if (list.length === 0) pending.delete(key);
      void run(job, handler);
    }
  }

  async function run(job: Job<T>, fn: Handler<T>): Promise<void> {
    running++;
    busyKeys.add(job.key);
    const attempt = ++job.tries;
    try {
      await fn(job.data, { id: job.id, attempt, final: isFinalAttempt(attempt, policy), redelivered: attempt > 1 });
      busyKeys.delete(job.key);
    } catch (err) {
      const next = decideRetry(attempt, err, policy);
      if (next.retry) {
        opts.logger.warn({ queue: opts.name, ...jobLogFields(job.id, job.data), attempt, delayMs: next.delayMs, err: describe(err) }, 'job failed, retrying');
        backOff(job, next.delayMs, err);
      } else {
        fail(job, describe(err));
        busyKeys.delete(job.key);
      }
    } finally {
      running--;
      pump();
      settle();
    }
  }

  /** Keeps the key busy and the slot free until the wait is over; then the job goes first. */
  function backOff(job: Job<T>, delayMs: number, lastError: unknown): void {
    waiting++;
    const timer = setTimeout(() => {
      backingOff.delete(job);
      busyKeys.delete(job.key);
      // Re-inserted keys go to the back of the line, as a promoted BullMQ job does.
      const list = pending.get(job.key) ?? [];
      list.unshift(job);
      pending.set(job.key, list);
      pump();
    }, delayMs);
    backingOff.set(job, { timer, lastError });
  }

  function fail(job: Job<T>, reason: string): void {
    failed.set(job.id, { id: job.id, key: job.key, queue: opts.name, data: job.data, reason, attempts: job.tries, failedAt: new Date() });
    opts.logger.error({ queue: opts.name, ...jobLogFields(job.id, job.data), attempts: job.tries, err: reason }, 'job failed');
  }

  function isIdle(): boolean {
    return running === 0 && pending.size === 0 && backingOff.size === 0;
  }

  function settle(): void {
    if (isIdle()) idle.splice(0).forEach((f) => f());
  }

  function drained(timeoutMs: number): Promise<void> {
    if (isIdle()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        opts.logger.warn({ queue: opts.name, running, pending: pending.size, backingOff: backingOff.size }, 'drain timed out; jobs still held are dropped');
        // A backoff cut short is kept as failed with its last error, as an exhausted one would be.
        for (const [job, { timer: wait, lastError }] of backingOff) {
          clearTimeout(wait);
          fail(job, describe(lastError));
        }
        backingOff.clear();
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
      enqueue({ id, key, data, tries: 0 });
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
        enqueue({ id: job.id, key: job.key, data: job.data as T, tries: 0 });
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
