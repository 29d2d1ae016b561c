import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide } from '../../core/decide.ts';
import { detectPersonRequest } from '../../core/person-request.ts';
import { detectSmallTalk } from '../../core/small-talk.ts';
import { loadCorpus } from '../../inference/corpus/load-corpus.ts';
import { createOnnxEncoder } from '../../inference/encoder/onnx-encoder.ts';
import { lexicalBaselines } from '../../inference/eval/baselines.ts';
import { readDemoParts, readDevSet } from '../../inference/eval/demo-data.ts';
import { evaluateSystems } from '../../inference/eval/run-eval.ts';
import { trainedEmbedder } from '../../inference/retrieval/embedder.ts';
import { backgroundIndex, fitRetrieval } from '../../inference/retrieval/fit-retrieval.ts';
import { buildHybridScorer } from '../../inference/retrieval/hybrid-retriever.ts';
import { calibratedRetriever } from '../../inference/retrieval/scorer.ts';
import { DEFAULT_THRESHOLDS } from '../../inference/retrieval/thresholds.ts';
import { analyze } from '../../inference/text/index.ts';

/**
 * The demo knowledge base with its development sets, as `komek eval` runs it. The bars are the
 * figures reached when this test was written, rounded down, so a regression fails loudly.
 */
test('demo knowledge base: hybrid retrieval holds its figures and beats lexical BM25', async () => {
  const entries = (await readDemoParts()).flatMap(([, part]) => part);
  const dev = [...(await readDevSet('a')), ...(await readDevSet('b'))];
  const corpus = await loadCorpus();
  const fit = await fitRetrieval(entries, corpus, analyze, { seed: 42 });
  const encoder = await createOnnxEncoder({ onnx: fit.onnx, meta: fit.meta }, analyze);
  try {
    const embedder = trainedEmbedder(encoder);
    const background = await backgroundIndex(corpus, fit.calibration.backgroundServices, embedder);
    const scorer = await buildHybridScorer(entries, embedder, analyze, fit.vectors, background);
    const systems = [
      { name: 'hybrid', retriever: calibratedRetriever(scorer, fit.calibration.model), thresholds: DEFAULT_THRESHOLDS },
      ...(await lexicalBaselines(entries, corpus, analyze, DEFAULT_THRESHOLDS, fit.calibration)),
    ];
    const [hybrid, words, trigrams] = await evaluateSystems(dev, systems, { detectPersonRequest, detectSmallTalk, decide });
    const m = hybrid!.metrics.all!;
    const summary = JSON.stringify({ hybrid: m, words: words!.metrics.all, trigrams: trigrams!.metrics.all });
    assert.ok(m.top1 >= 0.92, `top-1 ${m.top1} ${summary}`);
    assert.ok(m.recall3 >= 0.96, `recall@3 ${m.recall3}`);
    assert.ok(m.oosRejected >= 0.9, `out-of-scope rejected ${m.oosRejected}`);
    assert.ok(m.escalationAccuracy >= 0.95, `escalation ${m.escalationAccuracy}`);
    assert.ok(m.answeredWrongly <= 0.05, `wrong answers ${m.answeredWrongly}`);
    assert.ok(m.top1 > words!.metrics.all!.top1 && m.top1 > trigrams!.metrics.all!.top1, summary);
    await scorer.close();
    await background.close();
  } finally {
    await encoder.close();
  }
});
