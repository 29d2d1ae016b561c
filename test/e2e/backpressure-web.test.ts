/**
 * Backpressure end to end on the embedded default: a tiny high-water mark (3) and a slow worker
 * (one job at a time, 150 ms each). A burst of web-chat messages is partly refused with 503,
 * Retry-After and a polite body in kk/ru/en; the queue never holds more than its bound; the
 * refused messages sent again (same ids, as the page does) are all answered, each once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startRuntime, type Runtime } from '../../app/runtime.ts';
import type { InboundMessage } from '../../core/envelopes.ts';
import type { PipelineResult } from '../../core/pipeline.ts';
import { createConversationStore } from '../../db/conversation-store.ts';
import { memoryDatabase, type TestDatabase } from '../helpers/databases.ts';
import { recordingLogger } from '../helpers/fakes.ts';
import { launchChromium } from '../helpers/browser.ts';
import { BUSY_TEXT } from '../../bots/web/busy.ts';
import { sleep, testConfig, until } from './telegram-harness.ts';

const HIGH_WATER = 3;

describe('web chat under backpressure', () => {
  let db: TestDatabase;
  let runtime: Runtime;
  const handled: string[] = [];
  const handledChats: string[] = [];
  /** While set, the worker waits on it: the queue then stays as full as the test made it. */
  let gate: Promise<void> | undefined;

  before(async () => {
    db = await memoryDatabase();
    const config = testConfig({ KOMEK_QUEUE_HIGH_WATER: String(HIGH_WATER), KOMEK_WORKER_CONCURRENCY: '1' });
    const pipeline = {
      async handle(msg: InboundMessage): Promise<PipelineResult> {
        if (gate) await gate;
        await sleep(150);
        handled.push(msg.messageId);
        handledChats.push(msg.chatId);
        const reply = { channel: msg.channel, chatId: msg.chatId, text: 'Жауап', inReplyTo: msg.messageId, lang: 'kk' as const, traceId: msg.traceId };
        return { action: 'answer', lang: 'kk', replies: [reply] };
      },
    };
    runtime = await startRuntime(
      { config, logger: recordingLogger(), pipeline, conversations: createConversationStore(db.database.db), database: db.database },
      { role: 'all' },
    );
  });

  after(async () => {
    await runtime?.close();
    await db?.drop();
  });

  const post = (i: number) =>
    fetch(`${runtime.url}/chat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session: `busy_session_${String(i).padStart(6, '0')}`, id: `m${i}`, text: 'Сәлем' }),
    });

  test('refused with 503 + Retry-After over the mark; bounded; everything answered once when sent again', { timeout: 60_000 }, async () => {
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await runtime.inbound.depth());
        await sleep(5);
      }
    })();
    const refused: number[] = [];
    for (let i = 0; i < 15; i++) {
      const res = await post(i);
      if (res.status === 202) continue;
      assert.equal(res.status, 503);
      const seconds = Number(res.headers.get('retry-after'));
      assert.ok(Number.isInteger(seconds) && seconds >= 1, `Retry-After: ${res.headers.get('retry-after')}`);
      const body = (await res.json()) as { error: string; retryAfter: number; message: Record<string, string> };
      assert.equal(body.error, 'busy');
      assert.equal(body.retryAfter, seconds);
      for (const lang of ['kk', 'ru', 'en']) assert.ok((body.message[lang] ?? '').length > 10, `a polite ${lang} text`);
      refused.push(i);
    }
    assert.ok(refused.length >= 5, `only ${refused.length} of 15 refused with a high-water mark of ${HIGH_WATER}`);
    // The page sends the same message again after the wait; here every 200 ms until accepted.
    let pending = refused;
    await until(async () => {
      const statuses = await Promise.all(pending.map(async (i) => [i, (await post(i)).status] as const));
      pending = statuses.filter(([, s]) => s !== 202).map(([i]) => i);
      if (pending.length > 0) await sleep(200);
      return pending.length === 0;
    }, 40_000, 'every refused message accepted');
    await until(() => handled.length >= 15, 20_000, 'every message handled');
    sampling = false;
    await sampler;
    await sleep(300);
    assert.deepEqual([...handled].sort(), Array.from({ length: 15 }, (_, i) => `m${i}`).sort(), 'each message handled once');
    assert.ok(peak <= HIGH_WATER + 1, `the inbound queue held ${peak} waiting messages (mark ${HIGH_WATER})`);
  });

  test('in a browser: the page says politely that it is busy, in the citizen’s language, and sends again until answered', { timeout: 90_000 }, async () => {
    await until(async () => (await runtime.inbound.depth()) === 0, 20_000, 'the queue drained after the previous test');
    const browser = await launchChromium();
    // The worker is held and other citizens fill the queue past its mark, so it stays full,
    // whatever the machine's speed, until the page has been refused.
    let release!: () => void;
    gate = new Promise<void>((resolve) => (release = resolve));
    try {
      // Refusals are judged on a depth reading trusted for 500 ms: posting goes on until one
      // made after a fresh reading is refused, i.e. the held queue itself is at the mark.
      const began = Date.now();
      let refused = false;
      for (let i = 100; i < 200 && !refused; i++) {
        refused = (await post(i)).status === 503 && Date.now() - began > 1_000;
        await sleep(50);
      }
      assert.ok(refused, 'the queue over its mark');
      const context = await browser.newContext({ locale: 'ru-RU' });
      const page = await context.newPage();
      await page.goto(`${runtime.url}/`);
      await page.fill('#input', 'Как получить справку?');
      await page.press('#input', 'Enter');
      await page.waitForFunction((text) => document.querySelector('#status')?.textContent === text, BUSY_TEXT.ru, { timeout: 20_000 });
      gate = undefined;
      release();
      // After Retry-After the page sends the same messages again (the silent greeting of a first
      // visit and the question); the queue has drained by then, and both are answered.
      await page.waitForFunction(() => Array.from(document.querySelectorAll('#log .bot')).filter((m) => m.textContent?.includes('Жауап')).length >= 2, undefined, { timeout: 60_000 });
      await page.waitForFunction(() => document.querySelector('#status')?.textContent === '', undefined, { timeout: 10_000 });
      const session = await page.evaluate(() => localStorage.getItem('komek.session'));
      await sleep(500);
      // The silent greeting of a first visit and the question: each handled once, however often sent.
      assert.equal(handledChats.filter((c) => c === session).length, 2, `handled for the page: ${handledChats.filter((c) => c === session).length}`);
      const mine = await page.$$eval('#log .me', (els) => els.map((e) => e.textContent));
      assert.deepEqual(mine, ['Как получить справку?']);
    } finally {
      gate = undefined;
      release();
      await browser.close();
    }
  });
});
