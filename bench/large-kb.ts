/**
 * The large knowledge base of the foreign battery (test/fixtures/foreign-kbs/f-large, 1,000+
 * entries assembled from hand-written topics): training time and the process's peak memory while
 * training, then retrieval latency over it and its answer figures on the battery's questions.
 * Run first in its process, so the peak is its own and not an earlier section's.
 */
import { decide } from '../core/decide.ts';
import { detectPersonRequest } from '../core/person-request.ts';
import { detectSmallTalk } from '../core/small-talk.ts';
import { loadCorpus } from '../inference/load-corpus.ts';
import { createOnnxEncoder } from '../inference/encoder/onnx-encoder.ts';
import { readBattery } from '../inference/eval/battery.ts';
import { evaluateSystems } from '../inference/eval/run-eval.ts';
import { trainedEmbedder } from '../inference/retrieval/embedder.ts';
import { backgroundIndex, fitRetrieval } from '../inference/training/fit-retrieval.ts';
import { buildHybridScorer } from '../inference/retrieval/hybrid-retriever.ts';
import { calibrate, calibratedRetriever } from '../inference/retrieval/scorer.ts';
import { analyze } from '../inference/text/index.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export async function runLargeKbBench(out: (line: string) => void): Promise<void> {
  const [kb] = await readBattery(['f-large']);
  if (!kb) {
    out('large knowledge base: test/fixtures/foreign-kbs/f-large is missing; skipped');
    return;
  }
  const corpus = await loadCorpus();
  const ids = new Set(kb.entries.map((e) => e.id)).size;
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const fit = await fitRetrieval(kb.entries, corpus, analyze, { seed: 42 });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  out(`large knowledge base f-large: ${ids} entries (${kb.entries.length} rows), ${kb.questions.length} questions`);
  out(`training: ${fit.seconds.total.toFixed(1)} s total = train ${fit.seconds.train.toFixed(1)} s + calibrate ${fit.seconds.calibrate.toFixed(1)} s + encode ${fit.seconds.encode.toFixed(1)} s; RSS ${mb(before)} before, peak ${mb(peak)} while training (+${mb(peak - before)})`);
  out(`self-check (${fit.calibration.selfCheck.status}): ${fit.calibration.selfCheck.message}`);
  const encoder = await createOnnxEncoder({ onnx: fit.onnx, meta: fit.meta }, analyze, { intraOpNumThreads: 1 });
  const embedder = trainedEmbedder(encoder);
  const background = await backgroundIndex(corpus, fit.calibration.backgroundServices, embedder);
  const scorer = await buildHybridScorer(kb.entries, embedder, analyze, fit.vectors, background);
  try {
    const latencies: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const q of kb.questions) {
        const started = performance.now();
        calibrate(await scorer.candidates(q.text, q.lang), fit.calibration.model).slice(0, 5);
        latencies.push(performance.now() - started);
      }
    }
    latencies.sort((a, b) => a - b);
    const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
    out(`retrieval over ${scorer.textCount} texts: p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms (${latencies.length} queries, one at a time)`);
    const [hybrid] = await evaluateSystems(kb.questions, [{ name: 'hybrid', retriever: calibratedRetriever(scorer, fit.calibration.model), thresholds: fit.calibration.thresholds }], {
      detectPersonRequest,
      detectSmallTalk,
      decide,
    });
    const m = hybrid!.metrics.all!;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    out(`answers: top-1 ${pct(m.top1)}, recall@3 ${pct(m.recall3)}, answered right ${pct(m.answeredCorrectly)}, wrong ${pct(m.answeredWrongly)}, out of scope not answered ${pct(m.oosRejected)}, escalated ${pct(m.escalationAccuracy)}`);
  } finally {
    await scorer.close();
    await background.close();
    await encoder.close();
  }
}
