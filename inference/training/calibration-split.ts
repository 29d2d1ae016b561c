/**
 * The data a confidence is calibrated on, generated from the knowledge base itself, whatever the
 * deployer wrote — many alternative phrasings, one, or none:
 * - an entry row with alternative phrasings gives one of them up: it is held out of training and
 *   of the index, then asked as a question (clean, and again with realistic noise);
 * - a row with none gives up its question for a share of the rows (`questionHoldout`): the entry
 *   is then found only through its answer and its other languages, a harder question than a
 *   citizen's paraphrase but an honest one — nothing of it was seen;
 * - out of scope: phrasings of corpus services held out of training that the knowledge base does
 *   not cover.
 * So every knowledge base of a few entries upwards gives both classes, and positives never
 * depend on how much the deployer wrote. Deterministic for a seed, so training and `komek eval`
 * rebuild exactly the same split.
 */
import type { KbEntry } from '../../core/kb.ts';
import type { Lang } from '../../core/lang.ts';
import { augment } from './augment.ts';
import { createRng, deriveSeed } from '../encoder/prng.ts';
import type { CorpusLike } from './training-data.ts';

/** How a positive calibration question was made. */
export type PositiveKind = 'alt' | 'question' | 'variant' | 'corpus';

export interface CalibrationQuery {
  text: string;
  lang: Lang;
  /** The entry that answers it, or null when out of scope. */
  faqId: string | null;
  /** Where it came from (the held-out alt or question, or `corpus:<service>`). */
  source: string;
  /** For positives: what was held out. */
  kind?: PositiveKind;
  /** A noised copy of a held-out text (see choose-thresholds.ts for why it judges no wrong answer). */
  noisedCopy?: boolean;
}

export interface CalibrationSplit {
  /** Entries without their held-out texts: what the model trains on and the index holds while calibrating. */
  trainEntries: KbEntry[];
  positives: CalibrationQuery[];
  /** Corpus services left out of training; their phrasings are out-of-scope candidates. */
  heldOutServices: string[];
  /** The corpus without the held-out services. */
  trainCorpus: CorpusLike[];
}

export interface SplitOptions {
  seed: number;
  /** Share of corpus services held out as out-of-scope material. */
  heldOutServiceShare: number;
  /** Noised copies of each held-out phrasing added as positives. */
  noisyCopies: number;
  /** Share of rows without alternative phrasings whose question is held out. */
  questionHoldout?: number;
  /** Citizen-style variants of each question that stays in training (typos, Latin script, dropped words). */
  questionVariants?: number;
}

export const DEFAULT_SPLIT: SplitOptions = { seed: 42, heldOutServiceShare: 0.25, noisyCopies: 1, questionHoldout: 0.5, questionVariants: 1 };

export function makeCalibrationSplit(entries: readonly KbEntry[], corpus: readonly CorpusLike[], opts: SplitOptions = DEFAULT_SPLIT): CalibrationSplit {
  const rng = createRng(deriveSeed(opts.seed, 'calibration-split'));
  const positives: CalibrationQuery[] = [];
  const questionHoldout = opts.questionHoldout ?? DEFAULT_SPLIT.questionHoldout!;
  const hold = (e: KbEntry, text: string, kind: PositiveKind, source: string) => {
    positives.push({ text, lang: e.lang, faqId: e.id, source, kind });
    for (let i = 0; i < opts.noisyCopies; i++) {
      positives.push({ text: augment(text, e.lang, rng), lang: e.lang, faqId: e.id, source: `${source}~${i}`, kind, noisedCopy: true });
    }
  };
  // A held-out text leaves its entry poorer than it really is (one alternative of one is all of
  // them), so those positives are harder than citizens' questions; noised copies of a question
  // the entry keeps are easier. Calibrating on both brackets the questions that will come.
  const variants = (e: KbEntry) => {
    for (let i = 0; i < (opts.questionVariants ?? 0); i++) {
      positives.push({ text: augment(e.question, e.lang, rng), lang: e.lang, faqId: e.id, source: `${e.id}/${e.lang}/q~${i}`, kind: 'variant' });
    }
  };
  const trainEntries = entries.map((e) => {
    if (!e.enabled) return e;
    if (e.altQuestions.length >= 1) {
      const k = rng.int(e.altQuestions.length);
      hold(e, e.altQuestions[k]!, 'alt', `${e.id}/${e.lang}/a${k}`);
      variants(e);
      return { ...e, altQuestions: e.altQuestions.filter((_, i) => i !== k) };
    }
    // Drawn for every such row, so the draw of one row never shifts another's.
    if (rng.next() >= questionHoldout) {
      variants(e);
      return e;
    }
    hold(e, e.question, 'question', `${e.id}/${e.lang}/q`);
    // An empty question is left out of the entry's texts (kb-texts.ts).
    return { ...e, question: '' };
  });
  const order = rng.shuffle(corpus.map((_, i) => i));
  const nHeld = Math.round(corpus.length * opts.heldOutServiceShare);
  const held = new Set(order.slice(0, nHeld));
  return {
    trainEntries,
    positives,
    heldOutServices: corpus.filter((_, i) => held.has(i)).map((s) => s.service),
    trainCorpus: corpus.filter((_, i) => !held.has(i)),
  };
}

