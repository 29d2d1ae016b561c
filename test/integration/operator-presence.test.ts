/**
 * Operator presence from console sessions (PGlite, and Postgres when it answers): outside office
 * hours a citizen is told "operators are back tomorrow" only while nobody is at the console.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPipeline } from '../../core/pipeline.ts';
import { systemClock } from '../../core/ports.ts';
import { createOperatorPresence } from '../../db/operator-presence.ts';
import { operatorSessions, operators } from '../../db/schema.ts';
import { eq } from 'drizzle-orm';
import { databaseKinds, type TestDatabase } from '../helpers/databases.ts';
import { letterDetector, recordingLogger, scriptedRetriever } from '../helpers/fakes.ts';
import { consoleHarness, signIn } from './console-harness.ts';

for (const [kind, open] of await databaseKinds()) {
  describe(`operator presence on ${kind}`, () => {
    let test: TestDatabase;
    let h: Awaited<ReturnType<typeof consoleHarness>>;

    before(async () => {
      test = await open();
      h = await consoleHarness(test);
    });
    after(async () => {
      await h.console.close();
      await test.drop();
    });

    // Never open ("00:00-00:00"), so only presence can make the citizen hear the normal wait.
    const pipeline = () =>
      createPipeline({
        kb: h.kb,
        retriever: scriptedRetriever({}),
        detector: letterDetector,
        conversations: h.conversations,
        presence: createOperatorPresence(h.db),
        clock: systemClock,
        logger: recordingLogger(),
        options: {
          thresholds: { answer: 0.6, clarify: 0.3, margin: 0.1 },
          maxMessageChars: 2000,
          escalation: { categories: [], keywords: [] },
          officeHours: { from: '00:00', to: '00:00', days: [1, 2, 3, 4, 5, 6, 7], timezone: 'Asia/Almaty' },
        },
      });
    let seq = 0;
    async function escalate(): Promise<string> {
      seq++;
      const r = await pipeline().handle({
        channel: 'web', chatId: `presence-${kind}-${seq}`, userId: 'u', messageId: `p${seq}`, text: 'позовите оператора', kind: 'text', receivedAt: new Date().toISOString(), traceId: `p${seq}`,
      });
      assert.equal(r.action, 'escalate');
      return r.replies[0]!.text;
    }

    it('after hours: the back-tomorrow text with nobody signed in, the normal wait while someone is', async () => {
      assert.match(await escalate(), /операторы не работают, они ответят начиная с завтра 00:00/);
      const aigerim = await signIn(h.app, 'aigerim');
      const text = await escalate();
      assert.match(text, /Ваше место в очереди: \d+, ожидание — примерно \d+ мин/);
      assert.doesNotMatch(text, /не работают/);
      assert.equal((await aigerim.call('POST', '/api/logout')).status, 200);
      assert.match(await escalate(), /не работают/);
    });

    it('counts only unexpired, recently used sessions of enabled accounts', async () => {
      const presence = createOperatorPresence(h.db);
      await h.db.delete(operatorSessions);
      const now = new Date();
      assert.equal(await presence.anyOnline(now), false);
      const { token } = await h.accounts.openSession(h.operators.daniyar.id, 3_600_000, now);
      assert.equal(await presence.anyOnline(now), true);
      // A console left 11 minutes ago: the cookie is still valid, nobody is there.
      await h.db.update(operatorSessions).set({ lastSeenAt: new Date(now.getTime() - 11 * 60_000) });
      assert.equal(await presence.anyOnline(now), false);
      // Any console request (the live stream checks in every 15 s) makes the operator present again.
      assert.ok(await h.accounts.session(token, now));
      assert.equal(await presence.anyOnline(now), true);
      assert.equal(await presence.anyOnline(new Date(now.getTime() + 3_600_001)), false, 'expired');
      await h.db.update(operators).set({ disabled: true }).where(eq(operators.id, h.operators.daniyar.id));
      assert.equal(await presence.anyOnline(now), false, 'disabled account');
      await h.db.update(operators).set({ disabled: false }).where(eq(operators.id, h.operators.daniyar.id));
    });
  });
}
