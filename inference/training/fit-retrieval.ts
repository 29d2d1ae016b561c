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
import { createOnnxEncoder } from '../encoder/onnx-encoder.ts';
import { encodeTexts, trainedEmbedder, type TextEmbedder } from '../retrieval/embedder.ts';
import { trainModel, type TrainModelOptions, type TrainProgress } from './train-model.ts';
import { corpusGroups, kbGroups, type CorpusLike } from './training-data.ts';
import { coveredServiceQueries, coveringEntries, DEFAULT_SPLIT, makeCalibrationSplit, outOfScopeQueries, type CalibrationQuery, type SplitOptions } from './calibration-split.ts';
import { createDenseIndex, type DenseIndex } from '../retrieval/dense-index.ts';
import { fitCalibrator, scoreQueries } from './fit-calibrator.ts';
import { createHybridScorer, facetsByEntry } from '../retrieval/hybrid-scorer.ts';
import { entryTexts, type EntryText } from '../retrieval/kb-texts.ts';
import { createLexicalIndex } from '../retrieval/lexical-index.ts';
import { linkCorpusToEntries } from './corpus-links.ts';
import type { LogisticModel } from '../retrieval/logistic.ts';
import type { ScoredCandidate } from '../retrieval/scorer.ts';
import type { Thresholds } from '../../core/decide.ts';
import { chooseThresholds } from './choose-thresholds.ts';
import { createLexicalScorer } from '../retrieval/lexical-scorer.ts';
import { assertCalibratable, fewPhrasings, selfCheck, type SelfCheck } from '../retrieval/self-check.ts';

export interface FitOptions {
  seed: number;
  train?: Partial<TrainModelOptions>;
  split?: Partial<SplitOptions>;
  intraOpNumThreads?: number;
  /**
   * Add the phrasings of corpus services linked to an entry (corpus-links.ts) to its training
   * group. Off by default: on the demo knowledge base it moved nothing overall (top-1 91.6 both
   * ways; Russian +2.1, Kazakh −2.6, out of scope not answered +2.3) and some links are wrong.
   */
  linkCorpus?: boolean;
  onProgress?: (p: TrainProgress) => void;
}

