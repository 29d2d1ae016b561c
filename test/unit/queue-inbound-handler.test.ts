/** The worker's error boundary and its recovery of jobs interrupted mid-way. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { InboundMessage, OutboundMessage } from '../../core/envelopes.ts';
import { PermanentError, TransientError } from '../../core/errors.ts';
import type { PipelineResult } from '../../core/pipeline.ts';
import type { Conversation, JobInfo, StoredMessage } from '../../core/ports.ts';
import { t } from '../../core/texts.ts';
import { createInboundHandler, guessLang } from '../../queue/inbound-handler.ts';
import { outboundJobId } from '../../queue/job-ids.ts';
import { recordingLogger } from '../helpers/fakes.ts';

const msg: InboundMessage = {
  channel: 'telegram',
  chatId: '42',
  userId: '42',
  messageId: '7',
  text: 'Как получить паспорт?',
  kind: 'text',
  receivedAt: '2026-01-01T00:00:00Z',
  traceId: 'trace-1',
};
const first: JobInfo = { id: 'job', attempt: 1, final: false, redelivered: false };
const last: JobInfo = { id: 'job', attempt: 5, final: true, redelivered: true };
const reply: OutboundMessage = { channel: 'telegram', chatId: '42', text: 'Ответ', inReplyTo: '7', traceId: 'trace-1' };

function setup(handle: (m: InboundMessage) => Promise<PipelineResult>, stored: Partial<StoredMessage>[] = []) {
  const added: { data: OutboundMessage; id: string }[] = [];
  const handled: InboundMessage[] = [];
  const handler = createInboundHandler({
    pipeline: {
      handle: async (m) => {
        handled.push(m);
        return handle(m);
      },
    },
    outbound: { add: async (data, { id }) => void added.push({ data, id }) },
    conversations: {
      open: async () => ({ id: 'conv-1' }) as Conversation,
      messages: async () => stored as StoredMessage[],
    },
    logger: recordingLogger(),
  });
  return { handler, added, handled };
}

describe('inbound handler', () => {
  test('replies are queued with ids derived from the message', async () => {
    const { handler, added } = setup(async () => ({ action: 'answer', lang: 'ru', replies: [reply] }));
    await handler(msg, first);
    assert.deepEqual(added, [{ data: reply, id: outboundJobId(reply, 0) }]);
  });

  test('a transient failure is rethrown for a retry, without telling the citizen yet', async () => {
    const { handler, added } = setup(async () => {
      throw new TransientError('connection reset');
    });
    await assert.rejects(handler(msg, first), TransientError);
    assert.equal(added.length, 0);
  });

  test('on the last try the citizen gets the error text in their language', async () => {
    const { handler, added } = setup(async () => {
      throw new TransientError('connection reset');
    });
    await assert.rejects(handler(msg, last), TransientError);
    assert.equal(added.length, 1);
    assert.equal(added[0]!.data.text, t('error', 'ru'));
  });

  test('a programming error is permanent: no retries, the citizen is told at once', async () => {
    const { handler, added } = setup(async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    });
    await assert.rejects(handler({ ...msg, text: 'Төлқұжат' }, first), PermanentError);
    assert.equal(added[0]!.data.text, t('error', 'kk'));
  });

  test('a first delivery seen before is ignored', async () => {
    const { handler, added, handled } = setup(async () => ({ action: 'duplicate', lang: 'ru', replies: [] }));
    await handler(msg, first);
    assert.equal(handled.length, 1);
    assert.equal(added.length, 0);
  });

  test('a retried job whose earlier try stored replies sends those, under the same ids', async () => {
    const stored = [
      { author: 'citizen', text: msg.text, traceId: 'trace-1', platformMessageId: '7' },
      { author: 'bot', text: 'Ответ', traceId: 'trace-1', lang: 'ru' },
      { author: 'bot', text: 'other', traceId: 'trace-0', lang: 'ru' },
    ] as Partial<StoredMessage>[];
    const { handler, added } = setup(async () => ({ action: 'duplicate', lang: 'ru', replies: [] }), stored);
    await handler(msg, { ...first, attempt: 2, redelivered: true });
    assert.equal(added.length, 1);
    assert.equal(added[0]!.data.text, 'Ответ');
    assert.equal(added[0]!.id, outboundJobId(reply, 0));
  });

  test('a retried job whose earlier try died before answering is processed again', async () => {
    const { handler, added, handled } = setup(async (m) =>
      m.messageId === '7' ? { action: 'duplicate', lang: 'ru', replies: [] } : { action: 'answer', lang: 'ru', replies: [{ ...reply, inReplyTo: m.messageId }] },
    );
    await handler(msg, { ...first, attempt: 2, redelivered: true });
    assert.equal(handled.length, 2);
    assert.notEqual(handled[1]!.messageId, '7');
    assert.equal(added[0]!.data.inReplyTo, '7');
  });

  test('the language of the error text is guessed from letters alone', () => {
    assert.equal(guessLang('Жеке куәлік'), 'kk');
    assert.equal(guessLang('Паспорт'), 'ru');
    assert.equal(guessLang('passport'), 'en');
    assert.equal(guessLang('👍'), 'kk');
  });
});
