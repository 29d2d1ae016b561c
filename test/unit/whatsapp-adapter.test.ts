import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initAuthCreds, type AuthenticationState } from '@whiskeysockets/baileys';
import { createWhatsAppAdapter, type WhatsAppAdapterDeps } from '../../bots/whatsapp/adapter.ts';
import { backoffDelay, closeAction } from '../../bots/whatsapp/connection.ts';
import { toDeliveryError } from '../../bots/whatsapp/errors.ts';
import { fakeSocketFactory } from '../helpers/whatsapp-fake-socket.ts';
import type { InboundMessage, OutboundMessage } from '../../core/envelopes.ts';
import { PermanentError, TransientError } from '../../core/errors.ts';
import { recordingLogger } from '../helpers/fakes.ts';

const JID = '77011234567@s.whatsapp.net';

function setup(over: Partial<WhatsAppAdapterDeps> = {}) {
  let now = Date.parse('2025-03-01T09:00:00Z');
  const sleeps: number[] = [];
  const factory = fakeSocketFactory();
  const auth: AuthenticationState = { creds: initAuthCreds(), keys: { get: async () => ({}), set: async () => undefined } };
  let saved = 0;
  const qrs: string[] = [];
  const logger = recordingLogger();
  const pushed: InboundMessage[] = [];
  const sink = { push: async (m: InboundMessage) => void pushed.push(m) };
  const adapter = createWhatsAppAdapter({
    socketFactory: factory,
    authState: { state: auth, saveCreds: async () => void saved++ },
    logger,
    clock: { now: () => new Date(now) },
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
    pacing: { minDelayMs: 0, jitterMs: 0, perChatPerMinute: 100 },
    printQr: (qr) => void qrs.push(qr),
    ...over,
  });
  return { adapter, factory, auth, sink, pushed, sleeps, qrs, logger, saves: () => saved };
}

