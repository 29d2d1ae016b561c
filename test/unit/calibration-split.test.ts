import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KbEntry } from '../../core/kb.ts';
import type { CorpusLike } from '../../inference/training/training-data.ts';
import { coveringEntries, makeCalibrationSplit, DEFAULT_SPLIT, type CalibrationQuery } from '../../inference/training/calibration-split.ts';
import { chooseThresholds } from '../../inference/training/choose-thresholds.ts';
import { entryTexts } from '../../inference/retrieval/kb-texts.ts';
import { assertCalibratable, CalibrationError } from '../../inference/retrieval/self-check.ts';

const entry = (id: string, lang: 'kk' | 'ru', alts: string[]): KbEntry => ({
  id, lang, question: `Как получить услугу ${id}?`, answer: `Услуга ${id} оказывается в ЦОН. Срок пять рабочих дней.`, altQuestions: alts, sourceUrl: null, category: null, enabled: true,
});
const corpus: CorpusLike[] = Array.from({ length: 8 }, (_, i) => ({ service: `s${i}`, category: 'x', texts: { kk: [`сұрақ ${i}`], ru: [`вопрос ${i}`], en: [] } }));

test('a knowledge base without alternative phrasings still gives positives, and never trains on what it asks', () => {
  const entries = Array.from({ length: 20 }, (_, i) => entry(`e${i}`, 'ru', []));
  const split = makeCalibrationSplit(entries, corpus, DEFAULT_SPLIT);
  assert.ok(split.positives.length >= 20, `positives ${split.positives.length}`);
  const trained = new Set(entryTexts(split.trainEntries).map((t) => t.text));
  for (const p of split.positives.filter((q) => q.kind === 'question')) assert.equal(trained.has(p.text), false, p.text);
  assert.ok(split.positives.some((q) => q.kind === 'question') && split.positives.some((q) => q.kind === 'variant'));
});

test('one alternative phrasing is held out of training and asked', () => {
  const split = makeCalibrationSplit([entry('a', 'ru', ['где сделать а']), entry('b', 'kk', ['б қайда'])], corpus, DEFAULT_SPLIT);
  assert.deepEqual(split.trainEntries.map((e) => e.altQuestions.length), [0, 0]);
  assert.ok(split.positives.some((q) => q.text === 'где сделать а' && q.kind === 'alt'));
});

test('a knowledge base too small to calibrate is refused with what to add', () => {
  const split = makeCalibrationSplit([entry('only', 'ru', [])], corpus, DEFAULT_SPLIT);
  const queries: CalibrationQuery[] = [...split.positives, { text: 'x', lang: 'ru', faqId: null, source: 'corpus:s1' }];
  assert.throws(() => assertCalibratable(queries, split.trainEntries), (err: Error) => err instanceof CalibrationError && /alternative phrasings/.test(err.message));
});

test('a corpus service is covered only when the dense and the lexical majorities name the same entry', () => {
  const q = (service: string): CalibrationQuery => ({ text: '', lang: 'ru', faqId: null, source: `corpus:${service}` });
  const queries = [q('s1'), q('s1'), q('s1'), q('s2'), q('s2'), q('s2')];
  const dense = ['a', 'a', 'b', 'c', 'c', 'c'];
  const lexical = ['a', 'a', 'a', 'd', 'd', 'c'];
  const { covering, related } = coveringEntries(queries, dense, lexical);
  assert.deepEqual([...covering], [['s1', 'a']]);
  assert.deepEqual([...related], ['s2'], 'one majority alone: neither a positive nor out of scope');
});

test('thresholds chosen on resamples hold the error budget on the calibration questions', () => {
  const features = ['score'];
  const queries: CalibrationQuery[] = [];
  const scored: { faqId: string; features: number[] }[][] = [];
  for (let i = 0; i < 60; i++) {
    queries.push({ text: `q${i}`, lang: 'ru', faqId: `e${i % 12}`, source: `e${i % 12}/ru/a${i}` });
    // Right entries mostly score high; one in twenty ranks a wrong entry first with confidence.
    const wrongFirst = i % 20 === 7;
    scored.push([
      { faqId: `e${i % 12}`, features: [wrongFirst ? 0.6 : 0.5 + (i % 10) / 20] },
      { faqId: wrongFirst ? 'other' : `x${i}`, features: [wrongFirst ? 0.9 : 0.1] },
    ]);
  }
  for (let i = 0; i < 120; i++) {
    queries.push({ text: `o${i}`, lang: 'ru', faqId: null, source: `corpus:s${i % 30}` });
    scored.push([{ faqId: `e${i % 12}`, features: [0.05 + (i % 7) / 40] }]);
  }
  const chosen = chooseThresholds(features, queries, scored, 42);
  assert.ok(chosen.sweep.wrong <= 0.03 + 1e-9 || chosen.thresholds.answer >= 0.99, JSON.stringify(chosen.sweep));
  assert.ok(chosen.sweep.rejection >= 0.9, JSON.stringify(chosen.sweep));
  assert.ok(chosen.thresholds.clarify <= chosen.thresholds.answer);
  assert.ok(chosen.sweep.right > 0.5, JSON.stringify(chosen.sweep));
});
