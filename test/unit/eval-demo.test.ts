import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCorpus } from '../../inference/load-corpus.ts';
import type { Metrics } from '../../inference/eval/metrics.ts';
import { readDemoParts, readDevSet } from '../../inference/eval/demo-data.ts';
import { evaluateKnowledgeBase } from '../../inference/eval/kb-eval.ts';
import { analyze } from '../../inference/text/index.ts';

/**
 * The demo knowledge base with its development sets, as `komek eval` runs it (seed 42, the
 * shipped model's), and with two more training seeds. One seed's figures move by a couple of
 * points with nothing but the draw, so the bars hold the mean over the three: a change that
 * only reshuffles training cannot trip them, a real regression still does. Each system decides
 * with the thresholds its own calibration chose on this knowledge base.
 */
const SEEDS = [42, 1, 2];

test('demo knowledge base: hybrid retrieval holds its figures over three seeds and beats lexical BM25', async () => {
  const entries = (await readDemoParts()).flatMap(([, part]) => part);
  const dev = [...(await readDevSet('a')), ...(await readDevSet('b'))];
  const corpus = await loadCorpus();
  const runs: Metrics[] = [];
  let lexical: { words: Metrics; trigrams: Metrics } | undefined;
  for (const seed of SEEDS) {
    // The lexical baselines do not learn; they are measured once, on the first seed's split.
    const { results } = await evaluateKnowledgeBase(entries, dev, corpus, analyze, { seed, baselines: !lexical });
    runs.push(results[0]!.metrics.all!);
    lexical ??= { words: results[1]!.metrics.all!, trigrams: results[2]!.metrics.all! };
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
