/**
 * Telegram update → inbound envelope. Pure, so every rule is unit-tested without a network.
 *
 * Deliberate behaviour:
 * - Edited messages are ignored: the original was already answered, and answering the edit too
 *   would reply twice to one question.
 * - In groups the bot speaks only when addressed — a message that mentions @bot, a command
 *   meant for it, or a reply to one of its messages; it stays silent on everything else, so it
 *   never floods a group conversation. Channel posts are ignored.
 * - Non-text messages (voice, photo, sticker, document, anything else) become envelopes of their
 *   kind, and core answers politely what the bot can handle.
 * - `/start` is passed on as the text '/start' (core greets and offers a language choice), with
 *   the Telegram app's language as a hint when it is one Kömek speaks.
 */
import { randomUUID } from 'node:crypto';
import type { Message, Update, User } from 'grammy/types';
import type { InboundMessage, MessageKind } from '../../core/envelopes.ts';
import { isLang } from '../../core/lang.ts';

export interface BotIdentity {
  id: number;
  username: string;
}

export interface TranslateOptions {
  now?: () => Date;
  newTraceId?: () => string;
}

/** The envelope for `update`, or undefined when the bot deliberately ignores it. */
export function translateUpdate(update: Update, me: BotIdentity, opts: TranslateOptions = {}): InboundMessage | undefined {
  const now = opts.now ?? (() => new Date());
  const traceId = (opts.newTraceId ?? randomUUID)();
  if (update.callback_query) {
    const q = update.callback_query;
    if (!q.data || !q.message) return undefined;
    return {
      channel: 'telegram',
      chatId: String(q.message.chat.id),
      userId: String(q.from.id),
      // Callback ids are unique per press, so a redelivered press is still answered once.
      messageId: `cb${q.id}`,
      text: buttonLabel(q.message, q.data) ?? q.data,
      kind: 'text',
      callbackData: q.data,
      receivedAt: now().toISOString(),
      traceId,
    };
  }
  const message = update.message;
  if (!message || !message.from || message.from.is_bot) return undefined;
  const group = message.chat.type === 'group' || message.chat.type === 'supergroup';
  const kind = kindOf(message);
  let text = message.text ?? message.caption ?? '';
  if (group) {
    const addressed = stripAddress(text, me);
    const repliesToBot = message.reply_to_message?.from?.id === me.id;
    if (addressed === undefined && !repliesToBot) return undefined;
    text = addressed ?? text;
  }
  const command = /^\/start(@\w+)?(\s|$)/.test(text);
  if (command) text = '/start';
  return {
    channel: 'telegram',
    chatId: String(message.chat.id),
    userId: String(message.from.id),
    messageId: String(message.message_id),
    text,
    kind,
    replyTo: message.reply_to_message ? String(message.reply_to_message.message_id) : undefined,
    langHint: command ? appLanguage(message.from) : undefined,
    receivedAt: now().toISOString(),
    traceId,
  };
}

function kindOf(message: Message): MessageKind {
  if (message.text !== undefined) return 'text';
  if (message.voice || message.audio || message.video_note) return 'voice';
  if (message.photo) return 'photo';
  if (message.sticker) return 'sticker';
  if (message.document) return 'document';
  return 'other';
}

/** The text without the bot's @mention when the message addresses the bot, else undefined. */
function stripAddress(text: string, me: BotIdentity): string | undefined {
  const mention = new RegExp(`@${me.username}\\b`, 'i');
  if (!mention.test(text)) return undefined;
  return text.replace(mention, '').replace(/\s+/g, ' ').trim();
}

function buttonLabel(message: { reply_markup?: { inline_keyboard: { text: string; callback_data?: string }[][] } }, data: string) {
  for (const row of message.reply_markup?.inline_keyboard ?? []) {
    for (const button of row) if (button.callback_data === data) return button.text;
  }
  return undefined;
}

function appLanguage(user: User) {
  const code = user.language_code?.slice(0, 2);
  return isLang(code) ? code : undefined;
}
