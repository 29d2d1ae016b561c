/**
 * Telegram end to end: a grammY bot with TELEGRAM_API_ROOT pointing at telegram-test-api (an
 * emulator of the Bot API), run with the embedded in-process queue and with BullMQ on Redis.
 * Ten chats send a hundred messages in Kazakh and Russian: every message is answered once, in
 * order per chat, in the citizen's language. Also: a redelivered update is answered once, a
 * sticker gets a polite reply, and `<b>` in a question is text. Separately, with Redis, a
 * `komek worker` process is killed mid-burst and another one finishes: nothing is lost and
 * nothing is answered twice.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createConversationStore } from '../../db/conversation-store.ts';
import { startRuntime, type Runtime } from '../../app/runtime.ts';
import { memoryDatabase, postgresAvailable, postgresDatabase, type TestDatabase } from '../helpers/databases.ts';
import { dropPrefix, redisAvailable, REDIS_TEST_URL as REDIS_URL } from '../integration/queue-redis.ts';
import { assertAnsweredInOrder, burst, countReplies, deliverRaw, makeChats, repliesIn, startEmulator, type Emulator } from './telegram-emulator.ts';
import { demoKb, replyInLang, sleep, testConfig, testServices, until, type TestServices } from './telegram-harness.ts';

const redisUp = await redisAvailable();
const entries = await demoKb();

for (const backend of ['embedded', 'redis'] as const) {
  describe(`Telegram end to end, ${backend} queue`, { skip: backend === 'redis' && !redisUp ? 'no Redis' : false }, () => {
    let emu: Emulator;
    let db: TestDatabase;
    let runtime: Runtime;
    let services: TestServices;
    const prefix = `komek-e2e-${randomBytes(4).toString('hex')}`;

    before(async () => {
      emu = await startEmulator();
      db = (await postgresAvailable()) ? await postgresDatabase() : await memoryDatabase();
      const config = testConfig({
        TELEGRAM_BOT_TOKEN: emu.token,
        TELEGRAM_API_ROOT: emu.apiRoot,
        KOMEK_QUEUE_PREFIX: prefix,
        KOMEK_WORKER_CONCURRENCY: '8',
        ...(backend === 'redis' ? { REDIS_URL } : {}),
      });
      services = await testServices(db, config, entries);
      runtime = await startRuntime(services, { role: 'all', telegram: { polling: { idleDelayMs: 30 } } });
    });

    after(async () => {
      await runtime?.close();
      await services?.close();
      await emu?.server.stop();
      await db?.drop();
      if (backend === 'redis') {
        await dropPrefix(prefix);
      }
    });

    test('10 chats, 100 messages in Kazakh and Russian: each answered once, in order, in its language', async () => {
      const chats = makeChats(1000, 10);
      const began = Date.now();
      await burst(emu, chats, 10, entries);
      await until(() => countReplies(emu, chats) >= 100, 60_000, '100 replies');
      await sleep(300); // anything answered twice would show up now
      assertAnsweredInOrder(emu, chats, entries);
      // Ten replies per chat at one a second per chat: the throttle shapes, it does not stall.
      const seconds = (Date.now() - began) / 1000;
      assert.ok(seconds >= 8, `throttled to about 1/s per chat, took ${seconds}s`);
    });

    test('a redelivered update is answered once; a sticker politely; <b> arrives as text', async () => {
      const chat = 5000;
      const from = { id: chat, is_bot: false, first_name: 'Асел' };
      const base = { chat: { id: chat, type: 'private', first_name: 'Асел' }, from, date: Math.floor(Date.now() / 1000) };
      const question = { updateId: 900_001, messageId: 900_001, message: { ...base, text: 'Как получить <b>паспорт</b> *срочно*?' } };
      deliverRaw(emu, question);
      deliverRaw(emu, question); // Telegram sends the same update again
      deliverRaw(emu, { updateId: 900_002, messageId: 900_002, message: { ...base, sticker: { file_id: 'st', width: 1, height: 1, is_animated: false } } });
      await until(() => repliesIn(emu, chat).length >= 2, 20_000, 'two replies');
      await sleep(1500);
      const replies = repliesIn(emu, chat);
      assert.deepEqual(replies.map((r) => r.to), [900_001, 900_002]);
      assert.ok(replyInLang(replies[0]!.text, 'ru', entries), replies[0]!.text);
      assert.match(replies[1]!.text, /стикер/i);
      const store = createConversationStore(db.database.db);
      const conv = await store.open('telegram', String(chat), String(chat));
      const citizen = (await store.messages(conv.id)).filter((m) => m.author === 'citizen');
      assert.deepEqual(citizen.map((m) => m.text), ['Как получить <b>паспорт</b> *срочно*?', '']);
      const raw = emu.server.storage.botMessages.filter((m) => String(m.message.chat_id) === String(chat)).map((m) => m.message as unknown as { parse_mode: string });
      assert.ok(raw.every((m) => m.parse_mode === 'HTML'));
    });
  });
}
