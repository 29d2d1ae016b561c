/**
 * The job for one outbound reply: hand it to the adapter of its channel. Adapters throw core's
 * TransientError (network, 5xx, 429 with retryAfterMs) or PermanentError (blocked, chat gone);
 * the queue retries or keeps the job as failed accordingly.
 */
import type { ChannelAdapter } from '../bots/channel.ts';
import type { Channel, OutboundMessage } from '../core/envelopes.ts';
import { PermanentError } from '../core/errors.ts';
import type { JobInfo, Logger } from '../core/ports.ts';

export interface OutboundHandlerDeps {
  adapters: ReadonlyMap<Channel, Pick<ChannelAdapter, 'deliver'>>;
  logger: Logger;
}

/** Returns the handler the outbound queue runs for each job. */
export function createOutboundHandler(deps: OutboundHandlerDeps) {
  return async function deliver(out: OutboundMessage, info: JobInfo): Promise<void> {
    const adapter = deps.adapters.get(out.channel);
    // Kept as failed, so `komek jobs retry` can send it once the channel is enabled.
    if (!adapter) throw new PermanentError(`no ${out.channel} adapter runs in this process`);
    try {
      await adapter.deliver(out);
    } catch (err) {
      deps.logger.warn(
        { traceId: out.traceId, channel: out.channel, jobId: info.id, attempt: info.attempt, err: (err as Error).message },
        'delivery failed',
      );
      throw err;
    }
  };
}
