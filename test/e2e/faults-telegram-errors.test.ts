/**
 * Telegram answering 429 (with retry_after) and then 500 to sendMessage. A small fake Bot API
 * (node:http) serves getMe/getUpdates and fails the first two tries of every reply: the runtime
 * waits at least `retry_after` after the 429, backs off after the 500, and every message is
 * answered exactly once. Runs on the embedded default (PGlite, in-process queue).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startRuntime, type Runtime } from '../../app/runtime.ts';
import { memoryDatabase, type TestDatabase } from '../helpers/databases.ts';
import { demoKb, sleep, testConfig, testServices, until } from './telegram-harness.ts';

const entries = await demoKb();
const RETRY_AFTER_S = 2;

interface Attempt {
  chatId: string;
  replyTo: number | undefined;
  at: number;
  status: number;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

/** The Bot API as far as the adapter uses it; sendMessage fails with 429, then 500, then works. */
async function startFakeBotApi() {
  const updates: object[] = [];
  const attempts: Attempt[] = [];
  let nextMessageId = 10_000;
  const server = createServer(async (req, res) => {
    const method = (req.url ?? '').split('/').pop()!;
    const params = await body(req);
    const send = (status: number, payload: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    switch (method) {
      case 'getMe':
        return send(200, { ok: true, result: { id: 1, is_bot: true, first_name: 'Kömek', username: 'KomekBot' } });
      case 'getUpdates': {
        const offset = Number(params.offset ?? 0);
        return send(200, { ok: true, result: updates.filter((u) => (u as { update_id: number }).update_id >= offset) });
      }
      case 'sendMessage': {
        const chatId = String(params.chat_id);
        const replyTo = (params.reply_parameters as { message_id?: number } | undefined)?.message_id;
        const tries = attempts.filter((a) => a.chatId === chatId && a.replyTo === replyTo).length;
        const status = tries === 0 ? 429 : tries === 1 ? 500 : 200;
        attempts.push({ chatId, replyTo, at: Date.now(), status });
        if (status === 429) {
          return send(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${RETRY_AFTER_S}`, parameters: { retry_after: RETRY_AFTER_S } });
        }
        if (status === 500) return send(500, { ok: false, error_code: 500, description: 'Internal Server Error' });
        return send(200, { ok: true, result: { message_id: nextMessageId++, date: 0, chat: { id: Number(chatId), type: 'private' }, text: params.text } });
      }
      default:
        return send(200, { ok: true, result: true });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    updates,
    attempts,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

describe('Telegram answering 429 and 500', () => {
  let api: Awaited<ReturnType<typeof startFakeBotApi>>;
  let db: TestDatabase;
  let runtime: Runtime;

  before(async () => {
    api = await startFakeBotApi();
    db = await memoryDatabase();
    const config = testConfig({ TELEGRAM_BOT_TOKEN: '123456:FAKE-errors', TELEGRAM_API_ROOT: api.url });
    runtime = await startRuntime(await testServices(db, config, entries), { role: 'all', telegram: { polling: { idleDelayMs: 30 } } });
  });

  after(async () => {
    await runtime?.close();
    await api?.close();
    await db?.drop();
  });

  test('retries honour retry_after, back off after 500, and drop nothing', { timeout: 60_000 }, async () => {
    const chats = [501, 502, 503, 504, 505];
    const ru = entries.filter((e) => e.lang === 'ru');
    chats.forEach((chat, i) => {
      api.updates.push({
        update_id: i + 1,
        message: { message_id: 100 + i, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: 'Айгерим' }, text: ru[i]!.question },
      });
    });
    const delivered = () => api.attempts.filter((a) => a.status === 200);
    await until(() => delivered().length >= chats.length, 45_000, 'every reply delivered');
    await sleep(1_000); // a reply sent twice would show up now
    for (const [i, chat] of chats.entries()) {
      const tries = api.attempts.filter((a) => a.chatId === String(chat));
      assert.deepEqual(tries.map((a) => a.status), [429, 500, 200], `chat ${chat}: one 429, one 500, one delivery`);
      assert.ok(tries.every((a) => a.replyTo === 100 + i), `chat ${chat}: the reply answers its message`);
      const afterLimit = tries[1]!.at - tries[0]!.at;
      assert.ok(afterLimit >= RETRY_AFTER_S * 1000 - 20, `chat ${chat}: waited ${afterLimit} ms after 429 (retry_after ${RETRY_AFTER_S} s)`);
      assert.ok(afterLimit < RETRY_AFTER_S * 1000 + 1_500, `chat ${chat}: waited ${afterLimit} ms, not much longer than asked`);
      const afterError = tries[2]!.at - tries[1]!.at;
      assert.ok(afterError >= 300, `chat ${chat}: backed off ${afterError} ms after 500`);
    }
    assert.equal(delivered().length, chats.length, 'nothing delivered twice');
  });
});
