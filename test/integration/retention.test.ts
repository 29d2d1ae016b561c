import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { createConversationStore } from '../../db/conversation-store.ts';
import { createLoginFailures } from '../../db/login-failures.ts';
import { applyRetention } from '../../db/retention.ts';
import { conversations, loginFailures, messages } from '../../db/schema.ts';
import { databaseKinds } from '../helpers/databases.ts';

for (const [label, open] of await databaseKinds()) {
  describe(`retention on ${label}`, () => {
    it('reports in dry run, then deletes or anonymises only old, inactive conversations', async () => {
      const t = await open();
      try {
        const db = t.database.db;
        const store = createConversationStore(db);
        const mk = async (chat: string, owner: 'bot' | 'waiting', daysAgo: number) => {
          const c = await store.open('telegram', chat, `u-${chat}`);
          await store.addMessage({ conversationId: c.id, author: 'citizen', text: `ИИН of ${chat}`, kind: 'text', lang: 'ru', action: null, faqId: null, score: null, platformMessageId: '1', operatorId: null, traceId: null });
          await db.update(conversations).set({ owner, updatedAt: new Date(Date.now() - daysAgo * 86_400_000) }).where(eq(conversations.id, c.id));
          return c.id;
        };
        const old1 = await mk('old1', 'bot', 40);
        const old2 = await mk('old2', 'bot', 40);
        const waiting = await mk('waiting', 'waiting', 40);
        const recent = await mk('recent', 'bot', 1);
        const before = new Date(Date.now() - 30 * 86_400_000);
        const dry = await applyRetention(db, { before, mode: 'delete', dryRun: true });
        assert.deepEqual([dry.conversations, dry.messages], [2, 2]);
        assert.equal((await db.select().from(conversations)).length, 4);
        const anon = await applyRetention(db, { before, mode: 'anonymise', dryRun: false });
        assert.equal(anon.conversations, 2);
        const [a] = await db.select().from(conversations).where(eq(conversations.id, old1));
        assert.match(a!.chatId, /^anon-/);
        const [m] = await db.select().from(messages).where(eq(messages.conversationId, old1));
        assert.equal(m!.text, '');
        assert.equal((await applyRetention(db, { before, mode: 'anonymise', dryRun: true })).conversations, 0);
        const del = await applyRetention(db, { before: new Date(), mode: 'delete', dryRun: false });
        assert.equal(del.conversations, 3); // two anonymised + recent; the waiting one stays
        const left = (await db.select().from(conversations)).map((c) => c.id);
        assert.deepEqual(left, [waiting]);
        void old2;
        void recent;
      } finally {
        await t.drop();
      }
    });

    it('removes login failures recorded before the cut-off, counting them in a dry run', async () => {
      const t = await open();
      try {
        const db = t.database.db;
        const failures = createLoginFailures(db);
        const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000);
        await failures.record('["old","10.0.0.1"]', at(40), new Date(at(40).getTime() - 15 * 60_000));
        await failures.record('["recent","10.0.0.1"]', at(0), new Date(at(0).getTime() - 15 * 60_000));
        const before = at(30);
        const dry = await applyRetention(db, { before, mode: 'anonymise', dryRun: true });
        assert.equal(dry.loginFailures, 1);
        assert.equal((await db.select().from(loginFailures)).length, 2);
        assert.equal((await applyRetention(db, { before, mode: 'anonymise', dryRun: false })).loginFailures, 1);
        assert.deepEqual((await db.select({ key: loginFailures.key }).from(loginFailures)).map((r) => r.key), ['["recent","10.0.0.1"]']);
      } finally {
        await t.drop();
      }
    });
  });
}
