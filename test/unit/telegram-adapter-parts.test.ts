/** Telegram translation, rendering, error mapping and pacing, without a network. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GrammyError, HttpError } from 'grammy';
import type { Update } from 'grammy/types';
import { PermanentError, TransientError } from '../../core/errors.ts';
import { decodeButton } from '../../core/envelopes.ts';
import { classifyTelegramError } from '../../bots/telegram/errors.ts';
import { escapeHtml, renderOutbound, splitText } from '../../bots/telegram/render.ts';
import { createThrottle } from '../../bots/telegram/throttle.ts';
import { translateUpdate } from '../../bots/telegram/translate.ts';

const me = { id: 666, username: 'KomekBot' };
const user = { id: 42, is_bot: false, first_name: 'Айгерім', language_code: 'ru' };
const privateChat = { id: 42, type: 'private' as const, first_name: 'Айгерім' };
const group = { id: -100, type: 'supergroup' as const, title: 'ЦОН' };

function msg(extra: Record<string, unknown>, chat: object = privateChat): Update {
  return { update_id: 1, message: { message_id: 7, date: 0, chat, from: user, ...extra } } as unknown as Update;
}

describe('translateUpdate', () => {
  test('a text message becomes a text envelope', () => {
    const m = translateUpdate(msg({ text: 'Как получить паспорт?' }), me)!;
    assert.equal(m.channel, 'telegram');
    assert.equal(m.chatId, '42');
    assert.equal(m.messageId, '7');
    assert.equal(m.kind, 'text');
    assert.equal(m.text, 'Как получить паспорт?');
    assert.equal(m.langHint, undefined);
  });

  test('/start passes as "/start" with the app language as a hint', () => {
    const m = translateUpdate(msg({ text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] }), me)!;
    assert.equal(m.text, '/start');
    assert.equal(m.langHint, 'ru');
  });

  test('non-text messages get their kind', () => {
    assert.equal(translateUpdate(msg({ sticker: { file_id: 'x' } }), me)!.kind, 'sticker');
    assert.equal(translateUpdate(msg({ voice: { file_id: 'x' } }), me)!.kind, 'voice');
    assert.equal(translateUpdate(msg({ photo: [{ file_id: 'x' }], caption: 'қараңыз' }), me)!.kind, 'photo');
    assert.equal(translateUpdate(msg({ document: { file_id: 'x' } }), me)!.kind, 'document');
    assert.equal(translateUpdate(msg({ location: { latitude: 1, longitude: 2 } }), me)!.kind, 'other');
  });

  test('edited messages and channel posts are ignored', () => {
    const edited = { update_id: 2, edited_message: { message_id: 7, date: 0, chat: privateChat, from: user, text: 'x' } } as unknown as Update;
    assert.equal(translateUpdate(edited, me), undefined);
    assert.equal(translateUpdate({ update_id: 3, channel_post: { message_id: 1 } } as unknown as Update, me), undefined);
  });

  test('in groups only messages addressed to the bot count', () => {
    assert.equal(translateUpdate(msg({ text: 'всем привет' }, group), me), undefined);
    const mentioned = translateUpdate(msg({ text: '@KomekBot как получить ЭЦП?' }, group), me)!;
    assert.equal(mentioned.text, 'как получить ЭЦП?');
    assert.equal(mentioned.chatId, '-100');
    const reply = translateUpdate(msg({ text: 'а для ребёнка?', reply_to_message: { message_id: 5, from: { id: 666 } } }, group), me)!;
    assert.equal(reply.text, 'а для ребёнка?');
    assert.equal(reply.replyTo, '5');
  });

  test('a button press carries its data and label and a per-press id', () => {
    const update = {
      update_id: 9,
      callback_query: {
        id: '777',
        from: user,
        data: 'op',
        message: { message_id: 8, date: 0, chat: privateChat, reply_markup: { inline_keyboard: [[{ text: 'Связаться с оператором', callback_data: 'op' }]] } },
      },
    } as unknown as Update;
    const m = translateUpdate(update, me)!;
    assert.equal(m.callbackData, 'op');
    assert.equal(m.text, 'Связаться с оператором');
    assert.equal(m.messageId, 'cb777');
  });
});

describe('renderOutbound', () => {
  test('markup typed by people arrives as text', () => {
    assert.equal(escapeHtml('<b>жирный</b> & *звёзды*'), '&lt;b&gt;жирный&lt;/b&gt; &amp; *звёзды*');
    const [call] = renderOutbound({ channel: 'telegram', chatId: '42', text: 'a <b> b', traceId: 't', inReplyTo: '7' });
    assert.equal(call!.parse_mode, 'HTML');
    assert.equal(call!.text, 'a &lt;b&gt; b');
    assert.deepEqual(call!.reply_parameters, { message_id: 7, allow_sending_without_reply: true });
  });

  test('buttons become an inline keyboard, feedback on one row', () => {
    const [call] = renderOutbound({
      channel: 'telegram',
      chatId: '42',
      text: 'answer',
      traceId: 't',
      buttons: [
        { label: '👍', action: { type: 'feedback', faqId: 'passport', useful: true } },
        { label: '👎', action: { type: 'feedback', faqId: 'passport', useful: false } },
        { label: 'Оператор', action: { type: 'operator' } },
        { label: 'too long', action: { type: 'choose', faqId: 'x'.repeat(80) } },
      ],
    });
    const rows = call!.reply_markup!.inline_keyboard;
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[0]!.map((b) => decodeButton(b.callback_data)), [
      { type: 'feedback', faqId: 'passport', useful: true },
      { type: 'feedback', faqId: 'passport', useful: false },
    ]);
    assert.deepEqual(decodeButton(rows[1]![0]!.callback_data), { type: 'operator' });
  });

  test('long texts are split, buttons on the last part', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `сөз${i}`).join(' ');
    const calls = renderOutbound({ channel: 'telegram', chatId: '1', text, traceId: 't', buttons: [{ label: 'op', action: { type: 'operator' } }] });
    assert.ok(calls.length >= 2);
    assert.equal(calls[0]!.reply_markup, undefined);
    assert.ok(calls.at(-1)!.reply_markup);
    assert.equal(splitText(text, 3800).join(' '), text);
  });
});

describe('classifyTelegramError', () => {
  const err = (code: number, description: string, parameters = {}) =>
    new GrammyError('call failed', { ok: false, error_code: code, description, parameters }, 'sendMessage', {});

  test('429 is transient with retry_after', () => {
    const e = classifyTelegramError(err(429, 'Too Many Requests: retry after 7', { retry_after: 7 }));
    assert.ok(e instanceof TransientError);
    assert.equal((e as TransientError).retryAfterMs, 7000);
  });

  test('5xx and network failures are transient; 403 and 400 permanent', () => {
    assert.ok(classifyTelegramError(err(502, 'Bad Gateway')) instanceof TransientError);
    assert.ok(classifyTelegramError(new HttpError('fetch failed', new Error('ECONNRESET'))) instanceof TransientError);
    assert.ok(classifyTelegramError(err(403, 'Forbidden: bot was blocked by the user')) instanceof PermanentError);
    assert.ok(classifyTelegramError(err(400, 'Bad Request: chat not found')) instanceof PermanentError);
  });
});

describe('throttle', () => {
  test('one message a second per chat, about 30 a second overall', async () => {
    let clock = 0;
    const waits: number[] = [];
    const throttle = createThrottle({ now: () => clock, sleep: async (ms) => void waits.push(ms) });
    await throttle.wait('1');
    await throttle.wait('1');
    await throttle.wait('1');
    assert.deepEqual(waits, [1000, 2000]);
    waits.length = 0;
    clock = 10_000;
    for (let i = 0; i < 60; i++) await throttle.wait(`chat-${i}`);
    // 60 different chats take about two seconds at 30 a second.
    assert.ok(Math.abs(waits.at(-1)! - (59 * 1000) / 30) < 2, `last wait ${waits.at(-1)}`);
    waits.length = 0;
    clock = 100_000;
    await throttle.wait('-100');
    await throttle.wait('-100');
    assert.deepEqual(waits, [3000]);
  });
});

describe('telegram rendering of people and receipts', () => {
  test('an operator’s reply starts with their name; a receipt makes no call', () => {
    const [call] = renderOutbound({ channel: 'telegram', chatId: '42', text: 'Здравствуйте! <b>ЦОН</b>', from: { role: 'operator', name: 'Айгерим' }, traceId: 't' });
    assert.equal(call!.text, '🧑‍💼 Айгерим: Здравствуйте! &lt;b&gt;ЦОН&lt;/b&gt;');
    assert.deepEqual(renderOutbound({ channel: 'telegram', chatId: '42', text: '', receipt: 'relayed', traceId: 't' }), []);
  });
});
