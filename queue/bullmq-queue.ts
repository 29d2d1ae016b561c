/**
 * The queue port on BullMQ and Redis. Per-chat order without BullMQ Pro's groups: each chat key
 * hashes to one of N partitions, each partition is its own BullMQ queue with a global
 * concurrency of 1 (across all worker processes), so a partition — and every chat in it — is
 * handled one job at a time, in order, while the N partitions run in parallel. Stateless worker
 * processes all consume all partitions; a worker that dies loses its lock and the job returns to
 * the head of its partition for another worker (BullMQ's stalled-job check).
 *
 * A job that fails transiently does not wait in its partition's one slot: it holds its chat and
 * goes to BullMQ's delayed set for its backoff, and the chat's later jobs are parked behind it
 * (chat-holds.ts), so a chat that backs off (a 429 storm, a dead socket) delays only itself, in
 * order, while the partition goes on with its other chats. Jobs that exhaust their tries are
 * kept as failed (never auto-removed) for `komek jobs failed` / `komek jobs retry`.
 */
import { DelayedError, Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import pLimit from 'p-limit';
import { PermanentError } from '../core/errors.ts';
import type { FailedJob, JobInfo, Logger, MessageQueue, QueueConsumer } from '../core/ports.ts';
import { describeError as describe, jobLogFields } from './job-log.ts';
import { partitionOf } from './partition.ts';
import { reportRedisErrors } from './redis-errors.ts';
import { createChatHolds, type ChatHold, type ChatHolds } from './chat-holds.ts';
import { decideRetry, DEFAULT_RETRY_POLICY, isFinalAttempt, type RetryPolicy } from './retry-policy.ts';

export interface BullmqQueueOptions {
  /** Shared connection for adding and reading; workers duplicate it for their blocking reads. */
  connection: Redis;
  /** Redis key prefix (KOMEK_QUEUE_PREFIX); tests use a unique one each. */
  prefix: string;
  /** e.g. 'inbound' or 'outbound'. */
  name: string;
  /** Partition count; must be the same in every process sharing the queue. */
  partitions: number;
  logger: Logger;
  policy?: RetryPolicy;
  /** A worker that stops renewing its lock for this long is presumed dead. */
  lockDurationMs?: number;
  /** How often workers look for jobs of dead workers. */
  stalledIntervalMs?: number;
  /** Completed job ids kept (for dedupe by id) for this long. */
  keepCompletedSeconds?: number;
  /**
   * How often a job parked behind its chat's backing-off head wakes to check that the head still
   * exists. Normally the head puts the next job back in line itself; this only bounds how long a
   * chat stays held after a crash lost that hand-over.
   */
  holdRecheckMs?: number;
}

/**
 * Jobs added by releases before chat holds were named 'message' and carry no chat key; they are
 * held per partition, as all their chats were then.
 */
const LEGACY_NAME = 'message';
const LEGACY_KEY = '~partition';

/** The states Queue#count() adds up: the wait list first, then sorted sets. */
const DEPTH_STATES = ['wait', 'delayed', 'prioritized', 'waiting-children'] as const;

// KEYS: the four state keys of each partition, in DEPTH_STATES order.
const DEPTH = `
local n = 0
for i = 1, #KEYS, 4 do
  n = n + redis.call('LLEN', KEYS[i]) + redis.call('ZCARD', KEYS[i + 1]) + redis.call('ZCARD', KEYS[i + 2]) + redis.call('ZCARD', KEYS[i + 3])
end
return n`;

/** Creates a partitioned, BullMQ-backed {@link MessageQueue}. */
export function createBullmqQueue<T>(opts: BullmqQueueOptions): MessageQueue<T> {
  const policy = opts.policy ?? DEFAULT_RETRY_POLICY;
  const names = Array.from({ length: opts.partitions }, (_, i) => `${opts.name}-p${i}`);
  const queues = names.map((n) => new Queue(n, { connection: opts.connection, prefix: opts.prefix }));
  // Without a listener BullMQ prints every connection error of a queue to stderr.
  reportRedisErrors(queues, { logger: opts.logger, message: 'queue connection error', fields: { queue: opts.name } });
  // BullMQ's own key layout (`${prefix}:${queue}:${state}`), the same in every BullMQ since 2.
  const depthKeys = names.flatMap((n) => DEPTH_STATES.map((state) => `${opts.prefix}:${n}:${state}`));
  const consumers: QueueConsumer[] = [];
  let concurrencySet: Promise<unknown> | undefined;
  let closed: Promise<void> | undefined;

  function queueFor(key: string): Queue {
    return queues[partitionOf(key, queues.length)]!;
  }

  async function findFailed(id: string): Promise<Job | undefined> {
    for (const q of queues) {
      const job = await q.getJob(id);
      if (job && (await job.isFailed())) return job as Job;
    }
    return undefined;
  }

  return {
    name: opts.name,
    async add(data, { id, key }) {
      // A duplicate id is ignored by BullMQ while the job (waiting, active, kept) exists.
      // The job's name is its chat key: the worker needs it to hold the chat (chat-holds.ts).
      await queueFor(key).add(key, data, {
        jobId: id,
        attempts: 1,
        removeOnComplete: { age: opts.keepCompletedSeconds ?? 24 * 3600, count: 50_000 },
        removeOnFail: false,
      });
    },
    process(handler, popts = {}) {
      concurrencySet ??= Promise.all(queues.map((q) => q.setGlobalConcurrency(1)));
      const consumer = startWorkers(handler, popts.concurrency ?? opts.partitions);
      consumers.push(consumer);
      return consumer;
    },
    async depth() {
      // What Queue#count() counts (waiting, delayed, prioritised, waiting for children), summed
      // over every partition by one script: the poller asks before each getUpdates once the last
      // reading is half a second old, and 16 count scripts per queue (32 writes, 32 replies) cost
      // more CPU than most messages and held the next poll until the slowest came back.
      const total = await opts.connection.eval(DEPTH, depthKeys.length, ...depthKeys);
      return Number(total);
    },
    async failed({ limit = 100 } = {}) {
      const out: FailedJob[] = [];
      for (const q of queues) {
        for (const job of await q.getFailed(0, limit - 1)) {
          out.push({
            id: job.id ?? '?',
            queue: opts.name,
            data: job.data,
            reason: job.failedReason ?? '',
            attempts: job.attemptsMade,
            failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
          });
        }
      }
      return out.sort((a, b) => (a.failedAt?.getTime() ?? 0) - (b.failedAt?.getTime() ?? 0)).slice(-limit);
    },
    async retry(id) {
      if (id) {
        const job = await findFailed(id);
        if (!job) return 0;
        await job.retry('failed');
        return 1;
      }
      let n = 0;
      for (const q of queues) {
        for (;;) {
          const batch = await q.getFailed(0, 999);
          if (batch.length === 0) break;
          for (const job of batch) await (job as Job).retry('failed');
          n += batch.length;
        }
      }
      return n;
    },
    close: () =>
      (closed ??= (async () => {
        await Promise.all(consumers.map((c) => c.close()));
        await Promise.all(queues.map((q) => q.close()));
      })()),
  };

  function startWorkers(handler: (data: T, info: JobInfo) => Promise<void>, concurrency: number): QueueConsumer {
    // At most `concurrency` of the process's partition workers run a handler at once.
    const limiter = pLimit(Math.max(1, concurrency));
    const log = opts.logger.child({ queue: opts.name });
    const recheckMs = opts.holdRecheckMs ?? 30_000;
    const holds = names.map((name) => createChatHolds({ connection: opts.connection, prefix: opts.prefix, queue: name }));
    const connections = names.map(() => opts.connection.duplicate());
    const workers = names.map(
      (name, i) =>
        new Worker(name, (job, token) => limiter(() => processJob(job as Job<T>, token, i)), {
          connection: connections[i]!,
          prefix: opts.prefix,
          concurrency: 1,
          lockDuration: opts.lockDurationMs ?? 10_000,
          stalledInterval: opts.stalledIntervalMs ?? 5_000,
          maxStalledCount: 3,
          autorun: false,
        }),
    );
    // A worker re-emits the errors of its connections (and of the blocking one it makes itself),
    // so one throttle covers them all: an outage is one line now and then, not one per retry.
    reportRedisErrors([...connections, ...workers], { logger: log, message: 'queue worker error' });
    const ready = (concurrencySet ?? Promise.resolve()).then(() => workers.forEach((w) => void w.run()));
    ready.catch((err) => log.error({ err: (err as Error).message }, 'could not start queue workers'));

    /**
     * One turn of a job. A job whose chat is held by another job is parked and set aside; the
     * head of a held chat, or a job of a chat nobody holds, runs the handler. A transient failure
     * holds the chat and sets the job aside for its backoff; success or a final failure hands
     * the chat to the next parked job. Errors of this bookkeeping (Redis) fail the job like a
     * handler error: kept as failed, retryable, and the delivery marks stop a second send.
     */
    async function processJob(job: Job<T>, token: string | undefined, partition: number): Promise<void> {
      const id = job.id ?? '?';
      const key = job.name === LEGACY_NAME ? LEGACY_KEY : job.name;
      const chat = holds[partition]!;
      const hold = await currentHold(queues[partition]!, chat, key, id);
      if (hold && hold.head !== id) {
        await chat.park(key, id);
        log.debug({ ...jobLogFields(id, job.data), head: hold.head }, 'chat held by a backing-off job; this one waits behind it');
        await job.moveToDelayed(Date.now() + recheckMs, token);
        throw new DelayedError();
      }
      const attempt = hold ? await chat.beginTry(key) : 1;
      // Without a hold, a start beyond the first means a previous worker took this job and did
      // not finish it; with one, the hold counts the runs (parked turns ran no handler).
      const redelivered = attempt > 1 || job.stalledCounter > 0 || (!hold && job.attemptsStarted > 1);
      try {
        await handler(job.data, { id, attempt, final: isFinalAttempt(attempt, policy), redelivered });
      } catch (err) {
        const next = decideRetry(attempt, err, policy);
        if (next.retry) {
          log.warn({ ...jobLogFields(id, job.data), attempt, delayMs: next.delayMs, err: describe(err) }, 'job failed, retrying');
          // Held before it is set aside: a crash in between leaves a held chat whose head comes
          // back from the stalled check, never a later job running ahead of it.
          if (!hold) await chat.hold(key, id, attempt);
          await job.moveToDelayed(Date.now() + next.delayMs, token);
          throw new DelayedError();
        }
        log.error({ ...jobLogFields(id, job.data), attempt, err: describe(err) }, 'job failed');
        if (hold) await handOver(queues[partition]!, chat, key);
        if (err instanceof PermanentError) throw new UnrecoverableError(describe(err));
        throw err instanceof Error ? err : new Error(String(err));
      }
      if (hold) await handOver(queues[partition]!, chat, key);
    }

    /**
     * The chat's hold, after ending one whose head no longer exists or has finished (its hand-over
     * lost to a crash): then the next parked job takes its turn, which may be this one.
     */
    async function currentHold(queue: Queue, chat: ChatHolds, key: string, id: string): Promise<ChatHold | undefined> {
      let hold = await chat.get(key);
      while (hold && hold.head !== id) {
        const state = await queue.getJobState(hold.head);
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return hold;
        log.warn({ jobId: id, head: hold.head, state }, 'a chat hold outlived its head; the next job takes its turn');
        await handOver(queue, chat, key);
        hold = await chat.get(key);
      }
      return hold;
    }

    /** The next parked job of the chat becomes its head and goes back in line now. */
    async function handOver(queue: Queue, chat: ChatHolds, key: string): Promise<void> {
      for (let next = await chat.release(key); next; next = await chat.release(key)) {
        const job = await Job.fromId<T>(queue, next);
        // Removed meanwhile (`komek jobs`, an operator): the one after it takes the turn.
        if (!job) continue;
        // Not delayed means it is already waiting or running: it will find itself the head. A
        // promote lost to an error is caught up by the parked job's own recheck.
        await job.promote().catch((err) => log.debug({ jobId: next, err: describe(err) }, 'next job of a held chat not promoted'));
        return;
      }
    }

    let stopping: Promise<void> | undefined;
    return {
      close: () =>
        (stopping ??= (async () => {
          await ready.catch(() => {});
          // close() waits for the handlers in flight; jobs backing off sit in the delayed set.
          await Promise.all(workers.map((w) => w.close()));
          // Connections handed to BullMQ as instances stay ours to close.
          connections.forEach((c) => c.disconnect());
        })()),
    };
  }
}