/** Lets queued promise chains (intake, reconnect) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

const text = (body: string, id = `M${Math.random().toString(36).slice(2)}`, jid = JID) => ({ key: { remoteJid: jid, id, fromMe: false }, message: { conversation: body } });
const reply = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({ channel: 'whatsapp', chatId: JID, text: 'Ответ', lang: 'ru', traceId: 't1', ...over });

describe('whatsapp adapter', () => {
  it('turns a text into an inbound envelope and shows typing', async () => {
    const t = setup();
    await t.adapter.start(t.sink);
    const sock = t.factory.latest();
    assert.equal(t.factory.auths[0], t.auth, 'the socket gets the stored session');
    sock.open();
    sock.emit('messages.upsert', { type: 'notify', messages: [text('Как получить справку о несудимости?', 'WA1')] });
    await settle();
    assert.equal(t.pushed.length, 1);
    const m = t.pushed[0]!;
    assert.deepEqual(
      { channel: m.channel, chatId: m.chatId, userId: m.userId, messageId: m.messageId, text: m.text, kind: m.kind, receivedAt: m.receivedAt },
      { channel: 'whatsapp', chatId: JID, userId: JID, messageId: 'WA1', text: 'Как получить справку о несудимости?', kind: 'text', receivedAt: '2025-03-01T09:00:00.000Z' },
    );
    assert.match(m.traceId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(sock.presence, [{ type: 'composing', jid: JID }]);

    await t.adapter.deliver(reply());
    assert.deepEqual(sock.sent, [{ jid: JID, text: 'Ответ' }]);
    assert.deepEqual(sock.presence.at(-1), { type: 'paused', jid: JID }, 'typing stops after the reply');
    await t.adapter.stop();
  });

  it('marks an operator’s reply with their name and ends typing on a receipt without sending text', async () => {
    const t = setup();
    await t.adapter.start(t.sink);
    const sock = t.factory.latest();
    sock.open();
    await t.adapter.deliver(reply({ text: 'Здравствуйте!', from: { role: 'operator', name: 'Айгерим' } }));
    assert.deepEqual(sock.sent, [{ jid: JID, text: '🧑‍💼 *Айгерим:* Здравствуйте!' }]);
    sock.emit('messages.upsert', { type: 'notify', messages: [text('Спасибо', 'WA9')] });
    await settle();
    assert.deepEqual(sock.presence.at(-1), { type: 'composing', jid: JID });
    await t.adapter.deliver(reply({ text: '', receipt: 'relayed' }));
    assert.equal(sock.sent.length, 1, 'a receipt sends no message');
    assert.deepEqual(sock.presence.at(-1), { type: 'paused', jid: JID });
    await t.adapter.stop();
  });

  it('passes stickers and media on with their kind', async () => {
    const t = setup();
    await t.adapter.start(t.sink);
    t.factory.latest().emit('messages.upsert', {
      type: 'notify',
      messages: [
        { key: { remoteJid: JID, id: 'S1' }, message: { stickerMessage: {} } },
        { key: { remoteJid: JID, id: 'V1' }, message: { audioMessage: { ptt: true } } },
      ],
    });
    await settle();
    assert.deepEqual(
      t.pushed.map((m) => [m.messageId, m.kind]),
      [['S1', 'sticker'], ['V1', 'voice']],
    );
    await t.adapter.stop();
  });

  it('ignores own, status, group and history messages; malformed upserts never throw', async () => {
    const t = setup();
    await t.adapter.start(t.sink);
    const sock = t.factory.latest();
    sock.emit('messages.upsert', { type: 'notify', messages: [{ key: { remoteJid: JID, id: 'F', fromMe: true }, message: { conversation: 'x' } }] });
    sock.emit('messages.upsert', { type: 'notify', messages: [text('x', 'ST', 'status@broadcast')] });
    sock.emit('messages.upsert', { type: 'notify', messages: [{ ...text('1', 'G', '120363@g.us'), key: { remoteJid: '120363@g.us', id: 'G', participant: JID } }] });
    sock.emit('messages.upsert', { type: 'append', messages: [text('old history', 'H')] });
    const junk: unknown[] = [undefined, null, {}, { type: 'notify' }, { type: 'notify', messages: null }, { type: 'notify', messages: [null, 1, {}, { key: null }, { key: { remoteJid: JID, id: 'NM' } }, { message: { conversation: 'no key' } }] }];
    for (const u of junk) sock.emit('messages.upsert', u as never);
    sock.emit('messages.upsert', { type: 'notify', messages: [text('still alive', 'OK')] });
    await settle();
    assert.deepEqual(t.pushed.map((m) => m.messageId), ['OK']);
    assert.equal(t.logger.lines.filter((l) => l.level === 'error').length, 0);
    await t.adapter.stop();
  });

  it('keeps going when the sink fails', async () => {
    const t = setup();
    let fail = true;
    await t.adapter.start({ push: async (m) => (fail ? ((fail = false), Promise.reject(new Error('queue down'))) : void t.pushed.push(m)) });
    const sock = t.factory.latest();
    sock.emit('messages.upsert', { type: 'notify', messages: [text('a', 'A'), text('b', 'B')] });
    await settle();
    assert.deepEqual(t.pushed.map((m) => m.messageId), ['B']);
    assert.ok(t.logger.lines.some((l) => l.level === 'error' && /could not be queued/.test(l.msg ?? '')));
    await t.adapter.stop();
  });

  it('renders buttons as a numbered list and maps "2" back to the second button', async () => {
    const t = setup();
    await t.adapter.start(t.sink);
    const sock = t.factory.latest();
    sock.open();
    await t.adapter.deliver(
      reply({
        text: 'Уточните, пожалуйста, что именно вас интересует?',
        buttons: [
          { label: 'Удостоверение личности', action: { type: 'choose', faqId: 'id-card' } },
          { label: 'Паспорт', action: { type: 'choose', faqId: 'passport' } },
          { label: 'Связаться с оператором', action: { type: 'operator' } },
        ],
      }),
    );
    assert.equal(sock.sent[0]!.text, 'Уточните, пожалуйста, что именно вас интересует?\n\n1. Удостоверение личности\n2. Паспорт\n3. Связаться с оператором\n\n_Ответьте цифрой._');
    sock.emit('messages.upsert', { type: 'notify', messages: [text('2', 'R2')] });
    await settle();
    assert.equal(t.pushed[0]!.callbackData, 'c:passport');
    assert.equal(t.pushed[0]!.text, 'Паспорт');
    // The list is used up: a second "2" is just text.
    sock.emit('messages.upsert', { type: 'notify', messages: [text('2', 'R3')] });
    await settle();
    assert.equal(t.pushed[1]!.callbackData, undefined);
    assert.equal(t.pushed[1]!.text, '2');

    await t.adapter.deliver(reply({ text: 'Выберите', buttons: [{ label: 'Связаться с оператором', action: { type: 'operator' } }] }));
    sock.emit('messages.upsert', { type: 'notify', messages: [text('оператор', 'R4')] });
    await settle();
    assert.equal(t.pushed[2]!.callbackData, 'op');
    await t.adapter.stop();
  });

  it('paces sends and refuses a chat over its per-minute limit', async () => {
    const t = setup({ pacing: { minDelayMs: 1000, jitterMs: 400, perChatPerMinute: 2 } });
    await t.adapter.start(t.sink);
    const sock = t.factory.latest();
    sock.open();
    await Promise.all([t.adapter.deliver(reply({ text: 'a' })), t.adapter.deliver(reply({ text: 'b', chatId: 'x@s.whatsapp.net' })), t.adapter.deliver(reply({ text: 'c' }))]);
    assert.deepEqual(sock.sent.map((s) => s.text), ['a', 'b', 'c']);
    assert.deepEqual(t.sleeps, [1200, 1200], 'min delay plus half the jitter between sends');
    await assert.rejects(t.adapter.deliver(reply({ text: 'd' })), (err: unknown) => err instanceof TransientError && (err.retryAfterMs ?? 0) > 0);
    assert.equal(sock.sent.length, 3);
    await t.adapter.stop();
  });

  it('prints the QR, saves credentials, and reconnects with backoff after a transient close', async () => {
    const t = setup({ reconnect: { baseMs: 1000, maxMs: 8000 } });
    await t.adapter.start(t.sink);
    const first = t.factory.latest();
    first.emit('connection.update', { qr: '2@abc,def' });
    assert.deepEqual(t.qrs, ['2@abc,def']);
    first.emit('creds.update', { registered: true });
    await settle();
    assert.equal(t.saves(), 1);

    first.open();
    assert.equal(t.adapter.status(), 'open');
    first.close(428);
    assert.equal(t.adapter.status(), 'connecting');
    await assert.rejects(t.adapter.deliver(reply()), (err: unknown) => err instanceof TransientError && err.retryAfterMs === 5000);
    await settle();
    assert.equal(t.factory.sockets.length, 2, 'the factory is called again');
    t.factory.latest().close(408);
    await settle();
    t.factory.latest().close(503);
    await settle();
    t.factory.latest().close(500);
    await settle();
    t.factory.latest().close(428);
    await settle();
    assert.deepEqual(t.sleeps, [1000, 2000, 4000, 8000, 8000], 'doubling, capped');
    assert.equal(t.factory.sockets.length, 6);
    t.factory.latest().open();
    t.factory.latest().close(428);
    await settle();
    assert.equal(t.sleeps.at(-1), 1000, 'an open connection resets the backoff');
    // Events of an old socket are ignored.
    t.factory.sockets[0]!.emit('messages.upsert', { type: 'notify', messages: [text('late', 'OLD')] });
    first.emit('creds.update', {});
    await settle();
    assert.equal(t.saves(), 1);
    await t.adapter.stop();
  });

  it('reconnects at once when WhatsApp asks for a restart after the QR scan', async () => {
    const t = setup();
    await t.adapter.start(t.sink);
    t.factory.latest().close(515);
    await settle();
    assert.equal(t.factory.sockets.length, 2);
    assert.deepEqual(t.sleeps, []);
    await t.adapter.stop();
  });

  for (const code of [401, 403]) {
    it(`stops on ${code} (logged out) without reconnecting`, async () => {
      let hooks = 0;
      const t = setup({ onLoggedOut: async () => void hooks++ });
      await t.adapter.start(t.sink);
      t.factory.latest().open();
      t.factory.latest().close(code);
      await settle();
      assert.equal(t.factory.sockets.length, 1);
      assert.equal(t.adapter.status(), 'logged-out');
      assert.equal(hooks, 1);
      const line = t.logger.lines.find((l) => l.level === 'error');
      assert.match(line?.msg ?? '', /WhatsApp logged out: delete the session with .* and scan again/);
      await assert.rejects(t.adapter.deliver(reply()), PermanentError);
      await t.adapter.stop();
      assert.equal(t.factory.sockets.length, 1);
    });
  }

  it('does not fight another process over the session (440)', async () => {
    const t = setup();
    await t.adapter.start(t.sink);
    t.factory.latest().close(440);
    await settle();
    assert.equal(t.factory.sockets.length, 1);
    assert.equal(t.adapter.status(), 'replaced');
    await t.adapter.stop();
  });

  it('maps send failures to transient or permanent errors', async () => {
    const t = setup();
    await t.adapter.start(t.sink);
    const sock = t.factory.latest();
    sock.open();
    const boom = (statusCode: number, message = 'x') => Object.assign(new Error(message), { output: { statusCode } });
    sock.failNextSend(boom(428, 'Connection Closed'), boom(400, 'bad-request'));
    await assert.rejects(t.adapter.deliver(reply()), TransientError);
    await assert.rejects(t.adapter.deliver(reply()), PermanentError);
    await t.adapter.deliver(reply());
    assert.equal(sock.sent.length, 1);
    await t.adapter.stop();
  });

  it('stop() is idempotent, ends the socket and lets in-flight sends finish', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const t = setup();
    await t.adapter.start(t.sink);
    const sock = t.factory.latest();
    sock.open();
    const original = sock.sendMessage;
    sock.sendMessage = async (jid, content) => {
      await gate;
      return original(jid, content);
    };
    const delivering = t.adapter.deliver(reply({ text: 'last words' }));
    await settle();
    const s1 = t.adapter.stop();
    const s2 = t.adapter.stop();
    assert.equal(s1, s2);
    assert.equal(sock.ended, false, 'waits for the send in flight');
    release();
    await delivering;
    await s1;
    assert.equal(sock.ended, true);
    assert.deepEqual(sock.sent.map((s) => s.text), ['last words']);
    assert.equal(t.adapter.status(), 'stopped');
    assert.equal(t.factory.sockets.length, 1, 'no reconnect after stop');
    sock.emit('messages.upsert', { type: 'notify', messages: [text('after stop')] });
    await settle();
    assert.equal(t.pushed.length, 0);
    await assert.rejects(t.adapter.deliver(reply()), TransientError);
    await t.adapter.stop();
  });
});

describe('whatsapp connection policy', () => {
  it('classifies close codes', () => {
    assert.equal(closeAction(515), 'restart');
    assert.equal(closeAction(401), 'logged-out');
    assert.equal(closeAction(403), 'logged-out');
    assert.equal(closeAction(440), 'replaced');
    for (const c of [408, 428, 500, 503, 411, undefined]) assert.equal(closeAction(c), 'retry');
  });

  it('backs off exponentially with bounded jitter', () => {
    const opts = { baseMs: 500, maxMs: 30_000 };
    assert.equal(backoffDelay(0, opts, () => 0.5), 500);
    assert.equal(backoffDelay(3, opts, () => 0.5), 4000);
    assert.equal(backoffDelay(50, opts, () => 0.5), 30_000);
    assert.equal(backoffDelay(3, opts, () => 0), 3200);
    assert.equal(backoffDelay(50, opts, () => 1), 30_000, 'jitter never exceeds the cap');
  });

  it('maps errors', () => {
    const withCode = (code: string) => Object.assign(new Error('net'), { code });
    assert.ok(toDeliveryError(Object.assign(new Error('Timed Out'), { output: { statusCode: 408 } })) instanceof TransientError);
    assert.ok(toDeliveryError(withCode('ECONNRESET')) instanceof TransientError);
    assert.ok(toDeliveryError(new Error('Connection Closed')) instanceof TransientError);
    assert.ok(toDeliveryError(Object.assign(new Error('x'), { output: { statusCode: 502 } })) instanceof TransientError);
    const rate = toDeliveryError(Object.assign(new Error('rate-overlimit'), { output: { statusCode: 429 } }));
    assert.ok(rate instanceof TransientError && rate.retryAfterMs === 60_000);
    assert.ok(toDeliveryError(Object.assign(new Error('not-acceptable'), { output: { statusCode: 406 } })) instanceof PermanentError);
    assert.ok(toDeliveryError(new TypeError('Cannot read properties of undefined')) instanceof PermanentError);
    const own = new PermanentError('kept');
    assert.equal(toDeliveryError(own), own);
  });
});
