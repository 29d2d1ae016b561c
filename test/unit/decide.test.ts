import assert from 'node:assert/strict';
import { it } from 'node:test';
import { decide } from '../../core/decide.ts';

const th = { answer: 0.6, clarify: 0.3, margin: 0.1 };

it('answers a confident, clear winner', () => {
  const d = decide([{ faqId: 'a', score: 0.9 }, { faqId: 'b', score: 0.4 }], th);
  assert.deepEqual(d, { action: 'answer', faqId: 'a', score: 0.9, alternatives: ['b'] });
});

it('clarifies between close candidates', () => {
  const d = decide([{ faqId: 'a', score: 0.7 }, { faqId: 'b', score: 0.65 }, { faqId: 'c', score: 0.1 }], th);
  assert.deepEqual(d, { action: 'clarify', choices: ['a', 'b'], score: 0.7 });
});

it('falls back when nothing is confident or nothing is found', () => {
  assert.equal(decide([{ faqId: 'a', score: 0.2 }], th).action, 'fallback');
  assert.equal(decide([], th).action, 'fallback');
});

it('offers a single middling candidate for confirmation', () => {
  assert.deepEqual(decide([{ faqId: 'a', score: 0.45 }], th), { action: 'clarify', choices: ['a'], score: 0.45 });
});
