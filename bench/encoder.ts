/**
 * Encoder and retrieval benchmark (part of `npm run bench`):
 * - training time for the demo knowledge base (+ corpus), as `komek train` does it;
 * - encoder queries/s through Kömek's runtime, one text per call and 32 per call;
 * - the same ONNX model through bare onnxruntime-node on pre-featurized inputs, so the ratio is
 *   the overhead of featurizing and batching;
 * - retrieval latency p50/p99 over a synthetic knowledge base of 10,000 entries.
 */
import * as ort from 'onnxruntime-node';
import type { KbEntry } from '../core/kb.ts';
import { loadCorpus } from '../inference/load-corpus.ts';
import { padBatch, type Features } from '../inference/encoder/featurize.ts';
import { createOnnxEncoder } from '../inference/encoder/onnx-encoder.ts';
import { ONNX_IO } from '../inference/encoder/onnx-export.ts';
import { createRng } from '../inference/encoder/prng.ts';
import { readDemoParts } from '../inference/eval/demo-data.ts';
import { trainedEmbedder } from '../inference/retrieval/embedder.ts';
import { backgroundIndex, fitRetrieval } from '../inference/training/fit-retrieval.ts';
import { buildHybridScorer } from '../inference/retrieval/hybrid-retriever.ts';
import { calibrate } from '../inference/retrieval/scorer.ts';
import { analyze } from '../inference/text/index.ts';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Runs `fn` repeatedly for about `ms`; returns calls per second. */
async function rate(ms: number, fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < ms) {
    await fn();
    n++;
  }
  return n / ((performance.now() - started) / 1000);
}

/** A synthetic knowledge base: corpus phrasings recombined into `n` distinct entries. */
function syntheticEntries(corpusTexts: { text: string; lang: 'kk' | 'ru' | 'en' }[], n: number): KbEntry[] {
  const rng = createRng(9);
  const out: KbEntry[] = [];
  for (let i = 0; i < n; i++) {
    const pick = () => rng.pick(corpusTexts);
    const q = pick();
    out.push({
      id: `syn-${i}`,
      lang: q.lang,
      question: `${q.text} ${pick().text.split(' ').slice(0, 2).join(' ')}`,
      answer: `${pick().text}. ${pick().text}.`,
      altQuestions: [pick().text, pick().text, pick().text],
      sourceUrl: null,
      category: null,
      enabled: true,
    });
  }
  return out;
}

export async function runEncoderBench(out: (line: string) => void): Promise<void> {
  const corpus = await loadCorpus();
  const entries = (await readDemoParts()).flatMap(([, part]) => part);
  out(`encoder: demo knowledge base ${new Set(entries.map((e) => e.id)).size} entries (${entries.length} rows), corpus ${corpus.length} services`);

  const fit = await fitRetrieval(entries, corpus, analyze, { seed: 42 });
  out(`training (demo kb + corpus): ${fit.seconds.total.toFixed(1)} s total = train ${fit.seconds.train.toFixed(1)} s + calibrate ${fit.seconds.calibrate.toFixed(1)} s + encode ${fit.seconds.encode.toFixed(1)} s; model ${(fit.onnx.length / 1e6).toFixed(1)} MB, ${fit.meta.rows} rows x ${fit.meta.dim}`);

  const queries = corpus.flatMap((s) => [...s.texts.kk, ...s.texts.ru]).slice(0, 512);
  const encoder = await createOnnxEncoder({ onnx: fit.onnx, meta: fit.meta }, analyze, { intraOpNumThreads: 1 });
  let i = 0;
  const next = () => queries[i++ % queries.length]!;
  const single = await rate(2000, () => encoder.encode([next()], 'query'));
  const batched = 32 * (await rate(2000, () => encoder.encode(Array.from({ length: 32 }, next), 'query')));
  const concurrent = 32 * (await rate(2000, () => Promise.all(Array.from({ length: 32 }, () => encoder.encode([next()], 'query')))));

  // Bare onnxruntime-node: the same bytes, inputs featurized beforehand.
  const session = await ort.InferenceSession.create(fit.onnx, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const feats: Features[] = queries.map((q) => encoder.featurizer.featurize(q));
  const batches1 = feats.map((f) => padBatch([f]));
  const batches32 = Array.from({ length: 16 }, (_, b) => padBatch(feats.slice(b * 32, b * 32 + 32)));
  const feed = (b: ReturnType<typeof padBatch>) => ({
    [ONNX_IO.ids]: new ort.Tensor('int32', b.ids, [b.batch, b.length]),
    [ONNX_IO.weights]: new ort.Tensor('float32', b.weights, [b.batch, b.length]),
  });
  let j = 0;
  const bareSingle = await rate(2000, () => session.run(feed(batches1[j++ % batches1.length]!)));
  let k = 0;
  const bareBatched = 32 * (await rate(2000, () => session.run(feed(batches32[k++ % batches32.length]!))));
  await session.release();
  const featurizeRate = await rate(1000, async () => encoder.featurizer.featurize(next()));
  out(`encoder queries/s, single text per call: komek ${single.toFixed(0)} | bare onnxruntime ${bareSingle.toFixed(0)} | ratio ${(single / bareSingle).toFixed(2)}`);
  out(`encoder queries/s, 32 texts per call:    komek ${batched.toFixed(0)} | bare onnxruntime ${bareBatched.toFixed(0)} | ratio ${(batched / bareBatched).toFixed(2)}`);
  out(`encoder queries/s, 32 concurrent single-text calls (micro-batched): komek ${concurrent.toFixed(0)} | vs sequential single ${(concurrent / single).toFixed(2)}x`);
  out(`featurizing alone: ${featurizeRate.toFixed(0)} texts/s`);

  // Retrieval over 10,000 synthetic entries with the trained encoder and its calibration.
  const corpusTexts = corpus.flatMap((s) => (['kk', 'ru'] as const).flatMap((lang) => s.texts[lang].map((text) => ({ text, lang }))));
  const big = syntheticEntries(corpusTexts, 10_000);
  const t0 = performance.now();
  const background = await backgroundIndex(corpus, fit.calibration.backgroundServices, trainedEmbedder(encoder));
  const scorer = await buildHybridScorer(big, trainedEmbedder(encoder), analyze, undefined, background);
  out(`retrieval index over 10,000 entries (${scorer.textCount} texts): built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const latencies: number[] = [];
  for (let q = 0; q < 300; q++) {
    const text = next();
    const started = performance.now();
    calibrate(await scorer.candidates(text, q % 2 === 0 ? 'kk' : 'ru'), fit.calibration.model).slice(0, 5);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  out(`retrieval latency over 10,000 entries: p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms (${latencies.length} queries, one at a time)`);
  await scorer.close();
  await background.close();
  await encoder.close();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runEncoderBench((line) => process.stdout.write(`${line}\n`));
}
