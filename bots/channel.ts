/**
 * What every channel adapter (Telegram, WhatsApp, web chat) provides. Adapters translate: a
 * platform event becomes an {@link InboundMessage} pushed into the inbound sink, an
 * {@link OutboundMessage} becomes a platform call. They never decide what to answer.
 */
import type { Channel, OutboundMessage } from '../core/envelopes.ts';
import type { InboundSink } from '../core/ports.ts';

export interface ChannelAdapter {
  readonly channel: Channel;
  /** Starts receiving platform events and pushing them into `sink`. */
  start(sink: InboundSink): Promise<void>;
  /**
   * Delivers one reply. Throws core's TransientError (network, 5xx, 429 with retryAfterMs) to be
   * retried, or PermanentError (chat gone, bot blocked, bad request) to be dropped and logged.
   */
  deliver(message: OutboundMessage): Promise<void>;
  /** Stops intake; in-flight deliveries finish. Idempotent. */
  stop(): Promise<void>;
}
