/**
 * The queue port on Postgres alone (KOMEK_QUEUE=postgres): one row per job in `queue_jobs`, so a
 * deployment with several processes needs no Redis.
 *
 * Why not BullMQ's own Postgres backend (BullMQ 6.7, `withBackend(createPostgresBackend)`): it
 * needs the `pg` driver, which Kömek does not ship (it talks to Postgres through `postgres`), and
 * Kömek's chat holds (chat-holds.ts) are Redis scripts beside BullMQ's keys. A table gives the
 * same guarantees more directly:
 *
 * - Per-chat order without partitions: a job is its chat's *head* while it is the oldest
 *   unfinished (waiting or active) job with its key, and only heads are claimed
 *   (`FOR UPDATE SKIP LOCKED`, so processes never take the same row). A job that backs off stays
 *   waiting with a later `run_at` and stays the head, so its chat waits behind it, in order,
 *   while every other chat goes on — what chat holds do on Redis.
 * - Dedupe: the primary key (queue, id); a finished job keeps its row (without its data) for
 *   `keepCompletedSeconds`, failed ones until retried.
 * - Stalled recovery: a claimed job carries a lock that its process renews; a job whose lock
 *   expired (its process died) is put back by any consumer's sweep and runs again, told it is
 *   redelivered; after `maxStalledCount` such returns it fails, as in BullMQ.
 * - Wake-up: an add NOTIFYs the queue's channel; consumers also poll, so a notification lost
 *   while a connection was down, or a backoff that ended, is picked up within `pollMs`.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { fnv1aBytes } from '../core/fnv1a.ts';
import type { FailedJob, JobInfo, Logger, MessageQueue, QueueConsumer } from '../core/ports.ts';
import { describeError as describe, jobLogFields } from './job-log.ts';
import { decideRetry, DEFAULT_RETRY_POLICY, isFinalAttempt, type RetryPolicy } from './retry-policy.ts';

export interface PostgresQueueOptions {
  /** The process's Postgres client (app/connections.ts); LISTEN takes one more connection of it. */
  sql: Sql;
  /** KOMEK_QUEUE_PREFIX: queues of different prefixes share the table without meeting. */
  prefix: string;
  /** e.g. 'inbound' or 'outbound'. */
  name: string;
  logger: Logger;
  policy?: RetryPolicy;
  /** A process that stops renewing a job's lock for this long is presumed dead. */
  lockDurationMs?: number;
  /** How often a consumer looks for jobs of dead processes (and prunes finished ones). */
  stalledIntervalMs?: number;
  /** Returns of a stalled job after which it fails instead of running again. */
  maxStalledCount?: number;
  /** Finished job ids kept (for dedupe by id) for this long. */
  keepCompletedSeconds?: number;
  /** Longest an idle consumer sleeps without a notification. */
  pollMs?: number;
}

interface ClaimedRow {
  id: string;
  key: string;
  data: unknown;
  tries: number;
  stalls: number;
}

const STALLED_REASON = 'job stalled more than allowable limit';

