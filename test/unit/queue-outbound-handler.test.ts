/**
 * The outbound handler: a reply is delivered once per job id even when its job runs again (the
 * delivery mark is checked first), a mark that cannot be written does not resend, and every try
 * is counted by channel and outcome.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OutboundMessage } from '../../core/envelopes.ts';
import { PermanentError, TransientError } from '../../core/errors.ts';
import type { DeliveryMarks, JobInfo } from '../../core/ports.ts';
import { createMemoryDeliveryMarks } from '../../memory/delivery-marks.ts';
import { createOutboundHandler, type OutboundOutcome } from '../../queue/outbound-handler.ts';
import { recordingLogger } from '../helpers/fakes.ts';

const reply: OutboundMessage = { channel: 'telegram', chatId: '42', text: 'Жауап', inReplyTo: '7', traceId: 'trace-7' };
const first: JobInfo = { id: 'out|telegram|42|7|0', attempt: 1, final: false, redelivered: false };
const again: JobInfo = { ...first, attempt: 1, redelivered: true };

function setup(opts: { marks?: DeliveryMarks; deliver?: (m: OutboundMessage) => Promise<void> } = {}) {
  const sent: OutboundMessage[] = [];
  const counted: { channel: string; outcome: OutboundOutcome }[] = [];
  const marks = opts.marks ?? createMemoryDeliveryMarks();
  const log = recordingLogger();
  const handler = createOutboundHandler({
    adapters: new Map([['telegram', { deliver: opts.deliver ?? (async (m) => void sent.push(m)) }]]),
    marks,
    logger: log,
    outcomes: { inc: (labels) => void counted.push(labels) },
  });
  return { handler, sent, counted, marks, log };
}

describe('outbound handler', () => {
  test('a job run again after its reply went out (Redis lost the completion) does not send twice', async () => {
    const { handler, sent, counted, log } = setup();
    await handler(reply, first);
    await handler(reply, again);
    assert.equal(sent.length, 1);
    assert.deepEqual(counted.map((c) => c.outcome), ['delivered', 'duplicate']);
    const skipped = log.lines.find((l) => l.msg === 'reply was already delivered; not sending it again');
    assert.equal((skipped?.obj as { traceId?: string }).traceId, 'trace-7');
  });

  test('the mark is written only after the platform accepted the reply', async () => {
    const marks = createMemoryDeliveryMarks();
    let markedBeforeSend: boolean | undefined;
    const { handler } = setup({ marks, deliver: async () => void (markedBeforeSend = marks.ids.has(first.id)) });
    await handler(reply, first);
    assert.equal(markedBeforeSend, false);
    assert.ok(marks.ids.has(first.id));
  });

  test('a failed delivery leaves no mark, so the retry sends', async () => {
    let calls = 0;
    const { handler, counted, marks } = setup({
      deliver: async () => {
        if (++calls === 1) throw new TransientError('telegram sendMessage: 502 Bad Gateway');
      },
    });
    await assert.rejects(handler(reply, first), TransientError);
    assert.equal(await marks.has(first.id), false);
    await handler(reply, { ...first, attempt: 2, redelivered: true });
    assert.equal(calls, 2);
    assert.deepEqual(counted.map((c) => c.outcome), ['retrying', 'delivered']);
  });

  test('permanent failures, final tries and a missing adapter count as failed', async () => {
    const { handler, counted } = setup({ deliver: async () => Promise.reject(new PermanentError('403 bot was blocked')) });
    await assert.rejects(handler(reply, first), PermanentError);
    const transient = setup({ deliver: async () => Promise.reject(new TransientError('timeout')) });
    await assert.rejects(transient.handler(reply, { ...first, attempt: 14, final: true }), TransientError);
    await assert.rejects(handler({ ...reply, channel: 'whatsapp' }, first), /no whatsapp adapter/);
    assert.deepEqual([...counted, ...transient.counted], [
      { channel: 'telegram', outcome: 'failed' },
      { channel: 'whatsapp', outcome: 'failed' },
      { channel: 'telegram', outcome: 'failed' },
    ]);
  });

  test('a mark that cannot be written is logged; the job does not fail (that would resend)', async () => {
    const marks: DeliveryMarks = { has: async () => false, mark: async () => Promise.reject(new Error('Connection terminated')) };
    const { handler, sent, log } = setup({ marks });
    await handler(reply, first);
    assert.equal(sent.length, 1);
    assert.ok(log.lines.some((l) => l.level === 'warn' && l.msg === 'could not record the delivery mark'));
  });

  test('with markRetryMs a mark that fails for a moment is written once the database answers', async () => {
    let refusals = 2;
    const written: string[] = [];
    const marks: DeliveryMarks = {
      has: async () => false,
      async mark(id) {
        if (refusals-- > 0) throw new Error('Connection terminated');
        written.push(id);
      },
    };
    const log = recordingLogger();
    const handler = createOutboundHandler({ adapters: new Map([['telegram', { deliver: async () => {} }]]), marks, logger: log, markRetryMs: 5_000 });
    await handler(reply, first);
    assert.deepEqual(written, [first.id]);
    assert.equal(log.lines.filter((l) => l.msg === 'could not record the delivery mark').length, 0);
  });

  test('marks unreadable (database down): the reply waits, transient, rather than risk a second send', async () => {
    const marks: DeliveryMarks = { has: async () => Promise.reject(new Error('ECONNREFUSED')), mark: async () => {} };
    const { handler, sent } = setup({ marks });
    await assert.rejects(handler(reply, first), TransientError);
    await assert.rejects(handler(reply, again), TransientError);
    assert.equal(sent.length, 0);
  });
});
