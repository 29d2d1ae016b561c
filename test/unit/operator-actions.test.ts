import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { OutboundMessage } from '../../core/envelopes.ts';
import { createMemoryConversationStore } from '../../memory/conversation-store.ts';
import { createOperatorActions, type OperatorActor } from '../../core/operator-actions.ts';
import { OperatorActionError } from '../../core/operator-errors.ts';
import type { AuditEntry, Conversation, OperatorConversations } from '../../core/ports.ts';
import { t } from '../../core/texts.ts';
import { fixedClock, recordingLogger } from '../helpers/fakes.ts';

/** Ownership transitions over the memory store, conditional like the SQL ones. */
function memoryOperatorConversations(store: ReturnType<typeof createMemoryConversationStore>): OperatorConversations {
  const find = (id: string) => store.all().find((c) => c.id === id);
  const escalatedAt = new Map<string, Date>();
  return {
    get: async (id) => find(id),
    async claim(id, operatorId, now) {
      const c = find(id);
      if (c?.owner !== 'waiting') return undefined;
      const conversation = await store.update(id, { owner: 'operator', operatorId });
      return { conversation, waitedMs: now.getTime() - (escalatedAt.get(id) ?? now).getTime() };
    },
    async transfer(id, to, from) {
      const c = find(id);
      if (c?.owner !== 'operator' || c.operatorId !== from) return undefined;
      return store.update(id, { operatorId: to });
    },
    async release(id, owner, from) {
      const c = find(id);
      if (!c || (c.owner !== 'waiting' && c.owner !== 'operator') || c.operatorId !== from) return undefined;
      return store.update(id, { owner, operatorId: null, fallbackStreak: 0 });
    },
  };
}

const aigerim: OperatorActor = { id: 'op-a', role: 'operator', displayName: 'Айгерім' };
const daniyar: OperatorActor = { id: 'op-d', role: 'operator', displayName: 'Данияр' };
const boss: OperatorActor = { id: 'op-admin', role: 'admin', displayName: 'Әкімші' };

