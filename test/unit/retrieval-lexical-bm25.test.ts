import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BM25_DEFAULTS, createBm25Index } from '../../inference/retrieval/bm25.ts';

const docs = [
  ['как', 'получить', 'паспорт', 'паспорт'],
  ['как', 'получить', 'справку', 'о', 'несудимости'],
  ['как', 'оформить', 'пенсию'],
  ['справку', 'справку', 'справку'],
  ['пенсию', 'как'],
];

/** Textbook BM25, summed over the distinct query terms in their order. */
function reference(query: string[]): Array<[number, number]> {
  const { k1, b } = BM25_DEFAULTS;
  const avg = docs.reduce((s, d) => s + d.length, 0) / docs.length;
  const scored: Array<[number, number]> = [];
  docs.forEach((d, doc) => {
    let score = 0;
    for (const term of new Set(query)) {
      const tf = d.filter((t) => t === term).length;
      if (tf === 0) continue;
      const df = docs.filter((x) => x.includes(term)).length;
      const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
      score += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * d.length) / avg));
    }
    if (score > 0) scored.push([doc, score]);
  });
  return scored.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
}

test('BM25 scores are the textbook formula, best first, ties by document', () => {
  const index = createBm25Index(docs);
  for (const query of [['справку', 'как'], ['как'], ['пенсию', 'как', 'пенсию'], ['паспорт', 'несудимости', 'оформить'], ['нет']]) {
    assert.deepEqual(index.search(query, 10), reference(query), query.join(' '));
    assert.deepEqual(index.search(query, 2), reference(query).slice(0, 2));
  }
});

test('a BM25 search leaves nothing behind for the next one', () => {
  const index = createBm25Index(docs);
  const first = index.search(['пенсию'], 1);
  index.search(['как', 'справку', 'паспорт'], 1);
  assert.deepEqual(index.search(['пенсию'], 1), first);
  assert.deepEqual(index.search(['справку'], 10), reference(['справку']));
});