/** What `calibration` in the model meta holds. */
export interface CalibrationMeta {
  model: LogisticModel;
  split: SplitOptions;
  heldOutServices: string[];
  coveredServices: string[];
  /** Corpus services the knowledge base does not cover: the background at run time. */
  backgroundServices: string[];
  positives: number;
  negatives: number;
  /** Decision thresholds chosen on this knowledge base's calibration (choose-thresholds.ts). */
  thresholds: Thresholds;
  /** How well the model knows this knowledge base (self-check.ts). */
  selfCheck: SelfCheck;
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

/** Every corpus phrasing as an entry-like text (the service stands in for the entry id). */
export function corpusTexts(corpus: readonly CorpusLike[], services?: ReadonlySet<string>): EntryText[] {
  return corpus
    .filter((s) => !services || services.has(s.service))
    .flatMap((s) => (['kk', 'ru', 'en'] as const).flatMap((lang) => s.texts[lang].map((text, i) => ({ faqId: s.service, lang, field: `c${i}`, text }))));
}

/** The dense index of known services the knowledge base does not cover. */
export async function backgroundIndex(corpus: readonly CorpusLike[], services: readonly string[], embedder: TextEmbedder): Promise<DenseIndex> {
  return await createDenseIndex(await encodeTexts(embedder, corpusTexts(corpus, new Set(services))), embedder.dim);
}

/**
 * The calibrated confidence for an embedder, fitted on a split (see calibration-split.ts).
 * Also decides which corpus services the knowledge base covers; the others are the background
 * of known other services, during calibration without the held-out ones (they play the unknown).
 */
export interface HybridCalibration {
  model: LogisticModel;
  covered: Set<string>;
  backgroundServices: string[];
  queries: CalibrationQuery[];
  scored: ScoredCandidate[][];
  thresholds: Thresholds;
  selfCheck: SelfCheck;
}

export async function calibrateHybrid(
  split: { trainEntries: readonly KbEntry[]; positives: CalibrationQuery[]; heldOutServices: readonly string[] },
  corpus: readonly CorpusLike[],
  embedder: TextEmbedder,
  analyzer: Analyzer,
  seed: number,
  l2 = 1,
): Promise<HybridCalibration> {
  const trainTexts = entryTexts(split.trainEntries);
  const dense = await createDenseIndex(await encodeTexts(embedder, trainTexts), embedder.dim);
  const corpusEntryTexts = corpusTexts(corpus);
  const corpusVectors = await encodeTexts(embedder, corpusEntryTexts);
  const lexicalIndex = createLexicalIndex(trainTexts, analyzer);
  const denseTops: (string | null)[] = [];
  const lexicalTops: (string | null)[] = [];
  for (const [i, v] of corpusVectors.entries()) {
    denseTops.push((await dense.search(v.vector, v.lang, 1))[0]?.faqId ?? null);
    lexicalTops.push(lexicalIndex.search(corpusEntryTexts[i]!.text, 'trigrams', 1, v.lang)[0]?.faqId ?? null);
  }
  const { covering, related } = coveringEntries(corpusVectors.map((v) => ({ text: '', lang: v.lang, faqId: null, source: `corpus:${v.faqId}` })), denseTops, lexicalTops);
  // Neither out of scope nor the background of other services.
  const covered = new Set([...covering.keys(), ...related]);
  const heldOut = new Set(split.heldOutServices);
  const background = await createDenseIndex(corpusVectors.filter((v) => !covered.has(v.faqId) && !heldOut.has(v.faqId)), embedder.dim);
  const scorer = createHybridScorer({
    dense,
    lexical: lexicalIndex,
    embed: async (text: string, lang: Lang | undefined) => (await embedder.embedQueries([text], [lang]))[0]!,
    background,
    // From the entries as calibration sees them: a held-out phrasing's facet words are not evidence.
    facets: facetsByEntry(split.trainEntries),
  });
  // Held-out services are the honest out-of-scope questions; when the knowledge base covers all
  // of them (a small corpus), trained services it does not cover stand in, and failing those the
  // services only one majority points at, rather than calibrate on one class.
  const heldOutOos = outOfScopeQueries(corpus, split.heldOutServices, covered);
  const everyService = corpus.map((c) => c.service);
  const oos =
    heldOutOos.length > 0
      ? heldOutOos
      : [outOfScopeQueries(corpus, everyService, covered), outOfScopeQueries(corpus, everyService, new Set(covering.keys()))].find((q) => q.length > 0) ?? [];
  const queries = [...split.positives, ...coveredServiceQueries(corpus, split.heldOutServices, covering), ...oos];
  assertCalibratable(queries, split.trainEntries);
  const scored = await scoreQueries(scorer, queries);
  await dense.close();
  await background.close();
  const backgroundServices = corpus.map((s) => s.service).filter((name) => !covered.has(name));
  const chosen = chooseThresholds(scorer.featureNames, queries, scored, seed);
  // Lexical BM25 on the very same questions, calibrated and thresholded the same way: the
  // administrator sees what the model adds over word matching on this knowledge base.
  const lexicalScorer = createLexicalScorer(lexicalIndex, 'trigrams');
  const lexicalChosen = chooseThresholds(lexicalScorer.featureNames, queries, await scoreQueries(lexicalScorer, queries), seed);
  const check = selfCheck({
    queries,
    hybrid: { ranked: chosen.outOfFold, thresholds: chosen.thresholds },
    lexical: { ranked: lexicalChosen.outOfFold, thresholds: lexicalChosen.thresholds },
    entries: split.trainEntries,
  });
  return { model: fitCalibrator(scorer, queries, scored, l2), covered, backgroundServices, queries, scored, thresholds: chosen.thresholds, selfCheck: check };
}

export async function fitRetrieval(entries: readonly KbEntry[], corpus: readonly CorpusLike[], analyzer: Analyzer, opts: FitOptions): Promise<FittedRetrieval> {
  const t0 = performance.now();
  const split = { ...DEFAULT_SPLIT, seed: opts.seed, ...opts.split };
  // The split and the training batches follow the entries' order, so a fixed order makes the
  // model a function of the knowledge base's content: the same on Postgres whatever its
  // collation (en_US sorts 'id-card' and 'idcard' unlike C), on PGlite, and from a file.
  const s = makeCalibrationSplit([...entries].sort(byIdAndLang), corpus, split);
  // Refused before the minute of training, not after it.
  assertCalibratable(s.positives, s.trainEntries, { negatives: false });
  const kb = kbGroups(entryTexts(s.trainEntries));
  let linked = 0;
  if (opts.linkCorpus ?? false) {
    const links = linkCorpusToEntries(s.trainEntries, s.trainCorpus, analyzer);
    const byService = new Map(s.trainCorpus.map((c) => [c.service, c]));
    for (const g of kb) {
      for (const service of links.get(g.key.replace(/^kb:/, '')) ?? []) {
        const c = byService.get(service)!;
        g.texts.push(...(['kk', 'ru', 'en'] as const).flatMap((lang) => c.texts[lang].map((text) => ({ text, lang }))));
        linked++;
      }
    }
  }
  const trained = trainModel(
    { corpus: corpusGroups(s.trainCorpus), kb },
    analyzer,
    { seed: opts.seed, ...opts.train },
    opts.onProgress,
  );
  const t1 = performance.now();
  const encoder = await createOnnxEncoder({ onnx: trained.onnx, meta: trained.meta }, analyzer, { intraOpNumThreads: opts.intraOpNumThreads });
  try {
    opts.onProgress?.({ phase: 'calibrate', done: 0, total: 1 });
    const embedder = trainedEmbedder(encoder);
    const cal = await calibrateHybrid(s, corpus, embedder, analyzer, split.seed);
    const t2 = performance.now();
    opts.onProgress?.({ phase: 'calibrate', done: 1, total: 1 });
    const vectors = await encodeTexts(embedder, entryTexts(entries));
    const t3 = performance.now();
    const calibration: CalibrationMeta = {
      model: cal.model,
      split,
      heldOutServices: s.heldOutServices,
      coveredServices: [...cal.covered].sort(),
      backgroundServices: cal.backgroundServices,
      positives: s.positives.length,
      negatives: cal.queries.length - s.positives.length,
      thresholds: cal.thresholds,
      // Advice names the deployer's rows as written, not as the split trimmed them.
      selfCheck: { ...cal.selfCheck, fewPhrasings: fewPhrasings(entries) },
    };
    const meta: EncoderMeta = {
      ...trained.meta,
      training: { ...trained.meta.training, linkedServices: linked },
      calibration: calibration as unknown as Record<string, unknown>,
    };
    return {
      onnx: trained.onnx,
      meta,
      vectors,
      calibration,
      calibrationData: { queries: cal.queries, scored: cal.scored },
      seconds: { train: (t1 - t0) / 1000, calibrate: (t2 - t1) / 1000, encode: (t3 - t2) / 1000, total: (t3 - t0) / 1000 },
    };
  } finally {
    await encoder.close();
  }
}

/** Code-unit order of id, then language: independent of any database collation. */
function byIdAndLang(a: KbEntry, b: KbEntry): number {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.lang < b.lang ? -1 : a.lang > b.lang ? 1 : 0;
}
