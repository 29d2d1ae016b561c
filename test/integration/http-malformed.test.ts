/**
 * Malformed requests over real HTTP to the web chat and the Telegram webhook (a running
 * runtime), and to the operator console's API: every one gets a 4xx with a short JSON reason,
 * never a 5xx, a stack trace or a file path, and the server keeps serving afterwards.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startRuntime, type Runtime } from '../../app/runtime.ts';
import { WEBHOOK_PATH } from '../../bots/telegram/adapter.ts';
import { memoryDatabase, type TestDatabase } from '../helpers/databases.ts';
import { demoKb, testConfig, testServices } from '../e2e/telegram-harness.ts';
import { consoleHarness } from './console-harness.ts';

const SECRET = 'webhook-secret-123';
const LEAKS = /\bat [\w.<>]+ \(|\.ts:\d+|node_modules|\/work\/|Error: |TypeError|SyntaxError|stack/;

interface Case {
  name: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const HOOK = { ...JSON_HEADERS, 'x-telegram-bot-api-secret-token': SECRET };
const session = 'sess_' + 'b'.repeat(20);

const CASES: Case[] = [
  { name: 'chat: not JSON', path: '/chat/messages', headers: JSON_HEADERS, body: '{"session": "x", oops' },
  { name: 'chat: empty body', path: '/chat/messages', headers: JSON_HEADERS, body: '' },
  { name: 'chat: JSON null', path: '/chat/messages', headers: JSON_HEADERS, body: 'null' },
  { name: 'chat: JSON array', path: '/chat/messages', headers: JSON_HEADERS, body: '[1,2,3]' },
  { name: 'chat: number', path: '/chat/messages', headers: JSON_HEADERS, body: '42' },
  { name: 'chat: wrong types', path: '/chat/messages', headers: JSON_HEADERS, body: JSON.stringify({ session: 1, id: {}, text: [] }) },
  { name: 'chat: bad session', path: '/chat/messages', headers: JSON_HEADERS, body: JSON.stringify({ session: '../../etc/passwd', id: 'm1', text: 'hi' }) },
  { name: 'chat: extra field', path: '/chat/messages', headers: JSON_HEADERS, body: JSON.stringify({ session, id: 'm1', text: 'hi', __proto__x: 1, admin: true }) },
  { name: 'chat: no text', path: '/chat/messages', headers: JSON_HEADERS, body: JSON.stringify({ session, id: 'm1', text: '   ' }) },
  { name: 'chat: text too long', path: '/chat/messages', headers: JSON_HEADERS, body: JSON.stringify({ session, id: 'm1', text: 'ә'.repeat(9000) }) },
  { name: 'chat: body over the limit', path: '/chat/messages', headers: JSON_HEADERS, body: JSON.stringify({ session, id: 'm1', text: 'a'.repeat(100_000) }) },
  { name: 'chat: deep nesting', path: '/chat/messages', headers: JSON_HEADERS, body: '['.repeat(5000) + ']'.repeat(5000) },
  { name: 'chat: invalid UTF-8', path: '/chat/messages', headers: JSON_HEADERS, body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
  { name: 'chat: events without session', path: '/chat/events', method: 'GET' },
  { name: 'chat: events with a bad session', path: '/chat/events?session=%3Cscript%3E', method: 'GET' },
  { name: 'webhook: no secret', path: WEBHOOK_PATH, headers: JSON_HEADERS, body: JSON.stringify({ update_id: 1 }) },
  { name: 'webhook: wrong secret', path: WEBHOOK_PATH, headers: { ...JSON_HEADERS, 'x-telegram-bot-api-secret-token': 'nope' }, body: JSON.stringify({ update_id: 1 }) },
  { name: 'webhook: not JSON', path: WEBHOOK_PATH, headers: HOOK, body: '<xml/>' },
  { name: 'webhook: no update_id', path: WEBHOOK_PATH, headers: HOOK, body: JSON.stringify({ message: { text: 'hi' } }) },
  { name: 'webhook: update_id a string', path: WEBHOOK_PATH, headers: HOOK, body: JSON.stringify({ update_id: '1' }) },
  { name: 'webhook: null', path: WEBHOOK_PATH, headers: HOOK, body: 'null' },
  { name: 'webhook: over 1 MB', path: WEBHOOK_PATH, headers: HOOK, body: JSON.stringify({ update_id: 1, pad: 'x'.repeat(1_100_000) }) },
  { name: 'unknown route', path: '/../../etc/passwd', method: 'GET' },
];

/** Stands in for Telegram while the adapter sets its webhook. */
async function fakeBotApi() {
  const server = createServer((req, res) => {
    const method = (req.url ?? '').split('/').pop();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, result: method === 'getMe' ? { id: 1, is_bot: true, first_name: 'K', username: 'KomekBot' } : true }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('malformed requests to the channels over HTTP', () => {
  let db: TestDatabase;
  let runtime: Runtime;
  let api: Awaited<ReturnType<typeof fakeBotApi>>;

  before(async () => {
    api = await fakeBotApi();
    db = await memoryDatabase();
    const config = testConfig({
      TELEGRAM_BOT_TOKEN: '123456:FAKE-http',
      TELEGRAM_API_ROOT: api.url,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      KOMEK_PUBLIC_URL: 'https://komek.example.kz',
    });
    runtime = await startRuntime(await testServices(db, config, await demoKb()), { role: 'all' });
  });

  after(async () => {
    await runtime?.close();
    await api?.close();
    await db?.drop();
  });

  for (const c of CASES) {
    test(`${c.name}: 4xx, no stack trace`, async () => {
      const res = await fetch(`${runtime.url}${c.path}`, { method: c.method ?? 'POST', headers: c.headers, body: c.body as BodyInit | undefined });
      const text = await res.text();
      assert.ok(res.status >= 400 && res.status < 500, `${c.name}: status ${res.status}: ${text.slice(0, 200)}`);
      assert.ok(!LEAKS.test(text), `${c.name}: leaks internals: ${text.slice(0, 200)}`);
      assert.ok(text.length < 2_000, `${c.name}: short answer`);
    });
  }

  test('the server still serves after all of that', async () => {
    // A refused oversized body closes its connection; the client's pool may notice only on reuse.
    const get = (path: string, init?: RequestInit) => fetch(`${runtime.url}${path}`, init).catch(() => fetch(`${runtime.url}${path}`, init));
    const health = await get('/health');
    assert.equal(health.status, 200);
    const ok = await get('/chat/messages', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ session, id: 'ok1', text: 'Сәлем' }) });
    assert.equal(ok.status, 202);
  });
});

