import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_FEATURIZER_PARAMS, rawFeatures, type Analysis, type Family, type FeaturizerParams } from '../../inference/encoder/featurize.ts';
import { bucketOf } from '../../inference/encoder/hash.ts';
import { recentAnalyses } from '../../inference/encoder/recent-analyses.ts';
import { analyze } from '../../inference/text/index.ts';

/** The features as strings, hashed one by one: what `rawFeatures` must reproduce without building them. */
function reference(analysis: Analysis, params: FeaturizerParams) {
  const keys: Array<[string, Family]> = [];
  for (const token of analysis.tokens) {
    const marked = `<${token}>`;
    for (let n = params.ngramMin; n <= params.ngramMax; n++) {
      for (let i = 0; i + n <= marked.length; i++) keys.push([`g${marked.slice(i, i + n)}`, 'ngram']);
    }
    if (marked.length < params.ngramMin) keys.push([`g${marked}`, 'ngram']);
  }
  for (const stem of analysis.stems) keys.push([`w${stem}`, 'word']);
  if (params.bigrams) for (let i = 0; i + 1 < analysis.stems.length; i++) keys.push([`b${analysis.stems[i]} ${analysis.stems[i + 1]}`, 'word']);
  for (const concept of analysis.concepts) keys.push([`c${concept}`, 'concept']);
  const out = { buckets: [] as number[], counts: [] as number[], families: [] as Family[] };
  for (const [key, family] of keys) {
    const b = bucketOf(key, params.bits);
    const at = out.buckets.indexOf(b);
    if (at >= 0) out.counts[at]! += 1;
    else (out.buckets.push(b), out.counts.push(1), out.families.push(family));
  }
  return out;
}

test('feature buckets are those of hashing the feature strings', () => {
  const texts: Array<[string, 'kk' | 'ru' | 'en' | undefined]> = [
    ['Как получить справку о несудимости через ЦОН?', 'ru'],
    ['жеке куәлігімнің мерзімі бітіп қалыпты', 'kk'],
    ['zheke kualikti qaidan alamyn', 'kk'],
    ['renewing 2 passports at CON', 'en'],
    ['я в ЦОН, а ты?', undefined],
    ['', undefined],
  ];
  const analyses = texts.map(([t, l]) => analyze(t, l));
  analyses.push({ normalized: '', tokens: ['a', 'ab', '😀', ''], stems: ['a', '', '😀'], concepts: ['x', 'x'] });
  const paramSets: FeaturizerParams[] = [
    DEFAULT_FEATURIZER_PARAMS,
    { bits: 8, ngramMin: 1, ngramMax: 2, bigrams: false },
    { bits: 30, ngramMin: 4, ngramMax: 7, bigrams: true },
  ];
  for (const params of paramSets) for (const a of analyses) assert.deepEqual(rawFeatures(a, params), reference(a, params), `${a.tokens.join(' ')} ${JSON.stringify(params)}`);
});

test('recent analyses: one analysis per text and language, shared, oldest dropped', () => {
  const calls: string[] = [];
  const analyzer = recentAnalyses((text, lang) => {
    calls.push(`${lang}:${text}`);
    return analyze(text, lang);
  }, 2);
  const a = analyzer('справка', 'ru');
  assert.equal(analyzer('справка', 'ru'), a, 'the same text and language: the first result');
  assert.deepEqual(a, analyze('справка', 'ru'));
  analyzer('справка', 'kk');
  analyzer('справка');
  assert.deepEqual(calls, ['ru:справка', 'kk:справка', 'undefined:справка'], 'another language is another analysis');
  analyzer('справка', 'ru');
  assert.equal(calls.length, 4, 'kept only the last two: the first was analysed again');
});
