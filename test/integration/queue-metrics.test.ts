/**
 * Queue metrics through the runtime's /metrics: `komek_queue_depth{queue}` is read at scrape time
 * (a backlog shows while a slow worker has one), and `komek_outbound_total{channel,outcome}`
 * counts delivered replies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createMetrics, type Metrics } from '../../app/metrics.ts';
import { startRuntime, type Runtime } from '../../app/runtime.ts';
import type { InboundMessage } from '../../core/envelopes.ts';
import type { PipelineResult } from '../../core/pipeline.ts';
import { createConversationStore } from '../../db/conversation-store.ts';
import { memoryDatabase, type TestDatabase } from '../helpers/databases.ts';
import { recordingLogger } from '../helpers/fakes.ts';
import { sleep, testConfig, until } from '../e2e/telegram-harness.ts';

function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('queue metrics', () => {
  let db: TestDatabase;
  let runtime: Runtime;
  let metrics: Metrics;
  let handled = 0;

  before(async () => {
    db = await memoryDatabase();
    metrics = createMetrics({ defaultMetrics: false });
    const config = testConfig({ KOMEK_WORKER_CONCURRENCY: '1' });
    const pipeline = {
      async handle(msg: InboundMessage): Promise<PipelineResult> {
        await sleep(200);
        handled++;
        return { action: 'answer', lang: 'en', replies: [{ channel: msg.channel, chatId: msg.chatId, text: 'Answer', inReplyTo: msg.messageId, traceId: msg.traceId }] };
      },
    };
    runtime = await startRuntime(
      { config, logger: recordingLogger(), pipeline, conversations: createConversationStore(db.database.db), database: db.database, metrics },
      { role: 'all', mounts: [metrics.mount()] },
    );
  });

  after(async () => {
    await runtime?.close();
    await db?.drop();
  });

  const scrape = async () => (await fetch(`${runtime.url}/metrics`)).text();

  test('depth is read at scrape time; delivered replies are counted by channel', async () => {
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${runtime.url}/chat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ session: `metrics_session_${i}_xxxxxx`, id: `m${i}`, text: 'hello' }),
      });
      assert.equal(res.status, 202);
    }
    const during = await scrape();
    assert.ok((sample(during, 'komek_queue_depth', 'queue="inbound"') ?? 0) >= 2, `a backlog while the worker is busy:\n${during}`);
    assert.equal(sample(during, 'komek_queue_depth', 'queue="outbound"') !== undefined, true);
    await until(() => handled === 4, 10_000, 'every message handled');
    await sleep(200);
    const afterwards = await scrape();
    assert.equal(sample(afterwards, 'komek_queue_depth', 'queue="inbound"'), 0);
    assert.equal(sample(afterwards, 'komek_outbound_total', 'channel="web",outcome="delivered"'), 4);
  });
});
