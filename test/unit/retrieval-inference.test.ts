import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KbEntry, StoredKbEntry } from '../../core/kb.ts';
import type { KnowledgeBase, Logger, ModelStore, StoredModel, StoredVector } from '../../core/ports.ts';
import type { Analysis } from '../../inference/encoder/featurize.ts';
import { createInference } from '../../inference/index.ts';

function analyze(text: string): Analysis {
  const normalized = text.toLowerCase().replace(/ё/g, 'е').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const tokens = normalized ? normalized.split(' ') : [];
  return { normalized, tokens, stems: tokens.map((t) => t.slice(0, 6)), concepts: [] };
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** A knowledge base in memory whose version moves on every import. */
function memoryKb(initial: KbEntry[]): KnowledgeBase & { versionCalls: number } {
  let rows: StoredKbEntry[] = [];
  let version = 0;
  const kb = {
    versionCalls: 0,
    async version() {
      kb.versionCalls++;
      return version;
    },
    async list() {
      return rows;
    },
    async get(id: string, lang: string) {
      return rows.find((r) => r.id === id && r.lang === lang);
    },
    async import(entries: KbEntry[]) {
      version++;
      rows = [...rows.filter((r) => !entries.some((e) => e.id === r.id && e.lang === r.lang)), ...entries.map((e) => ({ ...e, version: 1, createdAt: new Date(0), updatedAt: new Date(0) }))];
      return { inserted: entries.length, updated: 0, unchanged: 0, removed: 0, kbVersion: version };
    },
    async lexicalSearch() {
      return [];
    },
  };
  void kb.import(initial);
  return kb;
}

/** Models in memory; one store shared by several inference instances stands for one database. */
function memoryModels(): ModelStore & { saved: StoredModel[]; vectorRows: Map<string, StoredVector[]> } {
  const saved: StoredModel[] = [];
  const vectorRows = new Map<string, StoredVector[]>();
  const held = new Set<string>();
  return {
    saved,
    vectorRows,
    async latest(kind) {
      return [...saved].reverse().find((m) => m.kind === kind);
    },
    async newest(kind) {
      const m = [...saved].reverse().find((x) => x.kind === kind);
      return m && { id: m.id, kbVersion: m.kbVersion };
    },
    async exclusively(kind, fn) {
      if (held.has(kind)) return { ran: false };
      held.add(kind);
      try {
        return { ran: true, value: await fn() };
      } finally {
        held.delete(kind);
      }
    },
    async save(m) {
      const model = { ...m, id: `m${saved.length + 1}`, createdAt: new Date() };
      saved.push(model);
      return model;
    },
    async vectors(id) {
      return vectorRows.get(id) ?? [];
    },
    async saveVectors(id, rows) {
      vectorRows.set(id, [...rows]);
    },
  };
}

const e = (id: string, lang: 'kk' | 'ru', question: string, alts: string[], answer: string): KbEntry => ({
  id, lang, question, answer, altQuestions: alts, sourceUrl: null, category: null, enabled: true,
});

const ENTRIES: KbEntry[] = [
  e('passport', 'ru', 'Как получить загранпаспорт?', ['Оформить паспорт для выезда за границу', 'Где сделать загранпаспорт', 'Сколько стоит загранпаспорт'], 'Загранпаспорт оформляется в ЦОН или через eGov.'),
  e('passport', 'kk', 'Шетелдік төлқұжатты қалай алуға болады?', ['Төлқұжат жасату', 'Шетелге шығу үшін төлқұжат', 'Төлқұжат қанша тұрады'], 'Төлқұжатты ХҚКО арқылы рәсімдеуге болады.'),
  e('pension', 'ru', 'Когда выходят на пенсию?', ['Пенсионный возраст', 'Во сколько лет пенсия', 'Как оформить пенсию по возрасту'], 'Пенсионный возраст мужчин 63 года.'),
  e('pension', 'kk', 'Зейнетке қашан шығады?', ['Зейнет жасы', 'Неше жаста зейнетақы', 'Жасына байланысты зейнетақы рәсімдеу'], 'Ерлердің зейнет жасы 63.'),
  e('fines', 'ru', 'Как проверить штрафы ПДД?', ['Штрафы за нарушение правил дорожного движения', 'Узнать штраф по номеру машины', 'Оплатить штраф ПДД'], 'Штрафы можно проверить на eGov по ИИН.'),
  e('fines', 'kk', 'Жол айыппұлдарын қалай тексеремін?', ['ЖҚЕ айыппұлы', 'Көлік нөмірі бойынша айыппұл', 'Айыппұл төлеу'], 'Айыппұлдарды eGov-та ЖСН бойынша тексеруге болады.'),
];

const CORPUS = [
  { service: 'visa', category: 'x', texts: { kk: ['виза алу', 'шенген визасы'], ru: ['как получить визу', 'шенгенская виза'], en: [] } },
  { service: 'weather', category: 'x', texts: { kk: ['ауа райы қандай'], ru: ['какая погода завтра', 'прогноз погоды'], en: [] } },
  { service: 'loan', category: 'x', texts: { kk: ['несие алу'], ru: ['кредит в банке', 'ставка по ипотеке'], en: [] } },
  { service: 'pension-age', category: 'x', texts: { kk: ['зейнет жасы қанша'], ru: ['пенсионный возраст для женщин', 'когда на пенсию'], en: [] } },
];

test('createInference trains, stores model and vectors, finds paraphrases and follows the knowledge base', async () => {
  const kb = memoryKb(ENTRIES);
  const models = memoryModels();
  let now = 0;
  const inference = createInference({
    kb,
    models,
    logger: silent,
    options: { analyzer: analyze, corpus: async () => CORPUS, checkEveryMs: 1000, train: { corpusEpochs: 20, kbEpochs: 30, dim: 32 } },
  });
  try {
    const progress: string[] = [];
    const result = await inference.train({ onProgress: (p) => progress.push(p.phase) });
    assert.equal(result.kbVersion, 1);
    assert.equal(models.saved.length, 1);
    assert.equal(models.saved[0]!.kind, 'komek-hashed-v1');
    assert.ok(models.saved[0]!.onnx.length > 1000);
    assert.ok((models.vectorRows.get(result.modelId)?.length ?? 0) >= ENTRIES.length * 4, 'question, alternatives and answer of each row');
    assert.ok(progress.includes('train-kb') && progress.includes('calibrate'));

    const cases: Array<[string, 'kk' | 'ru', string]> = [
      ['где сделать паспорт для заграницы', 'ru', 'passport'],
      ['во сколько лет выходят на пенсию', 'ru', 'pension'],
      ['штраф пдд проверить', 'ru', 'fines'],
      ['айыппұл тексеру', 'kk', 'fines'],
    ];
    for (const [text, lang, want] of cases) {
      const got = await inference.retriever.retrieve(text, { lang, limit: 3 });
      assert.equal(got[0]?.faqId, want, `${text} → ${JSON.stringify(got)}`);
      assert.ok(got.every((c) => c.score >= 0 && c.score <= 1));
      assert.ok(got.every((c, i) => i === 0 || got[i - 1]!.score >= c.score), 'best first');
    }

    // A new entry is findable after the next version check, before any retraining.
    await kb.import([e('dog', 'ru', 'Как зарегистрировать собаку?', ['Регистрация домашнего питомца', 'Чипирование собаки'], 'Собаку регистрируют в акимате.')]);
    const before = await inference.retriever.retrieve('зарегистрировать собаку', { lang: 'ru' });
    assert.notEqual(before[0]?.faqId, 'dog', 'the version is not checked on every question');
    now += 1;
    await new Promise((r) => setTimeout(r, 1100));
    const after = await inference.retriever.retrieve('зарегистрировать собаку', { lang: 'ru' });
    assert.equal(after[0]?.faqId, 'dog');
    void now;
  } finally {
    await inference.close();
    await inference.close();
  }
});

test('ensureCurrent loads a stored model for the current version without training', async () => {
  const kb = memoryKb(ENTRIES);
  const models = memoryModels();
  const options = { analyzer: analyze, corpus: async () => CORPUS, train: { corpusEpochs: 5, kbEpochs: 10, dim: 16 } };
  const first = createInference({ kb, models, logger: silent, options });
  await first.ensureCurrent();
  assert.equal(models.saved.length, 1, 'no model yet: trained once');
  await first.close();
  const second = createInference({ kb, models, logger: silent, options });
  await second.ensureCurrent();
  assert.equal(models.saved.length, 1, 'current model reused');
  const got = await second.retriever.retrieve('загранпаспорт', { lang: 'ru' });
  assert.equal(got[0]?.faqId, 'passport');
  await second.close();
});

test('several workers on one database train once, and each picks up the model another trained', async () => {
  const kb = memoryKb(ENTRIES);
  const models = memoryModels();
  const options = { analyzer: analyze, corpus: async () => CORPUS, train: { corpusEpochs: 5, kbEpochs: 10, dim: 16 }, followEveryMs: 50, waitPollMs: 20 };
  const workers = [0, 1, 2].map(() => createInference({ kb, models, logger: silent, options }));
  try {
    // Three workers start on an empty database at once: one trains, the others wait for its model.
    await Promise.all(workers.map((w) => w.ensureCurrent()));
    assert.equal(models.saved.length, 1, 'trained once');
    assert.deepEqual(new Set(workers.map((w) => w.current()?.modelId)), new Set([models.saved[0]!.id]));

    // The knowledge base changes; all three notice it and retrain at once: still one training.
    await kb.import([e('dog', 'ru', 'Как зарегистрировать собаку?', ['Регистрация домашнего питомца'], 'Собаку регистрируют в акимате.')]);
    const results = await Promise.all(workers.map((w) => w.train()));
    assert.equal(models.saved.length, 2, 'one new model for the new version');
    assert.deepEqual(new Set(results.map((r) => r.modelId)), new Set([models.saved[1]!.id]));
    assert.ok(workers.every((w) => w.current()?.modelId === models.saved[1]!.id));

    // One worker retrains on its own (an admin's edit reached its process): the others, while
    // answering, find the newer model within `followEveryMs` and switch to it in the background.
    await kb.import([e('cat', 'ru', 'Нужно ли регистрировать кошку?', ['Регистрация кошки'], 'Кошек регистрировать не нужно.')]);
    await workers[0]!.train();
    const newest = models.saved[2]!.id;
    await new Promise((r) => setTimeout(r, 80));
    for (let i = 0; i < 50 && !workers.slice(1).every((w) => w.current()?.modelId === newest); i++) {
      await Promise.all(workers.slice(1).map((w) => w.retriever.retrieve('паспорт', { lang: 'ru' })));
      await new Promise((r) => setTimeout(r, 60));
    }
    assert.ok(workers.every((w) => w.current()?.modelId === newest), 'every worker answers with the newest model');
    assert.equal(models.saved.length, 3, 'nobody trained the same version again');
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
});

test('a worker waiting for another one’s training stops waiting when it is closed', async () => {
  const kb = memoryKb(ENTRIES);
  const models = memoryModels();
  let release!: () => void;
  const blocked = new Promise<void>((r) => (release = r));
  // Another process holds the lock and never finishes while this one waits.
  const busy = models.exclusively('komek-hashed-v1', () => blocked);
  const waiter = createInference({ kb, models, logger: silent, options: { analyzer: analyze, corpus: async () => CORPUS, waitPollMs: 10_000 } });
  const training = waiter.train();
  await new Promise((r) => setTimeout(r, 50));
  const t0 = Date.now();
  await waiter.close();
  assert.ok(Date.now() - t0 < 2000, 'close did not wait out the poll interval');
  await assert.rejects(training, /closed/);
  release();
  await busy;
  assert.equal(models.saved.length, 0);
});