/** Out-of-scope questions from held-out services (all languages), minus services judged covered. */
export function outOfScopeQueries(corpus: readonly CorpusLike[], services: readonly string[], covered: ReadonlySet<string> = new Set()): CalibrationQuery[] {
  const wanted = new Set(services);
  return corpus
    .filter((s) => wanted.has(s.service) && !covered.has(s.service))
    .flatMap((s) =>
      (['kk', 'ru', 'en'] as const).flatMap((lang) => s.texts[lang].map((text) => ({ text, lang, faqId: null, source: `corpus:${s.service}` }))),
    );
}

/**
 * Which corpus services the knowledge base covers: those of which more than half of the
 * phrasings retrieve one and the same entry first. Out-of-scope phrasings scatter over entries;
 * a service the knowledge base answers keeps landing on its entry. A covered service is left out
 * of calibration (rather than guessed a label) and out of the background of known other
 * services (where it would compete with its own entry). A third instead of a half marked 150 of
 * 202 services as covered by a 33-entry knowledge base: related is not covered.
 */
export function coveredServices(queries: readonly CalibrationQuery[], topEntry: readonly (string | null)[]): Set<string> {
  return new Set(majorityEntries(queries, topEntry).keys());
}

/** For each source whose queries mostly find one entry first: that entry. */
export function majorityEntries(queries: readonly CalibrationQuery[], topEntry: readonly (string | null)[]): Map<string, string> {
  const votes = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  queries.forEach((q, i) => {
    const top = topEntry[i];
    totals.set(q.source, (totals.get(q.source) ?? 0) + 1);
    if (!top) return;
    const m = votes.get(q.source) ?? new Map<string, number>();
    m.set(top, (m.get(top) ?? 0) + 1);
    votes.set(q.source, m);
  });
  const out = new Map<string, string>();
  for (const [source, m] of votes) {
    let best = '';
    let max = 0;
    for (const [id, n] of m) if (n > max || (n === max && id < best)) [best, max] = [id, n];
    if (max * 2 > (totals.get(source) ?? 0)) out.set(source.replace(/^corpus:/, ''), best);
  }
  return out;
}

/**
 * Corpus services the knowledge base covers, with the entry that covers each: the dense model's
 * majority and lexical BM25's majority name the same entry; only those are asked as that entry's
 * positives (one vote alone is not enough — with nine entries, any service's phrasings pile onto
 * one of them). A service only one majority points at is `related`: it may well be answered by
 * the knowledge base (its phrasings split between neighbouring entries, a lost ID card beside
 * getting one), so it is neither a positive nor an out-of-scope example — on the demo, counting
 * such services as out of scope pushed the answer threshold to 0.9.
 */
export function coveringEntries(
  queries: readonly CalibrationQuery[],
  denseTop: readonly (string | null)[],
  lexicalTop: readonly (string | null)[],
): { covering: Map<string, string>; related: Set<string> } {
  const dense = majorityEntries(queries, denseTop);
  const lexical = majorityEntries(queries, lexicalTop);
  const covering = new Map<string, string>();
  const related = new Set<string>();
  for (const [service, entry] of dense) {
    if (lexical.get(service) === entry) covering.set(service, entry);
    else related.add(service);
  }
  for (const service of lexical.keys()) if (!covering.has(service)) related.add(service);
  return { covering, related };
}

/**
 * Phrasings of held-out corpus services the knowledge base covers, as positives of the entry
 * that covers them: citizens' own paraphrases, never trained on, asked of an entry that keeps all
 * of its texts — the closest a split gets to the questions that will come.
 */
export function coveredServiceQueries(corpus: readonly CorpusLike[], services: readonly string[], covering: ReadonlyMap<string, string>): CalibrationQuery[] {
  const wanted = new Set(services);
  return corpus
    .filter((s) => wanted.has(s.service) && covering.has(s.service))
    .flatMap((s) =>
      (['kk', 'ru', 'en'] as const).flatMap((lang) =>
        s.texts[lang].map((text): CalibrationQuery => ({ text, lang, faqId: covering.get(s.service)!, source: `corpus:${s.service}`, kind: 'corpus' })),
      ),
    );
}
