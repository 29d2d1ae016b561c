/**
 * Concept lookup: which public-service concepts a message mentions, whatever words it uses
 * (ЦОН, ХҚКО, "центр обслуживания населения", "tson" are all `tson`). Terms are normalised and
 * stemmed at load; a message word matches a term word when any of their keys agree: the folded
 * word, its Kazakh stem or its Russian stem (English: the word or its stem). Folding makes
 * "куалик" (typed without Kazakh letters) meet "куәлік"; stems make "справку" meet "справка".
 */
import { isEnglishWord } from './cues.ts';
import { KAZAKH_LETTERS, foldCyrillicKeepY } from './fold.ts';
import { LEXICON, type ConceptGroup } from './lexicon-data.ts';
import { normalizeText } from './normalize.ts';
import { stemEnglish } from './stem-en.ts';
import { stemKazakh } from './stem-kk.ts';
import { stemRussian } from './stem-ru.ts';
import { tokenize } from './tokenize.ts';

export type { ConceptGroup } from './lexicon-data.ts';

/** Finds concept ids in normalised text. */
export interface Lexicon {
  /** Concept ids mentioned in `normalized` (output of normalizeText), in order of appearance. */
  expand(normalized: string): string[];
  /** Same, for text already split by `tokenize`. */
  expandTokens(tokens: readonly string[]): string[];
  /** Every concept id the lexicon knows. */
  readonly concepts: readonly string[];
}

interface TermEntry {
  concept: string;
  /** Key sets of the term's words after the first. */
  rest: ReadonlySet<string>[];
}

const CYRILLIC = /[\u0400-\u04ff]/;
const LATIN = /[a-z\u00c0-\u024f]/;
/** Stems shorter than this match too much to be trusted as keys. */
const MIN_STEM_KEY = 3;
const EMPTY: ReadonlySet<string> = new Set();

/**
 * Everyday words whose stem happens to equal a term's stem: "его" (his) is the Russian stem of
 * "егов" (egov), "мало" (little) folds onto "мал" (livestock). They never name a concept.
 */
const FUNCTION_WORDS: ReadonlySet<string> = new Set(['его', 'мало', 'мала']);

/**
 * Endings Kazakh and Russian attach to an abbreviation, often without a hyphen: "ипке", "ипімді",
 * "цонға", "мсэкке", "ипе". The stemmers keep at least three letters, so "ип" + ending is never
 * cut back to the abbreviation; the lexicon does it for the abbreviations it knows.
 */
const ABBREVIATION_ENDINGS: ReadonlySet<string> = new Set([
  'а', 'е', 'у', 'ы', 'и', 'ом', 'ой', 'ов', 'ам', 'ах', 'ке', 'ка', 'ге', 'га', 'ға', 'қа', 'ні', 'ны', 'ті', 'ты',
  'ді', 'ды', 'нің', 'ның', 'тің', 'тың', 'дің', 'дың', 'нан', 'нен', 'тан', 'тен', 'дан', 'ден', 'та', 'те', 'да',
  'де', 'мен', 'пен', 'бен', 'ім', 'им', 'ым', 'імді', 'имді', 'ымды', 'ім', 'іміз', 'ымыз', 'ің', 'ың', 'і', 'сы',
  'сі', 'шник', 'шка', 'шку', 'шки',
]);

/**
 * The keys one word can be matched by: the folded word, and its Kazakh and Russian stems, each
 * tagged with its stemmer so a Russian stem of one word never meets a Kazakh stem of another.
 */
function keysOf(token: string): Set<string> {
  const keys = new Set<string>();
  if (CYRILLIC.test(token)) {
    // The word itself is a candidate stem in both spaces, so "емхана" (a term) meets the Kazakh
    // stem of "емханаға" even though the stemmer cuts the term itself further.
    const word = foldCyrillicKeepY(token);
    keys.add('k:' + word);
    const kk = foldCyrillicKeepY(stemKazakh(token));
    if (kk.length >= MIN_STEM_KEY) keys.add('k:' + kk);
    // A word with Kazakh letters is not Russian: its "Russian stem" would only collide
    // (көп → коп, the stem of копия).
    if (!KAZAKH_LETTERS.test(token)) {
      keys.add('r:' + word);
      const ru = foldCyrillicKeepY(stemRussian(token));
      if (ru.length >= MIN_STEM_KEY) keys.add('r:' + ru);
    }
  } else {
    keys.add('e:' + token);
    if (LATIN.test(token)) {
      const s = stemEnglish(token);
      if (s.length >= MIN_STEM_KEY) keys.add('e:' + s);
    }
  }
  return keys;
}