describe('malformed requests to the console API', () => {
  let db: TestDatabase;
  let h: Awaited<ReturnType<typeof consoleHarness>>;

  before(async () => {
    db = await memoryDatabase();
    h = await consoleHarness(db);
  });

  after(async () => {
    await h?.console.close();
    await db?.drop();
  });

  const requests: [string, string, RequestInit][] = [
    ['login: not JSON', '/api/login', { method: 'POST', headers: JSON_HEADERS, body: '{user' }],
    ['login: form encoded', '/api/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=a&password=b' }],
    ['login: wrong types', '/api/login', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ username: ['a'], password: { $ne: 1 } }) }],
    ['login: null', '/api/login', { method: 'POST', headers: JSON_HEADERS, body: 'null' }],
    ['login: huge password', '/api/login', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ username: 'admin', password: 'x'.repeat(200_000) }) }],
  ];

  for (const [name, path, init] of requests) {
    test(`${name}: 4xx, no stack trace`, async () => {
      const res = await h.app.request(path, init);
      const text = await res.text();
      assert.ok(res.status >= 400 && res.status < 500, `${name}: status ${res.status}: ${text.slice(0, 200)}`);
      assert.ok(!LEAKS.test(text), `${name}: leaks internals: ${text.slice(0, 200)}`);
    });
  }

  test('every API route refuses a request without a session, whatever its body', async () => {
    for (const route of h.console.routes.filter((r) => r.path.startsWith('/api/') && r.path !== '/api/login')) {
      const path = route.path.replace(/:(\w+)/g, 'zz%00%3Cx%3E');
      const res = await h.app.request(path, { method: route.method, headers: JSON_HEADERS, body: route.method === 'GET' ? undefined : '{"junk":' });
      const text = await res.text();
      assert.ok(res.status >= 400 && res.status < 500, `${route.method} ${route.path}: status ${res.status}`);
      assert.ok(!LEAKS.test(text), `${route.method} ${route.path}: leaks internals: ${text.slice(0, 200)}`);
    }
  });
});
