/**
 * The data a confidence is calibrated on, generated from the knowledge base itself:
 * - positives: one alternative phrasing per entry and language is held out of training and of
 *   the index, then asked as a question (clean, and once more with realistic noise);
 * - out-of-scope: phrasings of corpus services held out of training that the knowledge base
 *   does not cover.
 * Deterministic for a seed, so training and `komek eval` rebuild exactly the same split.
 */
import type { KbEntry } from '../../core/kb.ts';
import type { Lang } from '../../core/lang.ts';
import { augment } from '../encoder/augment.ts';
import { createRng, deriveSeed } from '../encoder/prng.ts';
import type { CorpusLike } from '../encoder/training-data.ts';

export interface CalibrationQuery {
  text: string;
  lang: Lang;
  /** The entry that answers it, or null when out of scope. */
  faqId: string | null;
  /** Where it came from (the held-out alt, or `corpus:<service>`). */
  source: string;
}

export interface CalibrationSplit {
  /** Entries without their held-out phrasings: what the model trains on and the index holds while calibrating. */
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
}

export const DEFAULT_SPLIT: SplitOptions = { seed: 42, heldOutServiceShare: 0.25, noisyCopies: 1 };

export function makeCalibrationSplit(entries: readonly KbEntry[], corpus: readonly CorpusLike[], opts: SplitOptions = DEFAULT_SPLIT): CalibrationSplit {
  const rng = createRng(deriveSeed(opts.seed, 'calibration-split'));
  const positives: CalibrationQuery[] = [];
  const trainEntries = entries.map((e) => {
    // Only entries with 2+ phrasings give one up: the entry keeps at least one alternative.
    if (!e.enabled || e.altQuestions.length < 2) return e;
    const k = rng.int(e.altQuestions.length);
    const text = e.altQuestions[k]!;
    positives.push({ text, lang: e.lang, faqId: e.id, source: `${e.id}/${e.lang}/a${k}` });
    for (let i = 0; i < opts.noisyCopies; i++) {
      positives.push({ text: augment(text, e.lang, rng), lang: e.lang, faqId: e.id, source: `${e.id}/${e.lang}/a${k}~${i}` });
    }
    return { ...e, altQuestions: e.altQuestions.filter((_, i) => i !== k) };
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
  const out = new Set<string>();
  for (const [source, m] of votes) {
    const max = Math.max(...m.values());
    if (max * 2 > (totals.get(source) ?? 0)) out.add(source.replace(/^corpus:/, ''));
  }
  return out;
}
