/**
 * The job for one outbound reply: hand it to the adapter of its channel. Adapters throw core's
 * TransientError (network, 5xx, 429 with retryAfterMs) or PermanentError (blocked, chat gone);
 * the queue retries or keeps the job as failed accordingly.
 *
 * A reply goes out at most once per job id, even across a Redis crash: after the platform
 * accepted it, a delivery mark is written to Postgres, and every run of the job looks for that
 * mark first. The queue's own completion record lives in Redis, so a reply sent just as Redis
 * died ran again after the restart and reached the citizen twice; the mark closes that. What is
 * left is a crash (of this process or of Postgres) between the platform's acceptance and the
 * insert of the mark: then the reply may still be sent twice.
 */
import type { Channel, OutboundMessage } from '../core/envelopes.ts';
import { PermanentError, TransientError } from '../core/errors.ts';
import type { ChannelAdapter, DeliveryMarks, JobInfo, Logger } from '../core/ports.ts';
import { describeError } from './job-log.ts';
import { isRetryable } from './retry-policy.ts';

/** What became of one try: sent, skipped as sent before, to be tried again, or given up. */
export type OutboundOutcome = 'delivered' | 'duplicate' | 'retrying' | 'failed';

export interface OutboundHandlerDeps {
  adapters: ReadonlyMap<Channel, Pick<ChannelAdapter, 'deliver'>>;
  /** Replies already accepted by their platform, kept outside the queue. */
  marks: DeliveryMarks;
  logger: Logger;
  /** Counts every try by channel and outcome (`komek_outbound_total`). */
  outcomes?: { inc(labels: { channel: string; outcome: OutboundOutcome }): void };
  /**
   * How long a mark that cannot be written is tried again before it is given up (0: once). On
   * Postgres alone the queue's completion record lives in the same database as the mark, so
   * without the mark a reply sent as the database went down would be sent again once the job is
   * taken back; waiting for the database lets the mark land first.
   */
  markRetryMs?: number;
}

/** Returns the handler the outbound queue runs for each job. */
export function createOutboundHandler(deps: OutboundHandlerDeps) {
  return async function deliver(out: OutboundMessage, info: JobInfo): Promise<void> {
    const log = deps.logger.child({ traceId: out.traceId, channel: out.channel, jobId: info.id });
    const count = (outcome: OutboundOutcome) => deps.outcomes?.inc({ channel: out.channel, outcome });
    const adapter = deps.adapters.get(out.channel);
    if (!adapter) {
      count('failed');
      // Kept as failed, so `komek jobs retry` can send it once the channel is enabled.
      throw new PermanentError(`no ${out.channel} adapter runs in this process`);
    }
    if (await alreadyDelivered(info.id)) {
      count('duplicate');
      log.warn({ attempt: info.attempt }, 'reply was already delivered; not sending it again');
      return;
    }
    try {
      await adapter.deliver(out);
    } catch (err) {
      count(info.final || !isRetryable(err) ? 'failed' : 'retrying');
      log.warn({ attempt: info.attempt, err: (err as Error).message }, 'delivery failed');
      throw err;
    }
    count('delivered');
    // The platform has the reply: failing the job now would send it again, so a mark that cannot
    // be written is only logged (the queue's completion record still guards the usual case).
    await markDelivered(info.id).catch((err) => log.warn({ err: describeError(err) }, 'could not record the delivery mark'));
  };

  async function markDelivered(id: string): Promise<void> {
    const giveUpAt = Date.now() + (deps.markRetryMs ?? 0);
    for (let wait = 100; ; wait = Math.min(wait * 2, 2_000)) {
      try {
        return await deps.marks.mark(id);
      } catch (err) {
        if (Date.now() + wait > giveUpAt) throw err;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  async function alreadyDelivered(id: string): Promise<boolean> {
    try {
      return await deps.marks.has(id);
    } catch (err) {
      // Without the mark a resend cannot be ruled out, so the reply waits for the database and
      // backs off like every other job meanwhile, instead of hammering a database that is down.
      throw new TransientError(`cannot check the delivery mark: ${describeError(err)}`, { cause: err });
    }
  }
}