describe('operator actions', () => {
  let store: ReturnType<typeof createMemoryConversationStore>;
  let sent: OutboundMessage[];
  let audit: AuditEntry[];
  let events: unknown[];
  let actions: ReturnType<typeof createOperatorActions>;
  let conv: Conversation;

  beforeEach(async () => {
    store = createMemoryConversationStore();
    sent = [];
    audit = [];
    events = [];
    actions = createOperatorActions({
      conversations: memoryOperatorConversations(store),
      store,
      outbound: { send: async (m) => void sent.push(m) },
      audit: { record: async (e) => void audit.push(e) },
      events: { emit: (e) => void events.push(e) },
      clock: fixedClock('2026-12-01T06:00:00Z'),
      logger: recordingLogger(),
    });
    conv = await store.open('whatsapp', '7701', 'u');
    conv = await store.update(conv.id, { owner: 'waiting', lang: 'en', fallbackStreak: 1 });
  });

  const refusal = (code: string) => (err: unknown) => err instanceof OperatorActionError && err.code === code;

  it('claims once; a second claim by someone else is a conflict, by the owner a no-op', async () => {
    await actions.claim(aigerim, conv.id);
    await assert.rejects(actions.claim(daniyar, conv.id), refusal('conflict'));
    assert.equal((await actions.claim(aigerim, conv.id)).operatorId, aigerim.id);
    assert.deepEqual(audit.map((a) => a.action), ['claim']);
    assert.deepEqual(events, [{ type: 'owner-changed', conversationId: conv.id, owner: 'operator' }]);
  });

  it('replies through the conversation channel, only as its owner', async () => {
    await assert.rejects(actions.reply(aigerim, conv.id, 'hi'), refusal('conflict'));
    await actions.claim(aigerim, conv.id);
    await assert.rejects(actions.reply(daniyar, conv.id, 'hi'), refusal('conflict'));
    await assert.rejects(actions.reply(aigerim, conv.id, ' \n '), refusal('invalid'));
    await assert.rejects(actions.reply(aigerim, conv.id, 'x'.repeat(4001)), refusal('invalid'));
    const stored = await actions.reply(aigerim, conv.id, '  Hello, I can help.  ');
    assert.equal(stored.author, 'operator');
    assert.equal(stored.operatorId, aigerim.id);
    assert.deepEqual(sent.map((m) => [m.channel, m.chatId, m.text, m.lang, m.from]), [
      ['whatsapp', '7701', 'Айгерім (operator) has joined.', 'en', undefined],
      ['whatsapp', '7701', 'Hello, I can help.', 'en', { role: 'operator', name: 'Айгерім' }],
    ]);
  });

  it('tells the citizen by name, in their language, that an operator joined — once', async () => {
    await store.update(conv.id, { lang: 'ru' });
    await actions.claim(aigerim, conv.id);
    await actions.claim(aigerim, conv.id); // the same operator clicking again
    assert.deepEqual(sent.map((m) => m.text), ['К вам подключился оператор Айгерім.']);
    assert.equal(sent[0]!.from, undefined, 'the notice is the service speaking, not the operator');
    const history = await store.messages(conv.id);
    assert.deepEqual(history.filter((m) => m.author === 'bot').map((m) => m.action), ['operator-joined']);
    await store.update(conv.id, { lang: 'kk' });
    await actions.transfer(aigerim, conv.id, { id: daniyar.id, displayName: daniyar.displayName });
    assert.equal(sent.at(-1)!.text, 'Данияр (оператор) қосылды.');
  });

  it('keeps a claim whose joined notice could not be queued', async () => {
    const logger = recordingLogger();
    const flaky = createOperatorActions({
      conversations: memoryOperatorConversations(store),
      store,
      outbound: { send: async () => Promise.reject(new Error('queue down')) },
      audit: { record: async () => {} },
      clock: fixedClock('2026-12-01T06:00:00Z'),
      logger,
    });
    assert.equal((await flaky.claim(aigerim, conv.id)).owner, 'operator');
    assert.ok(logger.lines.some((l) => l.level === 'warn' && /joined/.test(l.msg ?? '')));
  });

  it('does not store a reply the sink failed to take', async () => {
    await actions.claim(aigerim, conv.id);
    const failing = createOperatorActions({
      conversations: memoryOperatorConversations(store),
      store,
      outbound: { send: async () => Promise.reject(new Error('queue down')) },
      audit: { record: async () => {} },
      clock: fixedClock('2026-12-01T06:00:00Z'),
      logger: recordingLogger(),
    });
    await assert.rejects(failing.reply(aigerim, conv.id, 'hello'), /queue down/);
    assert.equal((await store.messages(conv.id)).filter((m) => m.author === 'operator').length, 0);
  });

  it('returns to the bot and tells the citizen so in their language', async () => {
    await actions.claim(aigerim, conv.id);
    await assert.rejects(actions.returnToBot(daniyar, conv.id), refusal('forbidden'));
    const back = await actions.returnToBot(aigerim, conv.id);
    assert.deepEqual([back.owner, back.operatorId, back.fallbackStreak], ['bot', null, 0]);
    assert.equal(sent.at(-1)?.text, t('returnedToBot', 'en'));
    await assert.rejects(actions.returnToBot(aigerim, conv.id), refusal('conflict'));
  });

  it('closes with a 1–5 rating request; an admin may close anyone\'s chat', async () => {
    await actions.claim(daniyar, conv.id);
    const closed = await actions.close(boss, conv.id);
    assert.equal(closed.owner, 'closed');
    assert.equal(sent.at(-1)?.text, t('rateHelp', 'en'));
    assert.deepEqual(sent.at(-1)?.buttons?.map((b) => (b.action.type === 'rate' ? b.action.score : 0)), [1, 2, 3, 4, 5]);
  });

  it('a waiting chat can be returned without claiming it first', async () => {
    assert.equal((await actions.returnToBot(daniyar, conv.id)).owner, 'bot');
  });

  it('transfers between operators and notes it in the history', async () => {
    await actions.claim(aigerim, conv.id);
    await assert.rejects(actions.transfer(daniyar, conv.id, { id: daniyar.id, displayName: daniyar.displayName }), refusal('forbidden'));
    await assert.rejects(actions.transfer(aigerim, conv.id, { id: aigerim.id, displayName: aigerim.displayName }), refusal('invalid'));
    const moved = await actions.transfer(aigerim, conv.id, { id: daniyar.id, displayName: daniyar.displayName });
    assert.equal(moved.operatorId, daniyar.id);
    const notes = (await store.messages(conv.id)).filter((m) => m.author === 'system').map((m) => m.action);
    assert.deepEqual(notes, ['claimed', 'transferred']);
  });

  it('says not-found for an unknown conversation', async () => {
    await assert.rejects(actions.claim(aigerim, 'missing'), refusal('not-found'));
  });
});
