/**
 * The Postgres conversation store's atomic writes (PGlite, and Postgres when it answers): intake
 * dedupes, opens, reopens and settles the language in one statement; record writes the state
 * change and the replies together. The in-memory store must behave the same, so both run here.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMemoryConversationStore } from '../../memory/conversation-store.ts';
import type { ConversationStore, IntakeMessage, NewMessage } from '../../core/ports.ts';
import { createConversationStore } from '../../db/conversation-store.ts';
import { databaseKinds } from '../helpers/databases.ts';

const base: IntakeMessage = { channel: 'telegram', chatId: '42', userId: '42', messageId: '1', text: 'Сәлем', kind: 'text', traceId: 't1', lang: 'kk', fallbackLang: 'kk' };

function botReply(conversationId: string, text: string): NewMessage {
  return { conversationId, author: 'bot', text, kind: 'text', lang: 'ru', action: 'answer', faqId: 'passport', score: 0.9, platformMessageId: null, operatorId: null, traceId: 't1' };
}

const kinds: [string, () => Promise<{ store: ConversationStore; drop(): Promise<void> }>][] = [
  ['memory', async () => ({ store: createMemoryConversationStore(), drop: async () => {} })],
  ...(await databaseKinds()).map(([kind, open]): [string, () => Promise<{ store: ConversationStore; drop(): Promise<void> }>] => [
    kind,
    async () => {
      const db = await open();
      return { store: createConversationStore(db.database.db), drop: () => db.drop() };
    },
  ]),
];

for (const [kind, open] of kinds) {
  describe(`conversation store intake and record (${kind})`, () => {
    test('the first delivery opens the conversation and stores the message; a redelivery stores nothing', async () => {
      const { store, drop } = await open();
      try {
        const conv = await store.intake(base);
        assert.ok(conv);
        assert.equal(conv.owner, 'bot');
        assert.equal(conv.lang, 'kk');
        assert.equal(conv.chatId, '42');
        assert.ok(conv.createdAt instanceof Date);
        assert.equal(await store.intake(base), undefined);
        const stored = await store.messages(conv.id);
        assert.equal(stored.length, 1);
        assert.deepEqual(
          { author: stored[0]!.author, text: stored[0]!.text, lang: stored[0]!.lang, platformMessageId: stored[0]!.platformMessageId, traceId: stored[0]!.traceId },
          { author: 'citizen', text: 'Сәлем', lang: 'kk', platformMessageId: '1', traceId: 't1' },
        );
        const next = await store.intake({ ...base, messageId: '2' });
        assert.equal(next?.id, conv.id, 'the same chat keeps its conversation');
      } finally {
        await drop();
      }
    });

    test('an unsure language keeps the conversation’s; a sure one replaces it; a new chat takes the fallback', async () => {
      const { store, drop } = await open();
      try {
        const first = await store.intake({ ...base, lang: null, fallbackLang: 'ru' });
        assert.equal(first?.lang, 'ru');
        const unsure = await store.intake({ ...base, messageId: '2', lang: null, fallbackLang: 'en' });
        assert.equal(unsure?.lang, 'ru');
        const sure = await store.intake({ ...base, messageId: '3', lang: 'kk', fallbackLang: 'kk' });
        assert.equal(sure?.lang, 'kk');
        const langs = (await store.messages(first!.id)).map((m) => m.lang);
        assert.deepEqual(langs, ['ru', 'ru', 'kk']);
      } finally {
        await drop();
      }
    });

    test('a closed conversation is reopened for the bot; a waiting one stays waiting', async () => {
      const { store, drop } = await open();
      try {
        const conv = (await store.intake(base))!;
        await store.update(conv.id, { owner: 'closed', fallbackStreak: 1 });
        const reopened = await store.intake({ ...base, messageId: '2' });
        assert.equal(reopened?.owner, 'bot');
        assert.equal(reopened?.fallbackStreak, 0);
        await store.update(conv.id, { owner: 'waiting' });
        assert.equal((await store.intake({ ...base, messageId: '3' }))?.owner, 'waiting');
      } finally {
        await drop();
      }
    });

    test('leaveQueue takes a waiting chat back to the bot, and only a waiting one', async () => {
      const { store, drop } = await open();
      try {
        const conv = (await store.intake(base))!;
        assert.equal(await store.leaveQueue(conv.id), undefined, 'a bot chat has no queue to leave');
        await store.record(conv.id, { owner: 'waiting', fallbackStreak: 0 }, []);
        await store.update(conv.id, { fallbackStreak: 1 });
        const left = await store.leaveQueue(conv.id);
        assert.deepEqual([left?.owner, left?.operatorId, left?.fallbackStreak], ['bot', null, 0]);
        assert.equal(await store.countWaiting(), 0);
        await store.update(conv.id, { owner: 'operator', operatorId: null });
        assert.equal(await store.leaveQueue(conv.id), undefined, 'a chat an operator took stays with the operator');
        assert.equal((await store.intake({ ...base, messageId: '2' }))?.owner, 'operator');
      } finally {
        await drop();
      }
    });

    test('record writes the patch and the replies together, in order', async () => {
      const { store, drop } = await open();
      try {
        const conv = (await store.intake(base))!;
        await store.record(conv.id, { fallbackStreak: 1 }, [botReply(conv.id, 'first'), botReply(conv.id, 'second')]);
        let after = (await store.intake({ ...base, messageId: '2' }))!;
        assert.equal(after.fallbackStreak, 1);
        await store.record(conv.id, { owner: 'waiting', fallbackStreak: 0 }, []);
        after = (await store.intake({ ...base, messageId: '3' }))!;
        assert.equal(after.owner, 'waiting');
        assert.equal(after.fallbackStreak, 0);
        assert.equal(await store.countWaiting(), 1);
        await store.record(conv.id, {}, [botReply(conv.id, 'third')]);
        const texts = (await store.messages(conv.id)).map((m) => `${m.author}:${m.text}`);
        assert.deepEqual(texts, ['citizen:Сәлем', 'bot:first', 'bot:second', 'citizen:Сәлем', 'citizen:Сәлем', 'bot:third']);
        const reply = (await store.messages(conv.id))[1]!;
        assert.deepEqual({ action: reply.action, faqId: reply.faqId, lang: reply.lang, traceId: reply.traceId }, { action: 'answer', faqId: 'passport', lang: 'ru', traceId: 't1' });
        assert.ok(Math.abs(reply.score! - 0.9) < 1e-6);
      } finally {
        await drop();
      }
    });

    test('the topic is written with the replies, kept when not patched, cleared with null, and gone when a closed chat reopens', async () => {
      const { store, drop } = await open();
      try {
        const conv = (await store.intake(base))!;
        assert.equal(conv.topic, null);
        const topic = { entries: ['gu109-dok', 'gu109-baj'], chosen: null, at: '2026-12-03T10:00:00.000Z' };
        await store.record(conv.id, { topic }, [botReply(conv.id, 'which one?')]);
        // Read back through intake, as the next message on any worker reads it.
        let after = (await store.intake({ ...base, messageId: '2' }))!;
        assert.deepEqual(after.topic, topic);
        await store.record(conv.id, { fallbackStreak: 1 }, []);
        after = (await store.intake({ ...base, messageId: '3' }))!;
        assert.deepEqual(after.topic, topic, 'a patch without the topic keeps it');
        const chosen = { entries: ['gu109-baj'], chosen: 'gu109-baj', at: '2026-12-03T10:01:00.000Z' };
        await store.record(conv.id, { topic: chosen }, []);
        assert.deepEqual((await store.intake({ ...base, messageId: '4' }))!.topic, chosen);
        await store.record(conv.id, { topic: null }, []);
        assert.equal((await store.intake({ ...base, messageId: '5' }))!.topic, null);
        await store.record(conv.id, { topic: chosen }, []);
        await store.update(conv.id, { owner: 'closed' });
        assert.equal((await store.intake({ ...base, messageId: '6' }))!.topic, null, 'a reopened conversation starts without a topic');
      } finally {
        await drop();
      }
    });

    test('two deliveries of the same message at once: one is taken in', async () => {
      const { store, drop } = await open();
      try {
        const results = await Promise.all(Array.from({ length: 5 }, () => store.intake({ ...base, messageId: '9' })));
        assert.equal(results.filter(Boolean).length, 1);
        assert.equal((await store.messages(results.find(Boolean)!.id)).length, 1);
      } finally {
        await drop();
      }
    });
  });
}
