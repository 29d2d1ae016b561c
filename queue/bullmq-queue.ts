/**
 * The queue port on BullMQ and Redis. Per-chat order without BullMQ Pro's groups: each chat key
 * hashes to one of N partitions, each partition is its own BullMQ queue with a global
 * concurrency of 1 (across all worker processes), so a partition — and every chat in it — is
 * handled one job at a time, in order, while the N partitions run in parallel. Stateless worker
 * processes all consume all partitions; a worker that dies loses its lock and the job returns to
 * the head of its partition for another worker (BullMQ's stalled-job check).
 *
 * Retries happen inside the job (see retry-policy.ts) so that a backing-off message is not
 * overtaken by the next one of its chat. Jobs that exhaust their tries are kept as failed
 * (never auto-removed) for `komek jobs failed` / `komek jobs retry`.
 */
import { Queue, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import pLimit from 'p-limit';
import { PermanentError } from '../core/errors.ts';
import type { FailedJob, JobInfo, Logger, MessageQueue, QueueConsumer } from '../core/ports.ts';
import { describeError as describe, jobLogFields } from './job-log.ts';
import { partitionOf } from './partition.ts';
import { reportRedisErrors } from './redis-errors.ts';
import { DEFAULT_RETRY_POLICY, RetryAborted, runWithRetry, type RetryPolicy } from './retry-policy.ts';

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
}

/** Creates a partitioned, BullMQ-backed {@link MessageQueue}. */
export function createBullmqQueue<T>(opts: BullmqQueueOptions): MessageQueue<T> {
  const policy = opts.policy ?? DEFAULT_RETRY_POLICY;
  const names = Array.from({ length: opts.partitions }, (_, i) => `${opts.name}-p${i}`);
  const queues = names.map((n) => new Queue(n, { connection: opts.connection, prefix: opts.prefix }));
  // Without a listener BullMQ prints every connection error of a queue to stderr.
  reportRedisErrors(queues, { logger: opts.logger, message: 'queue connection error', fields: { queue: opts.name } });
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
      await queueFor(key).add('message', data, {
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
      // Waiting, delayed and prioritised jobs of every partition; sent together, one round trip.
      const counts = await Promise.all(queues.map((q) => q.count()));
      return counts.reduce((a, b) => a + b, 0);
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
    const abort = new AbortController();
    // At most `concurrency` of the process's partition workers run a handler at once.
    const limiter = pLimit(Math.max(1, concurrency));
    const log = opts.logger.child({ queue: opts.name });
    const connections = names.map(() => opts.connection.duplicate());
    const workers = names.map(
      (name, i) =>
        new Worker(name, (job, token) => limiter(() => processJob(job as Job<T>, token)), {
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

    async function processJob(job: Job<T>, token: string | undefined): Promise<void> {
      const id = job.id ?? '?';
      // attemptsStarted > 1 means a previous worker took this job and did not finish it.
      const redelivered = job.attemptsStarted > 1 || job.stalledCounter > 0;
      try {
        await runWithRetry((info) => handler(job.data, { id, ...info }), {
          policy,
          signal: abort.signal,
          redelivered,
          onRetry: ({ attempt, delayMs, err }) => log.warn({ ...jobLogFields(id, job.data), attempt, delayMs, err: describe(err) }, 'job failed, retrying'),
        });
      } catch (err) {
        if (err instanceof RetryAborted) {
          // Shutting down mid-backoff: give the job back to the head of its partition.
          await job.moveToWait(token);
          throw new WaitingError();
        }
        log.error({ ...jobLogFields(id, job.data), err: describe(err) }, 'job failed');
        if (err instanceof PermanentError) throw new UnrecoverableError(describe(err));
        throw err instanceof Error ? err : new Error(String(err));
      }
    }

    let stopping: Promise<void> | undefined;
    return {
      close: () =>
        (stopping ??= (async () => {
          await ready.catch(() => {});
          abort.abort();
          // close() waits for jobs in flight; a backing-off one is handed back above.
          await Promise.all(workers.map((w) => w.close()));
          // Connections handed to BullMQ as instances stay ours to close.
          connections.forEach((c) => c.disconnect());
        })()),
    };
  }
}