/** Creates a Postgres-backed {@link MessageQueue}. */
export function createPostgresQueue<T>(opts: PostgresQueueOptions): MessageQueue<T> {
  const { sql } = opts;
  const policy = opts.policy ?? DEFAULT_RETRY_POLICY;
  const queue = `${opts.prefix}:${opts.name}`;
  // NOTIFY channels are identifiers (at most 63 bytes); the queue name can be longer.
  const channel = `komek_q_${fnv1aBytes(new TextEncoder().encode(queue)).toString(16)}`;
  const keepSeconds = opts.keepCompletedSeconds ?? 24 * 3600;
  const consumers: QueueConsumer[] = [];
  let closed: Promise<void> | undefined;

  const exec = <R>(text: string, params: unknown[]) => sql.unsafe(text, params as never[], { prepare: true }) as unknown as Promise<R[]>;

  async function retryWhere(condition: string, params: unknown[]): Promise<number> {
    // A retried job goes to the end of its chat's line, as a retried BullMQ job does.
    const rows = await exec<{ id: string }>(
      `update queue_jobs set state = 'waiting', tries = 0, stalls = 0, run_at = now(), failed_reason = null, finished_at = null,
         seq = nextval(pg_get_serial_sequence('queue_jobs', 'seq'))
       where queue = $1 and state = 'failed' ${condition} returning id`,
      [queue, ...params],
    );
    if (rows.length > 0) await exec('select pg_notify($1, $2)', [channel, '']);
    return rows.length;
  }

  return {
    name: opts.name,
    async add(data, { id, key }) {
      // One statement: the row, and the wake-up only when it is new (a duplicate id is ignored).
      await exec(
        `with added as (insert into queue_jobs (queue, id, key, data) values ($1, $2, $3, $4::jsonb) on conflict (queue, id) do nothing returning 1)
         select pg_notify($5, '') from added`,
        [queue, id, key, JSON.stringify(data), channel],
      );
    },
    process(handler, popts = {}) {
      const consumer = startConsumer(handler, Math.max(1, popts.concurrency ?? 1));
      consumers.push(consumer);
      return consumer;
    },
    async depth() {
      const [row] = await exec<{ n: string }>(`select count(*) as n from queue_jobs where queue = $1 and state = 'waiting'`, [queue]);
      return Number(row?.n ?? 0);
    },
    async failed({ limit = 100 } = {}) {
      const rows = await exec<{ id: string; data: unknown; failed_reason: string | null; tries: number; finished_at: Date | null }>(
        `select id, data, failed_reason, tries, finished_at from (
           select * from queue_jobs where queue = $1 and state = 'failed' order by finished_at desc limit $2) f
         order by finished_at`,
        [queue, limit],
      );
      return rows.map(
        (r): FailedJob => ({ id: r.id, queue: opts.name, data: r.data, reason: r.failed_reason ?? '', attempts: r.tries, failedAt: r.finished_at ? new Date(r.finished_at) : null }),
      );
    },
    retry: (id) => (id ? retryWhere('and id = $2', [id]) : retryWhere('', [])),
    close: () =>
      (closed ??= (async () => {
        // The client is the process's (app/connections.ts): closing the queue leaves it open.
        await Promise.all(consumers.map((c) => c.close()));
      })()),
  };

  function startConsumer(handler: (data: T, info: JobInfo) => Promise<void>, concurrency: number): QueueConsumer {
    const log = opts.logger.child({ queue: opts.name });
    const token = randomUUID();
    const lockMs = opts.lockDurationMs ?? 10_000;
    const pollMs = opts.pollMs ?? 1_000;
    const running = new Map<string, Promise<void>>();
    let stopping = false;
    let wake: (() => void) | undefined;
    /** A nudge that came while the loop was not napping (claiming): the next nap returns at once. */
    let poked = false;
    let errorLoggedAt = 0;

    const nudge = () => {
      const w = wake;
      wake = undefined;
      if (w) w();
      else poked = true;
    };
    const nap = (ms: number) =>
      new Promise<void>((resolve) => {
        if (poked) {
          poked = false;
          resolve();
          return;
        }
        const timer = setTimeout(() => nudge(), ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });

    /** An outage is one line now and then, not one per poll. */
    function reportError(err: unknown, what: string): void {
      if (Date.now() - errorLoggedAt < 10_000) return;
      errorLoggedAt = Date.now();
      log.error({ err: describe(err) }, what);
    }

    // LISTEN runs on a connection of its own that the driver re-establishes after a drop; until
    // it is back the poll carries on alone.
    const listening = sql.listen(channel, () => nudge()).catch((err) => {
      reportError(err, 'could not listen for queue notifications; polling only');
      return undefined;
    });

    const renew = setInterval(() => {
      if (running.size === 0) return;
      // Only the jobs whose handlers run: one whose outcome could not be recorded must let its
      // lock expire, or it would stay active, and its chat held, for as long as this process lives.
      exec(`update queue_jobs set locked_until = now() + $3 * interval '1 millisecond' where queue = $1 and locked_by = $2 and state = 'active' and id = any($4::text[])`, [
        queue,
        token,
        lockMs,
        [...running.keys()],
      ]).catch((err) => reportError(err, 'could not renew queue job locks'));
    }, Math.max(50, Math.floor(lockMs / 3)));

    const sweep = setInterval(() => void sweepStalled().catch((err) => reportError(err, 'could not sweep stalled queue jobs')), opts.stalledIntervalMs ?? 5_000);

    /** Jobs of dead processes back in line (or failed after too many returns); old finished rows out. */
    async function sweepStalled(): Promise<void> {
      const back = await exec<{ id: string; stalls: number }>(
        `update queue_jobs set
           state = case when stalls >= $2 then 'failed' else 'waiting' end,
           failed_reason = case when stalls >= $2 then $3 else failed_reason end,
           finished_at = case when stalls >= $2 then now() else null end,
           stalls = stalls + 1, locked_by = null, locked_until = null, run_at = now()
         where queue = $1 and state = 'active' and locked_until < now() returning id, stalls`,
        [queue, opts.maxStalledCount ?? 3, STALLED_REASON],
      );
      if (back.length > 0) {
        log.warn({ jobs: back.map((b) => b.id), count: back.length }, 'jobs of a dead worker taken back');
        nudge();
      }
      await exec(`delete from queue_jobs where queue = $1 and state = 'completed' and finished_at < now() - $2 * interval '1 second'`, [queue, keepSeconds]);
    }

    /** The oldest runnable head of any chat, locked for this consumer, or undefined. */
    async function claim(): Promise<ClaimedRow | undefined> {
      const [row] = await exec<ClaimedRow>(
        `with next as (
           select j.queue, j.id from queue_jobs j
           where j.queue = $1 and j.state = 'waiting' and j.run_at <= now()
             and not exists (select 1 from queue_jobs e where e.queue = j.queue and e.key = j.key and e.seq < j.seq and e.state in ('waiting', 'active'))
           order by j.run_at, j.seq limit 1 for update skip locked)
         update queue_jobs q set state = 'active', tries = q.tries + 1, locked_by = $2, locked_until = now() + $3 * interval '1 millisecond'
         from next where q.queue = next.queue and q.id = next.id
         returning q.id, q.key, q.data, q.tries, q.stalls`,
        [queue, token, lockMs],
      );
      return row;
    }

    /** Runs one claimed job and records its outcome; a failed record leaves the lock to expire. */
    async function run(row: ClaimedRow): Promise<void> {
      const attempt = row.tries;
      const data = row.data as T;
      const info: JobInfo = { id: row.id, attempt, final: isFinalAttempt(attempt, policy), redelivered: attempt > 1 || row.stalls > 0 };
      let failure: { err: unknown } | undefined;
      try {
        await handler(data, info);
      } catch (err) {
        failure = { err };
      }
      if (!failure) {
        // A completion that cannot be recorded is not a failure of the job: its lock expires, it
        // runs again as redelivered, and the handlers' dedupe and delivery marks stop a second send.
        // The data goes with completion: only the id is needed for dedupe, and it is a citizen's text.
        await exec(`update queue_jobs set state = 'completed', data = null, finished_at = now(), locked_by = null, locked_until = null where queue = $1 and id = $2 and locked_by = $3`, [
          queue,
          row.id,
          token,
        ]).catch((err) => reportError(err, 'could not record a completed queue job; it runs again once its lock expires'));
        return;
      }
      const { err } = failure;
      {
        const next = decideRetry(attempt, err, policy);
        try {
          if (next.retry) {
            log.warn({ ...jobLogFields(row.id, data), attempt, delayMs: next.delayMs, err: describe(err) }, 'job failed, retrying');
            // Still its chat's head: the chat's later jobs wait behind it, other chats do not.
            await exec(
              `update queue_jobs set state = 'waiting', run_at = now() + $4 * interval '1 millisecond', failed_reason = $5, locked_by = null, locked_until = null
               where queue = $1 and id = $2 and locked_by = $3`,
              [queue, row.id, token, next.delayMs, describe(err)],
            );
            setTimeout(nudge, next.delayMs + 5).unref();
          } else {
            const reason = describe(err);
            log.error({ ...jobLogFields(row.id, data), attempt, err: reason }, 'job failed');
            await exec(
              `update queue_jobs set state = 'failed', failed_reason = $4, finished_at = now(), locked_by = null, locked_until = null where queue = $1 and id = $2 and locked_by = $3`,
              [queue, row.id, token, reason],
            );
          }
        } catch (recordErr) {
          // The job stays active under a lock nobody renews once it is out of `running`: the
          // sweep puts it back, and the handler's own dedupe and delivery marks stop a second send.
          reportError(recordErr, 'could not record a failed queue job; it runs again once its lock expires');
        }
      }
    }

    async function loop(): Promise<void> {
      await listening;
      while (!stopping) {
        if (running.size >= concurrency) {
          await nap(pollMs);
          continue;
        }
        let row: ClaimedRow | undefined;
        try {
          row = await claim();
        } catch (err) {
          reportError(err, 'could not claim a queue job');
          await nap(pollMs);
          continue;
        }
        if (!row) {
          await nap(pollMs);
          continue;
        }
        const id = row.id;
        const done = run(row)
          .catch((err) => reportError(err, 'queue job bookkeeping failed'))
          .finally(() => {
            running.delete(id);
            nudge();
          });
        running.set(id, done);
      }
    }

    const looping = loop();
    let closing: Promise<void> | undefined;
    return {
      close: () =>
        (closing ??= (async () => {
          stopping = true;
          nudge();
          await looping;
          // Handlers in flight finish; jobs backing off wait in the table for any consumer.
          await Promise.all(running.values());
          clearInterval(renew);
          clearInterval(sweep);
          const listener = await listening;
          await listener?.unlisten().catch(() => {});
        })()),
    };
  }
}
