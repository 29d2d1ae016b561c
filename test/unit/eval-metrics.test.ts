import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide } from '../../core/decide.ts';
import { parseEvalJsonl } from '../../inference/eval/dataset.ts';
import { computeMetrics, type Outcome } from '../../inference/eval/metrics.ts';
import { sweepThresholds } from '../../inference/training/sweep.ts';
import { formatTable } from '../../inference/eval/table.ts';

const o = (p: Partial<Outcome>): Outcome => ({ lang: 'ru', expect: 'answer', faqId: 'a', ranked: [], action: 'fallback', answered: null, ...p });

test('metrics: top-1, recall@3, MRR, decisions, rejection and escalation', () => {
  const m = computeMetrics([
    o({ ranked: ['a', 'b'], action: 'answer', answered: 'a' }),
    o({ ranked: ['b', 'c', 'a'], action: 'answer', answered: 'b' }),
    o({ ranked: ['b', 'c', 'd', 'a'], action: 'clarify' }),
    o({ expect: 'no-answer', faqId: null, ranked: ['x'], action: 'fallback' }),
    o({ expect: 'no-answer', faqId: null, ranked: ['x'], action: 'answer', answered: 'x' }),
    o({ expect: 'escalate', faqId: null, action: 'escalate' }),
  ]);
  assert.equal(m.answerable, 3);
  assert.equal(m.top1, 1 / 3);
  assert.equal(m.recall3, 2 / 3);
  assert.ok(Math.abs(m.mrr - (1 + 1 / 3 + 1 / 4) / 3) < 1e-12);
  assert.equal(m.answeredCorrectly, 1 / 3);
  assert.equal(m.answeredWrongly, 1 / 3);
  assert.equal(m.oosRejected, 0.5);
  assert.equal(m.escalationAccuracy, 1);
  assert.equal(m.falseEscalations, 0);
  assert.match(formatTable([{ name: 'x', outcomes: [], metrics: { all: m }, meanMs: 1 }]), /x\s+all\s+3\s+33\.3/);
});

test('dataset lines are validated with their line number', () => {
  const ok = parseEvalJsonl('{"text":"привет","lang":"ru","expect":"no-answer","faq_id":null}\n\n{"text":"паспорт","lang":"ru","expect":"answer","faq_id":"passport"}\n');
  assert.equal(ok.length, 2);
  assert.throws(() => parseEvalJsonl('{"text":"x","lang":"ru","expect":"answer"}'), /:1: an "answer" question needs faq_id/);
  assert.throws(() => parseEvalJsonl('{"text":"x","lang":"de","expect":"no-answer"}'), /:1:/);
});

test('threshold sweep honours the out-of-scope constraint', () => {
  const cases = [
    ...Array.from({ length: 20 }, (_, i) => ({ faqId: 'a', candidates: [{ faqId: 'a', score: 0.5 + i / 50 }, { faqId: 'b', score: 0.1 }] })),
    ...Array.from({ length: 20 }, (_, i) => ({ faqId: null, candidates: [{ faqId: 'a', score: 0.2 + i / 40 }] })),
  ];
  const r = sweepThresholds(cases, decide, { minRejection: 0.9 });
  assert.ok(r.rejection >= 0.9);
  assert.ok(r.thresholds.clarify <= r.thresholds.answer);
  assert.ok(r.accuracy > 0.7, JSON.stringify(r));
});
