/**
 * telegram-test-api for the end-to-end tests: an emulator per suite, bursts of citizen messages
 * from many chats, and the checks on what the bot sent back.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import telegramTestApi from 'telegram-test-api';
import type { TelegramServer as TelegramServerType } from 'telegram-test-api/lib/telegramServer.js';
import type { KbEntry } from '../../core/kb.ts';
import type { Lang } from '../../core/lang.ts';
import { replyInLang } from './telegram-harness.ts';

// The package is CommonJS whose module.exports is the server class itself.
const TelegramServer = telegramTestApi as unknown as typeof TelegramServerType;

export interface Emulator {
  server: TelegramServerType;
  token: string;
  apiRoot: string;
}

export async function startEmulator(opts: { confirmByOffset?: boolean } = {}): Promise<Emulator> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 3600 });
  if (opts.confirmByOffset) confirmByOffset(server);
  await server.start();
  return { server, token: `${100000 + Math.floor(Math.random() * 800000)}:TEST-${randomBytes(6).toString('hex')}`, apiRoot: server.config.apiURL };
}

/**
 * telegram-test-api forgets an update once any getUpdates call has returned it; Telegram keeps
 * returning it until a later call's `offset` confirms it. A test whose bot fails to enqueue a
 * fetched update (its queue's server down) needs Telegram's behaviour, or the emulator itself
 * loses the update. The package hands the route no offset, so a middleware placed before its
 * getUpdates route notes each call's offset (express 4 keeps the stack in `_router.stack`).
 */
function confirmByOffset(server: TelegramServerType): void {
  type Update = { botToken: string; updateId: number; isRead?: boolean };
  type Layer = { route?: { path?: string } };
  const offsets = new Map<string, number>();
  const app = (server as unknown as { webServer: unknown }).webServer as { use(fn: (req: { path: string; body?: { offset?: number } }, res: unknown, next: () => void) => void): void; _router: { stack: Layer[] } };
  app.use(function noteOffset(req, _res, next) {
    const token = /^\/bot([^/]+)\/getUpdates/.exec(req.path)?.[1];
    if (token !== undefined) offsets.set(token, Number(req.body?.offset ?? 0));
    next();
  });
  const stack = app._router.stack;
  const at = stack.findIndex((l) => l.route?.path === '/bot:token/getUpdates');
  if (at < 0) throw new Error('telegram-test-api has no getUpdates route to confirm by offset');
  stack.splice(at, 0, stack.pop()!);
  const storage = (server as unknown as { storage: { userMessages: Update[] } }).storage;
  const format = (TelegramServer as unknown as { formatUpdate(u: Update): unknown }).formatUpdate;
  (server as unknown as { getUpdates(token: string): unknown[] }).getUpdates = function unconfirmedUpdates(token: string) {
    const offset = offsets.get(token) ?? 0;
    const mine = storage.userMessages.filter((u) => u.botToken === token && !u.isRead);
    for (const u of mine) if (u.updateId < offset) u.isRead = true;
    return mine.filter((u) => !u.isRead).map((u) => format(u));
  };
}

export interface Chat {
  id: number;
  lang: Lang;
  sent: number[];
}

/** Bot replies in `chatId`, oldest first: the message id each answers and its text. */
export function repliesIn(emu: Emulator, chatId: number): { to: number; text: string }[] {
  return emu.server.storage.botMessages
    .filter((m) => m.botToken === emu.token && String(m.message.chat_id) === String(chatId))
    .map((m) => {
      const msg = m.message as unknown as { text: string; reply_parameters?: { message_id: number } };
      return { to: msg.reply_parameters?.message_id ?? -1, text: unescape(msg.text) };
    });
}

function unescape(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Sends `perChat` questions from each chat, interleaved across chats, and records their ids. */
export async function burst(emu: Emulator, chats: Chat[], perChat: number, entries: KbEntry[]): Promise<void> {
  // The test's detector goes by letters, so Russian questions quoting Kazakh terms are left out.
  const kazakh = /[әғқңөұүһі]/i;
  const questions = (lang: Lang) =>
    entries.filter((e) => e.lang === lang && kazakh.test(e.question) === (lang === 'kk')).map((e) => e.question);
  for (let i = 0; i < perChat; i++) {
    for (const chat of chats) {
      const client = emu.server.getClient(emu.token, { chatId: chat.id, userId: chat.id, firstName: `Citizen ${chat.id}` });
      const pool = questions(chat.lang);
      const text = pool[(chat.id + i) % pool.length]!;
      const before = emu.server.storage.userMessages.length;
      await client.sendMessage(client.makeMessage(text));
      const stored = emu.server.storage.userMessages[before] as unknown as { messageId: number };
      chat.sent.push(stored.messageId);
    }
  }
}

export function makeChats(base: number, count: number): Chat[] {
  return Array.from({ length: count }, (_, i) => ({ id: base + i, lang: i % 2 === 0 ? 'kk' : 'ru', sent: [] }));
}

/** Every sent message answered exactly once, in the order sent, in the chat's language. */
export function assertAnsweredInOrder(emu: Emulator, chats: Chat[], entries: KbEntry[]): void {
  for (const chat of chats) {
    const replies = repliesIn(emu, chat.id);
    assert.deepEqual(replies.map((r) => r.to), chat.sent, `chat ${chat.id}: replies must answer each message once, in order`);
    for (const r of replies) assert.ok(replyInLang(r.text, chat.lang, entries), `chat ${chat.id} (${chat.lang}) got: ${r.text.slice(0, 80)}`);
  }
}

export function countReplies(emu: Emulator, chats: Chat[]): number {
  return chats.reduce((n, c) => n + repliesIn(emu, c.id).length, 0);
}

/** Puts a raw update into the emulator, as Telegram would deliver it (again). */
export function deliverRaw(emu: Emulator, update: { updateId: number; messageId: number; message: object }): void {
  emu.server.storage.userMessages.push({ time: Date.now(), botToken: emu.token, isRead: false, ...update } as never);
}

