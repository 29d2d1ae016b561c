/**
 * One traceId per message across adapter, queue and worker: a question posted to the web chat
 * is handled by the runtime with a real pino logger (level debug) writing into a Writable, and
 * every log line produced while that message is handled carries the same traceId.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { startRuntime, type Runtime } from '../../app/runtime.ts';
import type { KbEntry } from '../../core/kb.ts';
import type { ConversationStore, Logger } from '../../core/ports.ts';
import { memoryDatabase, type TestDatabase } from '../helpers/databases.ts';
import { demoKb, sleep, testConfig, testServices, until } from '../e2e/telegram-harness.ts';

interface Line {
  msg?: string;
  traceId?: string;
  level: number;
  [key: string]: unknown;
}

describe('trace ids in the logs', () => {
  const lines: Line[] = [];
  let db: TestDatabase;
  let runtime: Runtime;
  let entries: KbEntry[];
  let conversations: ConversationStore;

  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const raw of chunk.toString().split('\n')) if (raw.trim()) lines.push(JSON.parse(raw) as Line);
        done();
      },
    });
    const logger = pino({ level: 'debug' }, sink) as unknown as Logger;
    db = await memoryDatabase();
    entries = await demoKb();
    const services = await testServices(db, testConfig({ LOG_LEVEL: 'debug' }), entries, logger);
    conversations = services.conversations;
    runtime = await startRuntime(services, { role: 'all' });
  });

  after(async () => {
    await runtime?.close();
    await db?.drop();
  });

  test('every line logged while one message is handled carries its traceId', async () => {
    const session = 'trace_' + 'c'.repeat(20);
    const question = entries.find((e) => e.lang === 'ru')!.question;
    const from = lines.length;
    const res = await fetch(`${runtime.url}/chat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session, id: 'trace-1', text: question }),
    });
    assert.equal(res.status, 202);
    const bot = async () => {
      const conv = await conversations.open('web', session, session);
      return (await conversations.messages(conv.id)).filter((m) => m.author === 'bot');
    };
    await until(async () => (await bot()).length > 0, 10_000, 'the reply');
    await sleep(300); // the outbound job finishes after the reply is stored
    const traceId = (await bot())[0]!.traceId;
    assert.ok(traceId, 'the stored reply carries the trace id');
    const handled = lines.slice(from);
    assert.ok(handled.some((l) => l.msg === 'handled'), 'the worker logged the message');
    const stray = handled.filter((l) => l.traceId !== traceId);
    assert.deepEqual(stray.map((l) => l.msg), [], 'lines without this message\'s traceId');
  });

  test('a failed job is logged with its traceId too', async () => {
    // A reply for a channel with no adapter in this process fails permanently in the queue.
    const from = lines.length;
    const failing = runtime.outbound;
    await failing.add({ channel: 'whatsapp', chatId: 'x', text: 'hi', traceId: 'trace-whatsapp' }, { id: 'no-adapter-1', key: 'whatsapp|x' });
    await until(() => lines.slice(from).some((l) => l.msg === 'job failed'), 10_000, 'the failure to be logged');
    const about = lines.slice(from);
    const missing = about.filter((l) => l.traceId !== 'trace-whatsapp');
    assert.deepEqual(missing.map((l) => l.msg), [], 'queue lines about this job without its traceId');
  });
});
