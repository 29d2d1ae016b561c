/**
 * The web chat end to end over real HTTP: the page, a POST answered over SSE in the citizen's
 * language with the same buttons, dedupe of a resent POST, and 4xx (never a stack trace) for
 * malformed input.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startRuntime, type Runtime } from '../../app/runtime.ts';
import type { KbEntry } from '../../core/kb.ts';
import { memoryDatabase, type TestDatabase } from '../helpers/databases.ts';
import { demoKb, replyInLang, testConfig, testServices } from './telegram-harness.ts';

interface SseEvent {
  id: number;
  text: string;
  buttons: { label: string; data: string }[];
  author?: 'citizen';
  clientId?: string;
}

/** The bot's events from the chat stream, once `count` of them arrived. */
async function readEvents(url: string, count: number, signal: AbortSignal): Promise<SseEvent[]> {
  return (await readStream(url, count, signal)).filter((e) => e.author !== 'citizen');
}

/** Every event of the chat stream, both sides, until `botCount` of the bot's arrived. */
async function readStream(url: string, botCount: number, signal: AbortSignal): Promise<SseEvent[]> {
  const count = botCount;
  const res = await fetch(url, { signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
      if (data) events.push(JSON.parse(data) as SseEvent);
    }
    if (events.filter((e) => e.author !== 'citizen').length >= count) break;
  }
  return events;
}

describe('web chat', () => {
  let db: TestDatabase;
  let runtime: Runtime;
  let entries: KbEntry[];

  before(async () => {
    db = await memoryDatabase();
    entries = await demoKb();
    const config = testConfig({});
    runtime = await startRuntime(await testServices(db, config, entries), { role: 'all' });
  });

  after(async () => {
    await runtime.close();
    await db.drop();
  });

  test('serves the chat page at /', async () => {
    const res = await fetch(`${runtime.url}/`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<title>Көмек<\/title>/);
    assert.match(html, /"maxChars":\d+/, 'the page carries its settings');
    const script = await fetch(new URL('chat/assets/chat.js', `${runtime.url}/`));
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    assert.match(await script.text(), /chat\/events/);
    const styles = await fetch(`${runtime.url}/chat/assets/chat.css`);
    assert.equal(styles.status, 200);
    assert.equal((await fetch(`${runtime.url}/chat/assets/nope.js`)).status, 404);
  });

  test('a question posted is answered over SSE, once, in its language, with buttons', async () => {
    const session = 'sess_' + 'a'.repeat(20);
    const ru = entries.find((e) => e.lang === 'ru')!;
    const abort = new AbortController();
    const events = readEvents(`${runtime.url}/chat/events?session=${session}`, 3, abort.signal);
    const post = (id: string, text: string, button?: string) =>
      fetch(`${runtime.url}/chat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ session, id, text, ...(button ? { button } : {}) }),
      });
    assert.equal((await post('m1', ru.question)).status, 202);
    assert.equal((await post('m1', ru.question)).status, 202); // resent: answered once
    assert.equal((await post('m2', ru.question, `c:${ru.id}`)).status, 202); // a choice pressed
    assert.equal((await post('m3', 'Русский', 'l:ru')).status, 202);
    const [first, answer, language] = await events;
    abort.abort();
    assert.ok(replyInLang(first!.text, 'ru', entries), first!.text);
    assert.ok(answer!.text.startsWith(ru.answer), answer!.text);
    assert.ok(answer!.buttons.some((b) => b.data === 'op'), 'offers an operator');
    assert.ok(answer!.buttons.some((b) => b.data === `f:1:${ru.id}`), 'offers feedback');
    assert.ok(replyInLang(language!.text, 'ru', entries), language!.text);
    assert.ok(language!.id > answer!.id);
  });

  test('a reloaded page gets both sides in order; a resent message once; hidden ones not at all', async () => {
    const session = 'sess_' + 'h'.repeat(20);
    const ru = entries.find((e) => e.lang === 'ru')!;
    const post = (body: Record<string, unknown>) =>
      fetch(`${runtime.url}/chat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, ...body }) });
    assert.equal((await post({ id: 'open', text: '/start', button: 'l:ru', hidden: true })).status, 202);
    assert.equal((await post({ id: 'q1', text: ru.question })).status, 202);
    assert.equal((await post({ id: 'q1', text: ru.question })).status, 202);
    const first = new AbortController();
    await readStream(`${runtime.url}/chat/events?session=${session}`, 2, first.signal);
    first.abort();
    assert.equal((await post({ id: 'q2', text: 'спасибо' })).status, 202);
    // A reload: a new stream without Last-Event-ID replays the session from the start.
    const reload = new AbortController();
    const all = await readStream(`${runtime.url}/chat/events?session=${session}`, 3, reload.signal);
    reload.abort();
    const sides = all.map((e) => (e.author === 'citizen' ? `me:${e.text}` : 'bot'));
    assert.deepEqual(sides, ['bot', `me:${ru.question}`, 'bot', 'me:спасибо', 'bot']);
    assert.deepEqual(all.filter((e) => e.author).map((e) => e.clientId), ['q1', 'q2']);
    assert.ok(all.every((e, i) => i === 0 || e.id > all[i - 1]!.id), 'in the order they happened');
  });

  test('a reconnecting page gets what it missed (Last-Event-ID)', async () => {
    const session = 'sess_' + 'b'.repeat(20);
    const kk = entries.find((e) => e.lang === 'kk')!;
    const res = await fetch(`${runtime.url}/chat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session, id: 'k1', text: kk.question }),
    });
    assert.equal(res.status, 202);
    const abort = new AbortController();
    const [event] = await readEvents(`${runtime.url}/chat/events?session=${session}`, 1, abort.signal);
    abort.abort();
    assert.ok(replyInLang(event!.text, 'kk', entries), event!.text);
  });

  test('malformed input gets a 4xx with a short reason, never a stack trace', async () => {
    const send = (body: string, type = 'application/json') =>
      fetch(`${runtime.url}/chat/messages`, { method: 'POST', headers: { 'content-type': type }, body });
    const cases: [string, number][] = [
      ['not json', 400],
      ['{"session":"short","id":"x","text":"hi"}', 400],
      [JSON.stringify({ session: 's'.repeat(20), id: 'x' }), 400],
      [JSON.stringify({ session: 's'.repeat(20), id: 'bad id!', text: 'hi' }), 400],
      [JSON.stringify({ session: 's'.repeat(20), id: 'x', text: 'hi', extra: 1 }), 400],
      [JSON.stringify({ session: 's'.repeat(20), id: 'x', text: 'я'.repeat(40_000) }), 413],
    ];
    for (const [body, status] of cases) {
      const res = await send(body);
      const text = await res.text();
      assert.equal(res.status, status, `${body.slice(0, 60)} → ${res.status} ${text}`);
      assert.doesNotMatch(text, /at .*\.ts:\d+/);
    }
    const noSession = await fetch(`${runtime.url}/chat/events`);
    assert.equal(noSession.status, 400);
    await noSession.text();
  });
});
