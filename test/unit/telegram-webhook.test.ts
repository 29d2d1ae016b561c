/** The Telegram webhook route: secret token checked, malformed bodies refused, updates queued. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createServer } from 'node:http';
import { Hono } from 'hono';
import { createTelegramAdapter, WEBHOOK_PATH } from '../../bots/telegram/adapter.ts';
import type { InboundMessage } from '../../core/envelopes.ts';
import { recordingLogger } from '../helpers/fakes.ts';

describe('telegram webhook', () => {
  test('checks the secret, validates, and queues the update', async () => {
    const calls: string[] = [];
    const api = await fakeBotApi(calls);
    const adapter = createTelegramAdapter({
      token: '123:abc',
      apiRoot: api.url,
      mode: 'webhook',
      webhookSecret: 's3cret',
      publicUrl: 'https://komek.example.kz',
      logger: recordingLogger(),
    });
    const app = new Hono();
    adapter.mount(app);
    const post = (body: string, secret?: string) =>
      app.request(WEBHOOK_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
        body,
      });
    const update = JSON.stringify({
      update_id: 1,
      message: { message_id: 3, date: 0, chat: { id: 9, type: 'private' }, from: { id: 9, is_bot: false, first_name: 'A' }, text: 'Сәлем' },
    });
    assert.equal((await post(update, 's3cret')).status, 503, 'not started yet');
    const pushed: InboundMessage[] = [];
    await adapter.start({ push: async (m) => void pushed.push(m) });
    assert.ok(calls.includes('setWebhook'));
    assert.equal((await post(update)).status, 403);
    assert.equal((await post(update, 'wrong!')).status, 403);
    assert.equal((await post('{oops', 's3cret')).status, 400);
    assert.equal((await post('{"hello":1}', 's3cret')).status, 400);
    assert.equal((await post(update, 's3cret')).status, 200);
    assert.equal(pushed.length, 1);
    assert.equal(pushed[0]!.text, 'Сәлем');
    await adapter.stop();
    await api.close();
  });
});

/** A tiny Bot API stand-in answering getMe and setWebhook, recording the methods called. */
async function fakeBotApi(calls: string[]) {
  const server = createServer((req, res) => {
    const method = (req.url ?? '').split('/').pop()!;
    calls.push(method);
    const result = method === 'getMe' ? { id: 1, is_bot: true, first_name: 'Kömek', username: 'KomekBot' } : true;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, result }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
