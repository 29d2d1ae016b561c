/**
 * Fits the whole retrieval stack for one knowledge base: trains the encoder (corpus, then the
 * entries), loads it through the ONNX runtime exactly as workers will, calibrates the hybrid
 * confidence on a split generated from the knowledge base, and encodes every entry text for
 * storage. One training run: the held-out phrasings are left out of training for honest
 * calibration, and are still indexed for answering.
 */
import type { KbEntry } from '../../core/kb.ts';
import type { Lang } from '../../core/lang.ts';
import type { StoredVector } from '../../core/ports.ts';
import type { Analyzer } from '../encoder/featurize.ts';
import type { EncoderMeta } from '../encoder/meta.ts';
import { createOnnxEncoder, type OnnxEncoder } from '../encoder/onnx-encoder.ts';
import { trainModel, type TrainModelOptions, type TrainProgress } from '../encoder/train-model.ts';
import { corpusGroups, kbGroups, type CorpusLike } from '../encoder/training-data.ts';
import { coveredServices, DEFAULT_SPLIT, makeCalibrationSplit, outOfScopeQueries, type CalibrationQuery, type SplitOptions } from './calibration-split.ts';
import { createDenseIndex } from './dense-index.ts';
import { fitCalibrator, scoreQueries } from './fit-calibrator.ts';
import { createHybridScorer } from './hybrid-scorer.ts';
import { entryTexts, type EntryText } from './kb-texts.ts';
import { createLexicalIndex } from './lexical-index.ts';
import type { LogisticModel } from './logistic.ts';
import type { ScoredCandidate } from './scorer.ts';

export interface FitOptions {
  seed: number;
  train?: Partial<TrainModelOptions>;
  split?: Partial<SplitOptions>;
  intraOpNumThreads?: number;
  onProgress?: (p: TrainProgress) => void;
}

/** What `calibration` in the model meta holds. */
export interface CalibrationMeta {
  model: LogisticModel;
  split: SplitOptions;
  heldOutServices: string[];
  coveredServices: string[];
  positives: number;
  negatives: number;
}

export interface FittedRetrieval {
  onnx: Uint8Array;
  meta: EncoderMeta;
  vectors: StoredVector[];
  calibration: CalibrationMeta;
  /** Calibration queries and their scored candidates (for the threshold sweep). */
  calibrationData: { queries: CalibrationQuery[]; scored: ScoredCandidate[][] };
  seconds: { train: number; calibrate: number; encode: number; total: number };
}

/** Encodes entry texts in chunks through the runtime. */
export async function encodeTexts(encoder: OnnxEncoder, texts: readonly EntryText[]): Promise<StoredVector[]> {
  const out: StoredVector[] = [];
  for (let i = 0; i < texts.length; i += 256) {
    const chunk = texts.slice(i, i + 256);
    const vectors = await encoder.encodeWithLang(chunk.map((t) => t.text), chunk.map((t) => t.lang));
    chunk.forEach((t, j) => out.push({ faqId: t.faqId, lang: t.lang, field: t.field, vector: vectors[j]! }));
  }
  return out;
}

export async function fitRetrieval(entries: readonly KbEntry[], corpus: readonly CorpusLike[], analyzer: Analyzer, opts: FitOptions): Promise<FittedRetrieval> {
  const t0 = performance.now();
  const split = { ...DEFAULT_SPLIT, seed: opts.seed, ...opts.split };
  const s = makeCalibrationSplit(entries, corpus, split);
  const trainTexts = entryTexts(s.trainEntries);
  const trained = trainModel(
    { corpus: corpusGroups(s.trainCorpus), kb: kbGroups(trainTexts) },
    analyzer,
    { seed: opts.seed, ...opts.train },
    opts.onProgress,
  );
  const t1 = performance.now();
  const encoder = await createOnnxEncoder({ onnx: trained.onnx, meta: trained.meta }, analyzer, { intraOpNumThreads: opts.intraOpNumThreads });
  try {
    opts.onProgress?.({ phase: 'calibrate', done: 0, total: 1 });
    const embed = async (text: string, lang: Lang | undefined) => (await encoder.encodeWithLang([text], [lang]))[0]!;
    const calVectors = await encodeTexts(encoder, trainTexts);
    const scorer = createHybridScorer({
      dense: createDenseIndex(calVectors, encoder.dim),
      lexical: createLexicalIndex(trainTexts, analyzer),
      embed,
    });
    const oosAll = outOfScopeQueries(corpus, s.heldOutServices);
    const oosScored = await scoreQueries(scorer, oosAll);
    const covered = coveredServices(oosAll, oosScored.map((c) => [...c].sort((a, b) => b.features[0]! - a.features[0]!)[0]?.faqId ?? null));
    const keep = oosAll.map((q) => !covered.has(q.source.replace(/^corpus:/, '')));
    const oos = oosAll.filter((_, i) => keep[i]);
    const posScored = await scoreQueries(scorer, s.positives);
    const queries = [...s.positives, ...oos];
    const scored = [...posScored, ...oosScored.filter((_, i) => keep[i])];
    const model = fitCalibrator(scorer, queries, scored);
    const t2 = performance.now();
    opts.onProgress?.({ phase: 'calibrate', done: 1, total: 1 });
    const allTexts = entryTexts(entries);
    const vectors = await encodeTexts(encoder, allTexts);
    const t3 = performance.now();
    const calibration: CalibrationMeta = {
      model,
      split,
      heldOutServices: s.heldOutServices,
      coveredServices: [...covered].sort(),
      positives: s.positives.length,
      negatives: oos.length,
    };
    const meta: EncoderMeta = { ...trained.meta, calibration: calibration as unknown as Record<string, unknown> };
    return {
      onnx: trained.onnx,
      meta,
      vectors,
      calibration,
      calibrationData: { queries, scored },
      seconds: { train: (t1 - t0) / 1000, calibrate: (t2 - t1) / 1000, encode: (t3 - t2) / 1000, total: (t3 - t0) / 1000 },
    };
  } finally {
    await encoder.close();
  }
}
