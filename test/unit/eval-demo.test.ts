import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide } from '../../core/decide.ts';
import { detectPersonRequest } from '../../core/person-request.ts';
import { detectSmallTalk } from '../../core/small-talk.ts';
import { loadCorpus } from '../../inference/corpus/load-corpus.ts';
import { createOnnxEncoder } from '../../inference/encoder/onnx-encoder.ts';
import { lexicalBaselines } from '../../inference/eval/baselines.ts';
import type { Metrics } from '../../inference/eval/metrics.ts';
import { readDemoParts, readDevSet } from '../../inference/eval/demo-data.ts';
import { evaluateSystems } from '../../inference/eval/run-eval.ts';
import { trainedEmbedder } from '../../inference/retrieval/embedder.ts';
import { backgroundIndex, fitRetrieval } from '../../inference/retrieval/fit-retrieval.ts';
import { buildHybridScorer } from '../../inference/retrieval/hybrid-retriever.ts';
import { calibratedRetriever } from '../../inference/retrieval/scorer.ts';
import { DEFAULT_THRESHOLDS } from '../../inference/retrieval/thresholds.ts';
import { analyze } from '../../inference/text/index.ts';

/**
 * The demo knowledge base with its development sets, as `komek eval` runs it (seed 42, the
 * shipped model's), and with two more training seeds. One seed's figures move by a couple of
 * points with nothing but the draw (top-1 93.3 / 92.1 / 94.6 for seeds 42 / 1 / 2), so the bars
 * hold the mean over the three: a change that only reshuffles training cannot trip them, a real
 * regression still does. The bars are the means reached when this was written, rounded down.
 */
const SEEDS = [42, 1, 2];

test('demo knowledge base: hybrid retrieval holds its figures over three seeds and beats lexical BM25', async () => {
  const entries = (await readDemoParts()).flatMap(([, part]) => part);
  const dev = [...(await readDevSet('a')), ...(await readDevSet('b'))];
  const corpus = await loadCorpus();
  const runs: Metrics[] = [];
  let lexical: { words: Metrics; trigrams: Metrics } | undefined;
  for (const seed of SEEDS) {
    const fit = await fitRetrieval(entries, corpus, analyze, { seed });
    const encoder = await createOnnxEncoder({ onnx: fit.onnx, meta: fit.meta }, analyze);
    try {
      const embedder = trainedEmbedder(encoder);
      const background = await backgroundIndex(corpus, fit.calibration.backgroundServices, embedder);
      const scorer = await buildHybridScorer(entries, embedder, analyze, fit.vectors, background);
      const systems = [
        { name: 'hybrid', retriever: calibratedRetriever(scorer, fit.calibration.model), thresholds: DEFAULT_THRESHOLDS },
        // The lexical baselines do not learn; their calibration comes from the first fit.
        ...(lexical ? [] : await lexicalBaselines(entries, corpus, analyze, DEFAULT_THRESHOLDS, fit.calibration)),
      ];
      const [hybrid, words, trigrams] = await evaluateSystems(dev, systems, { detectPersonRequest, detectSmallTalk, decide });
      runs.push(hybrid!.metrics.all!);
      lexical ??= { words: words!.metrics.all!, trigrams: trigrams!.metrics.all! };
      await scorer.close();
      await background.close();
    } finally {
      await encoder.close();
    }
  }
  const mean = (key: 'top1' | 'recall3' | 'oosRejected' | 'escalationAccuracy' | 'answeredWrongly') => runs.reduce((sum, m) => sum + m[key], 0) / runs.length;
  const summary = JSON.stringify({ seeds: SEEDS, hybrid: runs, lexical });
  assert.ok(mean('top1') >= 0.92, `mean top-1 ${mean('top1')} ${summary}`);
  assert.ok(mean('recall3') >= 0.96, `mean recall@3 ${mean('recall3')} ${summary}`);
  assert.ok(mean('oosRejected') >= 0.9, `mean out-of-scope rejected ${mean('oosRejected')} ${summary}`);
  assert.ok(mean('escalationAccuracy') >= 0.95, `mean escalation ${mean('escalationAccuracy')} ${summary}`);
  // Wrong answers are the failure citizens pay for: bounded for every seed, not on average.
  for (const m of runs) assert.ok(m.answeredWrongly <= 0.05, `wrong answers ${m.answeredWrongly} ${summary}`);
  assert.ok(mean('top1') > lexical!.words.top1 && mean('top1') > lexical!.trigrams.top1, summary);
});
