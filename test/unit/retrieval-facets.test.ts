import assert from 'node:assert/strict';
import { test } from 'node:test';
import { askedFacets, entryFacets } from '../../core/facets.ts';
import type { KbEntry } from '../../core/kb.ts';
import type { CalibrationQuery } from '../../inference/training/calibration-split.ts';
import { judgesWrong } from '../../inference/training/choose-thresholds.ts';
import { createDenseIndex } from '../../inference/retrieval/dense-index.ts';
import { createHybridScorer, facetsByEntry, HYBRID_FEATURES } from '../../inference/retrieval/hybrid-scorer.ts';
import { entryTexts } from '../../inference/retrieval/kb-texts.ts';
import { createLexicalIndex } from '../../inference/retrieval/lexical-index.ts';
import { analyze } from '../../inference/text/index.ts';

const row = (id: string, lang: 'kk' | 'ru', question: string, alts: string[] = [], enabled = true): KbEntry => ({
  id, lang, question, answer: 'Ответ.', altQuestions: alts, sourceUrl: null, category: null, enabled,
});

test('an entry asks the facets its questions ask, in any language and script; audience words are no facet', () => {
  assert.deepEqual(entryFacets(['Какие документы нужны для регистрации брака?']), ['documents']);
  assert.deepEqual(entryFacets(['Неке тіркеуге қандай құжаттар керек?']), ['documents']);
  assert.deepEqual(entryFacets(['Кто имеет право на пособие?', 'kimge beriledi']), ['who']);
  assert.deepEqual(entryFacets(['Как заменить удостоверение личности?']), []);
  assert.deepEqual(askedFacets('сколько стоит для ребенка'), ['cost']);
  assert.deepEqual(askedFacets('where do I apply'), ['where']);
});

test('facetsByEntry joins an entry\'s language versions and skips disabled rows', () => {
  const facets = facetsByEntry([
    row('gu-dok', 'ru', 'Какие документы нужны для пособия?'),
    row('gu-dok', 'kk', 'Жәрдемақыға қандай құжаттар керек?'),
    row('gu-gde', 'ru', 'Куда подать заявление на пособие?', ['где оформить пособие']),
    row('off', 'ru', 'Сколько стоит услуга?', [], false),
  ]);
  assert.deepEqual(facets.get('gu-dok'), ['documents']);
  assert.deepEqual(facets.get('gu-gde'), ['where']);
  assert.equal(facets.has('off'), false);
});

test('the scorer marks a candidate whose facet the question asks, and one that answers another facet', async () => {
  const entries = [row('gu-dok', 'ru', 'Какие документы нужны для пособия на рождение?'), row('gu-gde', 'ru', 'Куда подать заявление на пособие на рождение?'), row('other', 'ru', 'Как заменить удостоверение личности?')];
  const texts = entryTexts(entries);
  // Every text one and the same vector: the dense side cannot tell the entries apart, so the
  // facet features are the only difference the test looks at.
  const vector = new Float32Array([1, 0]);
  const dense = await createDenseIndex(texts.map((t) => ({ ...t, vector })), 2);
  const scorer = createHybridScorer({ dense, lexical: createLexicalIndex(texts, analyze), embed: async () => vector, facets: facetsByEntry(entries) });
  const hit = HYBRID_FEATURES.indexOf('facet_hit');
  const miss = HYBRID_FEATURES.indexOf('facet_miss');
  const byId = async (q: string) => new Map((await scorer.candidates(q, 'ru')).map((c) => [c.faqId, [c.features[hit], c.features[miss]]]));
  const asked = await byId('а какие бумаги нужны на пособие при рождении');
  assert.deepEqual(asked.get('gu-dok'), [1, 0]);
  assert.deepEqual(asked.get('gu-gde'), [0, 1]);
  assert.deepEqual(asked.get('other'), [0, 0], 'an entry that asks no facet is no evidence');
  const none = await byId('пособие при рождении ребенка');
  assert.deepEqual(none.get('gu-dok'), [0, 0], 'a question that asks no facet is no evidence');
  const bare = await byId('а какие документы?');
  assert.deepEqual(bare.get('gu-dok'), [0, 0], 'facet words alone name no service: the topic decides, not the facet');
  await dense.close();
});

test('noised copies of held-out texts and corpus phrasings count for right answers but call none wrong', () => {
  const q = (over: Partial<CalibrationQuery>): CalibrationQuery => ({ text: 't', lang: 'ru', faqId: 'e', source: 'e/ru/a0', kind: 'alt', ...over });
  assert.equal(judgesWrong(q({})), true);
  assert.equal(judgesWrong(q({ kind: 'question' })), true);
  assert.equal(judgesWrong(q({ noisedCopy: true, source: 'e/ru/a0~0' })), false);
  assert.equal(judgesWrong(q({ kind: 'corpus', source: 'corpus:s1' })), false);
});
