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

it('offers the best two or three when only one candidate is middling, never a single choice', () => {
  const three = [{ faqId: 'a', score: 0.45 }, { faqId: 'b', score: 0.05 }, { faqId: 'c', score: 0.02 }, { faqId: 'd', score: 0.01 }];
  assert.deepEqual(decide(three, th), { action: 'clarify', choices: ['a', 'b', 'c'], score: 0.45 });
  assert.deepEqual(decide(three.slice(0, 2), th), { action: 'clarify', choices: ['a', 'b'], score: 0.45 });
});

it('answers a middling candidate that has no rival at all', () => {
  assert.deepEqual(decide([{ faqId: 'a', score: 0.45 }], th), { action: 'answer', faqId: 'a', score: 0.45, alternatives: [] });
});

it('still answers a confident candidate whose rivals are weak, even within the margin', () => {
  const d = decide([{ faqId: 'a', score: 0.62 }, { faqId: 'b', score: 0.25 }], { answer: 0.6, clarify: 0.3, margin: 0.5 });
  assert.equal(d.action, 'answer');
});

it('never offers fewer than two choices, whatever the scores', () => {
  for (let i = 0; i < 2000; i++) {
    const n = 1 + (i % 5);
    const cands = Array.from({ length: n }, (_, k) => ({ faqId: `e${k}`, score: Math.random() })).sort((x, y) => y.score - x.score);
    const d = decide(cands, { answer: 0.45, clarify: 0.15, margin: (i % 3) * 0.05 });
    if (d.action === 'clarify') assert.ok(d.choices.length >= 2 && d.choices.length <= 3, JSON.stringify({ cands, d }));
  }
});
