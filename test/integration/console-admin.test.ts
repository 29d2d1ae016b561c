import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds, type TestDatabase } from '../helpers/databases.ts';
import { consoleHarness, signIn, type Client } from './console-harness.ts';

for (const [kind, open] of await databaseKinds()) {
  describe(`console admin on ${kind}`, () => {
    let test: TestDatabase;
    let h: Awaited<ReturnType<typeof consoleHarness>>;
    let admin: Client;
    let operator: Client;
    let retrains = 0;

    before(async () => {
      test = await open();
      h = await consoleHarness(test, {}, {
        onKbChanged: async () => void retrains++,
        modelStatus: () => ({ id: 'm1', kbVersion: 1, selfCheck: { status: 'weak', message: 'few phrasings', hybrid: { top1: 0.8 } } }),
      });
      [admin, operator] = await Promise.all([signIn(h.app, 'admin'), signIn(h.app, 'aigerim')]);
    });
    after(async () => {
      await h.console.close();
      await test.drop();
    });

    it('shows admins how well the model knows the knowledge base, and nobody else', async () => {
      const r = await admin.call('GET', '/api/kb-model');
      assert.equal(r.status, 200);
      const body = r.json as { id: string; selfCheck: { status: string } };
      assert.equal(body.id, 'm1');
      assert.equal(body.selfCheck.status, 'weak');
      assert.equal((await operator.call('GET', '/api/kb-model')).status, 403);
    });

    it('creates, edits and disables an entry in both languages, with history and a new knowledge-base version', async () => {
      const v0 = await h.kb.version();
      const created = await admin.call('POST', '/api/kb', {
        id: 'housing-subsidy',
        translations: [
          { lang: 'ru', question: 'Как получить жилищную субсидию?', answer: 'Подайте заявку в акимат.', category: 'housing', sourceUrl: 'https://egov.kz/housing' },
          { lang: 'kk', question: 'Тұрғын үй субсидиясын қалай алуға болады?', answer: 'Әкімдікке өтінім беріңіз.', category: 'housing' },
        ],
      });
      assert.equal(created.status, 200, JSON.stringify(created.json));
      assert.equal(created.json.summary.inserted, 2);
      assert.equal((await admin.call('POST', '/api/kb', { id: 'housing-subsidy', translations: [{ lang: 'en', question: 'x', answer: 'y' }] })).status, 409);
      const bad = await admin.call('POST', '/api/kb', { id: 'bad-url', translations: [{ lang: 'ru', question: 'Вопрос', answer: 'Ответ', sourceUrl: 'ftp://x' }] });
      assert.equal(bad.status, 400);
      assert.match(bad.json.error, /source_url/);

      const edited = await admin.call('PUT', '/api/kb/housing-subsidy', {
        translations: [{ lang: 'ru', question: 'Как получить жилищную субсидию?', answer: 'Подайте заявку в акимат через eGov.', category: 'housing', sourceUrl: 'https://egov.kz/housing' }],
      });
      assert.equal(edited.json.summary.updated, 1);
      assert.equal((await admin.call('POST', '/api/kb/housing-subsidy/enabled', { enabled: false })).json.summary.updated, 2);
      assert.equal((await h.kb.get('housing-subsidy', 'kk'))?.enabled, false);
      assert.equal((await h.kb.get('housing-subsidy', 'ru'))?.answer, 'Подайте заявку в акимат через eGov.');
      assert.ok((await h.kb.version()) >= v0 + 3);

      const { json } = await admin.call('GET', '/api/kb/housing-subsidy');
      assert.equal(json.translations.length, 2);
      const ru = json.history.filter((x: { lang: string }) => x.lang === 'ru');
      assert.deepEqual(ru.map((x: { version: number; action: string; changedBy: string }) => [x.version, x.action, x.changedBy]), [
        [3, 'update', 'admin'],
        [2, 'update', 'admin'],
        [1, 'create', 'admin'],
      ]);
      const found = await admin.call('GET', '/api/kb?q=субсидию');
      assert.deepEqual(found.json.items.map((i: { id: string }) => i.id), ['housing-subsidy']);
      assert.equal(found.json.items[0].questions.kk, 'Тұрғын үй субсидиясын қалай алуға болады?');
      assert.equal((await operator.call('GET', '/api/kb')).status, 403);
      await new Promise((r) => setTimeout(r, 10));
      assert.equal(retrains, 3);
      const audit = await admin.call('GET', '/api/audit');
      assert.deepEqual(
        audit.json.items.filter((a: { action: string }) => a.action.startsWith('kb-')).map((a: { action: string }) => a.action),
        ['kb-disable', 'kb-update', 'kb-create'],
      );
    });

    it('groups unanswered questions and turns one into an alternative phrasing or a new entry in one step', async () => {
      await h.citizen('un-1', 'где оформить пособие по уходу за ребенком');
      await h.citizen('un-1', 'пособие по уходу за ребенком где оформить?');
      await h.citizen('un-2', 'оформить пособие по уходу за ребенком');
      await h.citizen('un-3', 'что такое бирка на собаку');
      const { json } = await admin.call('GET', '/api/unanswered');
      const top = json.groups[0];
      assert.equal(top.count, 3, JSON.stringify(json.groups.map((g: { question: string; count: number }) => [g.question, g.count])));
      assert.equal(top.fallbacks + top.escalations, 3);
      assert.ok(Array.isArray(top.suggestions));

      const added = await admin.call('POST', '/api/kb/id-card/alternatives', { lang: 'ru', text: 'что такое бирка на собаку' });
      assert.equal(added.json.summary.updated, 1);
      assert.ok((await h.kb.get('id-card', 'ru'))?.altQuestions.includes('что такое бирка на собаку'));
      const created = await admin.call('POST', '/api/kb', { translations: [{ lang: 'ru', question: top.question, answer: 'Пособие оформляется на eGov.' }] });
      assert.equal(created.status, 200);
      assert.match(created.json.id, /^[a-z0-9-]+-[0-9a-f]{6}$/);
      assert.match(created.json.id, /posob/);
      const after = await admin.call('GET', '/api/unanswered');
      assert.deepEqual(after.json.groups.map((g: { question: string }) => g.question).filter((q: string) => q === top.question || q === 'что такое бирка на собаку'), []);
    });

    it('offers no entry to add a request for a person or small talk to as a phrasing', async () => {
      await h.citizen('un-p1', 'можно поговорить с живым человеком по поводу удостоверения личности');
      const { json } = await admin.call('GET', '/api/unanswered');
      const person = json.groups.find((g: { question: string }) => g.question.includes('живым человеком'));
      assert.ok(person, JSON.stringify(json.groups.map((g: { question: string }) => g.question)));
      assert.deepEqual(person.suggestions, []);
      const topical = json.groups.find((g: { question: string }) => g.question.includes('бирка') || g.question.includes('пособие'));
      if (topical) assert.ok(Array.isArray(topical.suggestions));
    });

    it('reports messages, decision rates, waits, ratings and feedback for a period', async () => {
      const id = (await h.citizen('an-1', 'Позовите оператора')).conversationId!;
      await new Promise((r) => setTimeout(r, 30));
      await operator.call('POST', `/api/conversations/${id}/claim`);
      await operator.call('POST', `/api/conversations/${id}/close`);
      await h.citizen('an-1', '★★★★', { callbackData: 'r:4' });
      const answered = await h.citizen('an-2', 'Как получить удостоверение?');
      assert.equal(answered.action, 'answer');
      await h.citizen('an-2', '👍', { callbackData: 'f:1:id-card' });
      const { status, json } = await admin.call('GET', `/api/analytics?from=${new Date(Date.now() - 3600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`);
      assert.equal(status, 200);
      assert.ok(json.messages.byChannel.telegram >= 8);
      assert.ok(json.messages.byLang.ru >= 8);
      assert.ok(json.decisions.counts.answer >= 1 && json.decisions.counts.escalate >= 1 && json.decisions.counts.fallback >= 1);
      const sum = Object.values(json.decisions.rates as Record<string, number>).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-9);
      assert.ok(json.wait.claims >= 1 && json.wait.medianSeconds > 0 && json.wait.p90Seconds >= json.wait.medianSeconds);
      assert.equal(json.ratings.distribution['4'], 1);
      assert.equal(json.ratings.average, 4);
      assert.equal(json.feedback.up, 1);
      assert.equal(json.daily.length >= 1, true);
      assert.equal((await admin.call('GET', '/api/analytics?from=yesterday')).status, 400);
    });
  });
}
