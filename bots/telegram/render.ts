/**
 * Outbound envelope → Telegram sendMessage calls. Text is sent in HTML mode with every `<`, `>`
 * and `&` escaped, so nothing a citizen or a knowledge-base author typed (`<b>`, `*`, `_`) is
 * read as markup; buttons become an inline keyboard with core's compact callback data.
 */
import type { Button, OutboundMessage } from '../../core/envelopes.ts';
import { encodeButton } from '../../core/envelopes.ts';

/** Telegram refuses messages over 4096 characters (counted after entity parsing). */
const MAX_CHUNK = 3800;
/** Telegram refuses callback data over 64 bytes. */
const MAX_CALLBACK_BYTES = 64;

export interface InlineButton {
  text: string;
  callback_data: string;
}

export interface SendMessageCall {
  chat_id: string;
  text: string;
  parse_mode: 'HTML';
  reply_markup?: { inline_keyboard: InlineButton[][] };
  reply_parameters?: { message_id: number; allow_sending_without_reply: true };
  link_preview_options?: { is_disabled: true };
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Marks a person's message in messengers (gender-neutral: operators are women and men). */
export const OPERATOR_MARK = '🧑‍💼';

/**
 * The calls that deliver `out`, in order; a long text is split, buttons go with the last part.
 * A receipt (no text: a person has the chat) needs no call. A person's reply starts with their
 * name, so the citizen can tell it from the bot's.
 */
export function renderOutbound(out: OutboundMessage): SendMessageCall[] {
  if (out.receipt) return [];
  const text = out.from ? `${OPERATOR_MARK} ${out.from.name}: ${out.text}` : out.text;
  const chunks = splitText(text, MAX_CHUNK);
  const keyboard = inlineKeyboard(out.buttons ?? []);
  const replyTo = out.inReplyTo && /^\d+$/.test(out.inReplyTo) ? Number(out.inReplyTo) : undefined;
  return chunks.map((chunk, i) => ({
    chat_id: out.chatId,
    text: escapeHtml(chunk),
    parse_mode: 'HTML',
    ...(i === 0 && replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
    ...(i === chunks.length - 1 && keyboard ? { reply_markup: keyboard } : {}),
    link_preview_options: { is_disabled: true },
  }));
}

/** Feedback 👍/👎 share a row; every other button gets its own row (long labels stay readable). */
export function inlineKeyboard(buttons: Button[]): { inline_keyboard: InlineButton[][] } | undefined {
  const rows: InlineButton[][] = [];
  let feedbackRow: InlineButton[] | undefined;
  for (const b of buttons) {
    const data = encodeButton(b.action);
    if (new TextEncoder().encode(data).length > MAX_CALLBACK_BYTES) continue;
    const button = { text: b.label, callback_data: data };
    if (b.action.type === 'feedback') {
      if (!feedbackRow) rows.push((feedbackRow = []));
      feedbackRow.push(button);
    } else rows.push([button]);
  }
  return rows.length > 0 ? { inline_keyboard: rows } : undefined;
}

/** Splits at paragraph, line or word boundaries, never inside a word when avoidable. */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while ([...rest].length > max) {
    const head = [...rest].slice(0, max).join('');
    const cut = Math.max(head.lastIndexOf('\n\n'), head.lastIndexOf('\n'), head.lastIndexOf(' '));
    const at = cut > max / 2 ? cut : head.length;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  parts.push(rest);
  return parts;
}
