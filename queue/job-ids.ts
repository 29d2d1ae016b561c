/**
 * Job ids and ordering keys. The id is the dedupe key: a platform that delivers the same update
 * twice produces the same id. BullMQ forbids `:` in custom ids, so parts are URI-encoded and
 * joined with `|` (which encoding never leaves in a part).
 */
import type { Channel, InboundMessage, OutboundMessage } from '../core/envelopes.ts';

function join(...parts: string[]): string {
  return parts.map((p) => encodeURIComponent(p)).join('|');
}

/** One chat of one channel: the unit of ordering. */
export function chatKey(channel: Channel, chatId: string): string {
  return join(channel, chatId);
}

/** channel:chatId:messageId, in a form BullMQ accepts. */
export function inboundJobId(msg: Pick<InboundMessage, 'channel' | 'chatId' | 'messageId'>): string {
  return join('in', msg.channel, msg.chatId, msg.messageId);
}

/**
 * The `index`th reply to an inbound message. Deterministic, so a retried inbound job that
 * enqueues its replies again does not send them twice.
 */
export function outboundJobId(out: OutboundMessage, index: number): string {
  return join('out', out.channel, out.chatId, out.inReplyTo ?? out.traceId, String(index));
}
