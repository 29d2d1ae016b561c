/**
 * The hybrid retriever of one worker: dense index + in-memory lexical index over the current
 * knowledge base, candidates from both, one calibrated confidence per candidate. It follows the
 * knowledge base: at most every `checkEveryMs` a retrieval asks `kb.version()` (one cheap
 * query) and rebuilds the indexes when it changed — new entries are embedded with the loaded
 * encoder at once, so they are findable before the next training.
 */
import type { KbEntry } from '../../core/kb.ts';
import type { Lang } from '../../core/lang.ts';
import type { KnowledgeBase, Logger, Retriever, StoredVector } from '../../core/ports.ts';
import type { Analyzer } from '../encoder/featurize.ts';
import { createDenseIndex, type DenseIndex } from './dense-index.ts';
import { encodeTexts, type TextEmbedder } from './embedder.ts';
import { createHybridScorer, facetsByEntry } from './hybrid-scorer.ts';
import { entryTexts } from './kb-texts.ts';
import { createLexicalIndex } from './lexical-index.ts';
import type { LogisticModel } from './logistic.ts';
import { calibrate, type CandidateScorer } from './scorer.ts';

/** Builds the scorer for a fixed set of entries; stored vectors are used when they cover every text. */
export async function buildHybridScorer(
  entries: readonly KbEntry[],
  encoder: TextEmbedder,
  analyzer: Analyzer,
  stored?: readonly StoredVector[],
  background?: DenseIndex,
): Promise<CandidateScorer & { textCount: number; close(): Promise<void> }> {
  const texts = entryTexts(entries);
  const byKey = new Map((stored ?? []).map((v) => [`${v.faqId}\u0000${v.lang}\u0000${v.field}`, v]));
  const reuse = texts.every((t) => byKey.get(`${t.faqId}\u0000${t.lang}\u0000${t.field}`)?.vector.length === encoder.dim);
  const vectors = reuse
    ? texts.map((t) => byKey.get(`${t.faqId}\u0000${t.lang}\u0000${t.field}`)!)
    : await encodeTexts(encoder, texts);
  const dense = await createDenseIndex(vectors, encoder.dim);
  const scorer = createHybridScorer({
    dense,
    lexical: createLexicalIndex(texts, analyzer),
    embed: async (text: string, lang: Lang | undefined) => (await encoder.embedQueries([text], [lang]))[0]!,
    background,
    facets: facetsByEntry(entries),
  });
  // Closing waits for searches in flight, so swapping indexes never pulls a session from under one.
  let inFlight = 0;
  let drained: (() => void) | null = null;
  return {
    featureNames: scorer.featureNames,
    textCount: texts.length,
    async candidates(text, lang) {
      inFlight++;
      try {
        return await scorer.candidates(text, lang);
      } finally {
        if (--inFlight === 0) drained?.();
      }
    },
    async close() {
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      await dense.close();
    },
  };
}

export interface HybridRetrieverDeps {
  kb: KnowledgeBase;
  encoder: TextEmbedder;
  analyzer: Analyzer;
  calibration: LogisticModel;
  logger: Logger;
  /** Vectors stored for `vectorsKbVersion`; used when the knowledge base is still at that version. */
  stored?: { kbVersion: number; vectors: readonly StoredVector[] };
  /** Known services the knowledge base does not cover (see hybrid-scorer.ts). */
  background?: DenseIndex;
  /** How often a retrieval may check the knowledge-base version (default 5000 ms). */
  checkEveryMs?: number;
  now?: () => number;
}

export interface HybridRetriever extends Retriever {
  /** Checks the knowledge-base version now and rebuilds when it changed. */
  refresh(): Promise<void>;
  /** The knowledge-base version the indexes hold. */
  kbVersion(): number;
  /** Releases the index (not the encoder or the background, which the caller owns). */
  close(): Promise<void>;
}

export function createHybridRetriever(deps: HybridRetrieverDeps): HybridRetriever {
  const now = deps.now ?? Date.now;
  const checkEvery = deps.checkEveryMs ?? 5000;
  let current: { version: number; scorer: CandidateScorer & { close(): Promise<void> } } | null = null;
  let lastCheck = -Infinity;
  let building: Promise<void> | null = null;

  async function rebuild(version: number): Promise<void> {
    const started = now();
    const entries = (await deps.kb.list({ enabledOnly: true })).filter((e) => e.enabled);
    const stored = deps.stored && deps.stored.kbVersion === version ? deps.stored.vectors : undefined;
    const scorer = await buildHybridScorer(entries, deps.encoder, deps.analyzer, stored, deps.background);
    const previous = current;
    current = { version, scorer };
    await previous?.scorer.close();
    deps.logger.info({ kbVersion: version, entries: entries.length, texts: scorer.textCount, reusedVectors: Boolean(stored), ms: now() - started }, 'retrieval index built');
  }

  async function refresh(): Promise<void> {
    lastCheck = now();
    const version = await deps.kb.version();
    if (current && current.version === version) return;
    // One rebuild at a time; callers during a rebuild wait for it.
    building ??= rebuild(version).finally(() => {
      building = null;
    });
    await building;
  }

  return {
    refresh,
    kbVersion: () => current?.version ?? -1,
    async close() {
      await building?.catch(() => undefined);
      await current?.scorer.close();
      current = null;
    },
    async retrieve(text, opts) {
      if (!current || now() - lastCheck >= checkEvery) await refresh();
      const scored = await current!.scorer.candidates(text, opts.lang);
      return calibrate(scored, deps.calibration).slice(0, opts.limit ?? 5);
    },
  };
}
