/**
 * Envelopes are the only shapes that cross between channel adapters, the queue and the pipeline.
 * Adapters translate platform events into {@link InboundMessage} and render {@link OutboundMessage};
 * they never decide what to answer.
 */
import type { Lang } from './lang.ts';

export const CHANNELS = ['telegram', 'whatsapp', 'web'] as const;
export type Channel = (typeof CHANNELS)[number];

export const MESSAGE_KINDS = ['text', 'voice', 'photo', 'sticker', 'document', 'other'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** One citizen message as an adapter saw it. */
export interface InboundMessage {
  channel: Channel;
  chatId: string;
  userId: string;
  /** Platform id of the message; (channel, chatId, messageId) identifies a delivery for dedupe. */
  messageId: string;
  text: string;
  kind: MessageKind;
  /** ISO-8601 time the adapter received it. */
  receivedAt: string;
  /** Platform id of the message this one replies to, when there is one. */
  replyTo?: string;
  /** Data of a pressed button (see {@link ButtonAction}); the text is then the button's label. */
  callbackData?: string;
  /** Language the citizen chose explicitly (e.g. a language switch in the web chat). */
  langHint?: Lang;
  traceId: string;
}

/**
 * What a button does when pressed. Encoded into callback data by {@link encodeButton} so that
 * every channel carries the same meaning: Telegram in callback_data, WhatsApp as a numbered
 * reply, the web chat as a click.
 */
export type ButtonAction =
  | { type: 'choose'; faqId: string }
  | { type: 'operator' }
  /** The citizen no longer needs a person: leave the operators' queue and go on with the bot. */
  | { type: 'leave-queue' }
  | { type: 'feedback'; faqId: string; useful: boolean }
  | { type: 'lang'; lang: Lang }
  | { type: 'rate'; score: 1 | 2 | 3 | 4 | 5 };

export interface Button {
  label: string;
  action: ButtonAction;
}

/** One reply on its way to a citizen. */
export interface OutboundMessage {
  channel: Channel;
  chatId: string;
  text: string;
  buttons?: Button[];
  /** Platform id of the inbound message this answers. */
  inReplyTo?: string;
  /** Language of the text, so channels can render their own chrome in it. */
  lang?: Lang;
  /**
   * Set when a person wrote the text, so every channel shows it as a person's and not the bot's
   * (a name prefix in messengers, its own style in the web chat).
   */
  from?: { role: 'operator'; name: string };
  /**
   * A reply with no text: the citizen's message went to a person and no bot answer will follow.
   * The web chat stops its "typing…" indicator on it; messengers, which show none, drop it.
   */
  receipt?: 'relayed';
  traceId: string;
}

/** Callback data is short (Telegram allows 64 bytes), so actions are encoded compactly. */
export function encodeButton(action: ButtonAction): string {
  switch (action.type) {
    case 'choose':
      return `c:${action.faqId}`;
    case 'operator':
      return 'op';
    case 'leave-queue':
      return 'lq';
    case 'feedback':
      return `f:${action.useful ? '1' : '0'}:${action.faqId}`;
    case 'lang':
      return `l:${action.lang}`;
    case 'rate':
      return `r:${action.score}`;
  }
}

/** Inverse of {@link encodeButton}; unknown or forged data yields undefined, never a throw. */
export function decodeButton(data: string): ButtonAction | undefined {
  if (data === 'op') return { type: 'operator' };
  if (data === 'lq') return { type: 'leave-queue' };
  const [tag, a, ...rest] = data.split(':');
  if (tag === 'c' && a) return { type: 'choose', faqId: [a, ...rest].join(':') };
  if (tag === 'f' && (a === '1' || a === '0') && rest.length > 0) {
    return { type: 'feedback', useful: a === '1', faqId: rest.join(':') };
  }
  if (tag === 'l' && (a === 'kk' || a === 'ru' || a === 'en')) return { type: 'lang', lang: a };
  if (tag === 'r' && a && /^[1-5]$/.test(a)) return { type: 'rate', score: Number(a) as 1 | 2 | 3 | 4 | 5 };
  return undefined;
}
