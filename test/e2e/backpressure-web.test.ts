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
import { sleep, testConfig, until } from './telegram-harness.ts';

const HIGH_WATER = 3;

describe('web chat under backpressure', () => {
  let db: TestDatabase;
  let runtime: Runtime;
  const handled: string[] = [];

  before(async () => {
    db = await memoryDatabase();
    const config = testConfig({ KOMEK_QUEUE_HIGH_WATER: String(HIGH_WATER), KOMEK_WORKER_CONCURRENCY: '1' });
    const pipeline = {
      async handle(msg: InboundMessage): Promise<PipelineResult> {
        await sleep(150);
        handled.push(msg.messageId);
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
});