/** Forms a term is indexed under: as normalised, Latin kept as typed, and Latin converted. */
function termVariants(term: string): string[] {
  const auto = normalizeText(term);
  // Without Latin letters the three ways of handling Latin agree.
  if (!/\p{Script=Latin}/u.test(term)) return auto.length > 0 ? [auto] : [];
  const kept = normalizeText(term, { latin: 'keep' });
  const variants = new Set([auto, kept]);
  // "tson" or "zheke kualik" as a term: also index the Cyrillic reading whatever the context.
  if (tokenize(kept).some((t) => LATIN.test(t) && !isEnglishWord(t))) {
    variants.add(normalizeText(term, { latin: 'convert' }));
  }
  return [...variants].filter((v) => v.length > 0);
}

function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const k of a) if (b.has(k)) return true;
  return false;
}

/** Builds a lexicon from concept groups (the default data is {@link LEXICON}). */
export function createLexicon(groups: readonly ConceptGroup[]): Lexicon {
  const index = new Map<string, TermEntry[]>();
  // Abbreviations: one word of 2–5 capitals as written in the data (ИП, ЖК, ЦОН, МСЭК).
  const abbreviations = new Map<string, string>();
  for (const { concept, terms } of groups) {
    for (const term of terms) {
      if (/^[\p{Lu}]{2,5}$/u.test(term)) abbreviations.set(normalizeText(term), concept);
    }
  }
  /** The concept of an abbreviation with an ending written onto it, if the token is one. */
  function abbreviationOf(token: string): string | undefined {
    for (let k = 2; k <= Math.min(5, token.length - 1); k++) {
      const concept = abbreviations.get(token.slice(0, k));
      if (concept !== undefined && ABBREVIATION_ENDINGS.has(token.slice(k))) return concept;
    }
    return undefined;
  }
  for (const { concept, terms } of groups) {
    for (const term of terms) {
      for (const variant of termVariants(term)) {
        const [first, ...rest] = tokenize(variant).map(keysOf);
        if (first === undefined) continue;
        for (const key of first) {
          const list = index.get(key) ?? [];
          list.push({ concept, rest });
          index.set(key, list);
        }
      }
    }
  }

  function expandTokens(tokens: readonly string[]): string[] {
    const keys = tokens.map((t) => (FUNCTION_WORDS.has(t) ? EMPTY : keysOf(t)));
    const found = new Set<string>();
    keys.forEach((first, at) => {
      const abbreviation = first.size > 0 ? abbreviationOf(tokens[at]!) : undefined;
      if (abbreviation !== undefined) found.add(abbreviation);
      for (const key of first) {
        for (const entry of index.get(key) ?? []) {
          if (found.has(entry.concept) || at + entry.rest.length >= keys.length) continue;
          if (entry.rest.every((set, i) => intersects(keys[at + 1 + i] ?? EMPTY, set))) found.add(entry.concept);
        }
      }
    });
    return [...found];
  }

  return {
    expand: (normalized) => expandTokens(tokenize(normalized)),
    expandTokens,
    concepts: [...new Set(groups.map((g) => g.concept))],
  };
}

let defaultLexicon: Lexicon | undefined;

/** The built-in lexicon, built on first use (pure data; a few milliseconds once per process). */
export function defaultLexiconInstance(): Lexicon {
  return (defaultLexicon ??= createLexicon(LEXICON));
}

/** Concept ids of the built-in lexicon present in normalised text, in order of appearance. */
export function expandConcepts(normalizedText: string): string[] {
  return defaultLexiconInstance().expand(normalizedText);
}
