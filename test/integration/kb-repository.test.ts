import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createKbRepository } from '../../db/kb-repository.ts';
import { kbHistory } from '../../db/schema.ts';
import { databaseKinds, type TestDatabase } from '../helpers/databases.ts';
import { entry } from '../helpers/fakes.ts';

const base = [
  entry('id-card', 'kk', 'Жеке куәлікті қалай алуға болады?', 'ХҚКО арқылы.', { altQuestions: ['жеке куәлік алу', 'удостоверение жасату'] }),
  entry('id-card', 'ru', 'Как получить удостоверение личности?', 'Через ЦОН.', { altQuestions: ['удостоверение получить', 'где сделать удос'] }),
  entry('pension', 'ru', 'Когда выходят на пенсию?', 'Пенсионный возраст — 63 года для мужчин.', { altQuestions: ['пенсионный возраст'] }),
  entry('pension', 'kk', 'Зейнеткерлік жас қанша?', 'Ерлер үшін 63 жас.', { altQuestions: ['зейнетке қашан шығамын'] }),
];

for (const [label, open] of await databaseKinds()) {
  describe(`knowledge base on ${label}`, () => {
    let t: TestDatabase;
    let kb: ReturnType<typeof createKbRepository>;
    before(async () => {
      t = await open();
      kb = createKbRepository(t.database.db);
    });
    after(() => t.drop());

    it('imports, re-imports as a no-op, updates in place with a version bump, and replaces', async () => {
      assert.equal(await kb.version(), 0);
      const first = await kb.import(base);
      assert.deepEqual(first, { inserted: 4, updated: 0, unchanged: 0, removed: 0, kbVersion: 1 });
      const again = await kb.import(base);
      assert.deepEqual(again, { inserted: 0, updated: 0, unchanged: 4, removed: 0, kbVersion: 1 });
      const changed = base.map((e) => (e.id === 'pension' && e.lang === 'ru' ? { ...e, answer: 'С 63 лет.' } : e));
      const upd = await kb.import(changed);
      assert.equal(upd.updated, 1);
      assert.equal(upd.kbVersion, 2);
      const row = await kb.get('pension', 'ru');
      assert.equal(row?.version, 2);
      assert.equal(row?.answer, 'С 63 лет.');
      const replaced = await kb.import(changed.filter((e) => e.id === 'id-card'), { replace: true });
      assert.equal(replaced.removed, 2);
      assert.equal((await kb.list()).length, 2);
      const history = await t.database.db.select().from(kbHistory);
      assert.deepEqual(
        history.map((h) => h.action).sort(),
        ['create', 'create', 'create', 'create', 'delete', 'delete', 'update'],
      );
    });

    it('finds entries lexically, with typos and inflections, in any language', async () => {
      await kb.import(base);
      const ru = await kb.lexicalSearch('где получить удостоверение', {});
      assert.equal(ru[0]?.faqId, 'id-card');
      const typo = await kb.lexicalSearch('удоставерение личности', {});
      assert.equal(typo[0]?.faqId, 'id-card');
      const kk = await kb.lexicalSearch('зейнетке қашан шығамын', { lang: 'kk' });
      assert.equal(kk[0]?.faqId, 'pension');
      assert.deepEqual(await kb.lexicalSearch('!!!', {}), []);
    });
  });
}
