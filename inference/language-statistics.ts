/**
 * Character statistics for kk/ru/en: tinyld's `detectAll` (MIT, github.com/komodojp/tinyld),
 * computed the way tinyld computes it, from tinyld's own tables cut to the three languages
 * Kömek asks about (language-statistics.json, written by language-statistics-extract.ts).
 *
 * Importing tinyld itself keeps its tables for 62 languages resident — about 30 MB in every
 * worker. With `only` within kk/ru/en, tinyld never reads the other languages' entries, so the
 * results here are tinyld's exactly (test/unit/language-statistics.test.ts compares them).
 */
import { readFileSync } from 'node:fs';

/** The stored tables (see language-statistics-extract.ts). */
export interface LanguageStatistics {
  /** Where the tables come from (tinyld's version). */
  source: string;
  /** The languages, two-letter codes, in tinyld's order (its order decides ties). */
  langs: string[];
  /** Gram lengths tinyld looks at. */
  grams: number[];
  /** Grams only one language has: gram → language. */
  uniques: Record<string, string>;
  /** Grams several languages have: gram → score per language of `langs` (null: absent). */
  multiples: Record<string, (number | null)[]>;
}

export interface LanguageScore {
  lang: string;
  accuracy: number;
}

// tinyld's text cleaning, character for character.
const PUNCTUATION = /[,.。，、#%&/\\+*¡!¿?[\]！？;:…„“«»”"“_–—~]/gi;
const DIGITS = /[0-9]/g;
const FULL_WIDTH_DIGITS = /[\uFF10-\uFF19]/g;
const SPACES = /\s\s+/g;
const APOSTROPHE = /’/gi;
const COMBINING = /[\u0300-\u036f]/g;
const CHUNK_BREAK = /([,，、。!¿?！？":;()「」{}„“«»”"“<>⋯《》*]|[.[\]\\])+/;
const WORD_BREAK = /[ ]+/;

function clean(text: string): string {
  return text
    .toLowerCase()
    .replace(APOSTROPHE, "'")
    .replace(PUNCTUATION, ' ')
    .replace(FULL_WIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 65248))
    .replace(DIGITS, '')
    .replace(SPACES, ' ')
    .trim();
}

const stripAccents = (text: string): string => text.normalize('NFD').replace(COMBINING, '');
const round = (x: number): number => Math.round(x * 1e4) / 1e4;

/** tinyld's n-grams of length `n`, padded with spaces; never two spaces in a row. */
function ngrams(text: string, n: number): string[] {
  const out: string[] = [];
  const padded = ' '.repeat(n - 1) + text + ' '.repeat(n - 1);
  for (let at = 0; at < padded.length - (n - 1); at++) {
    const chars: string[] = [];
    let spaces = 0;
    for (let k = 0; k < n; k++) {
      spaces = padded[at + k] === ' ' ? spaces + 1 : 0;
      if (!(spaces > 1)) chars.push(padded[at + k]!);
    }
    const gram = chars.join('');
    if (gram.trim().length > 0 && gram.length === n) out.push(gram);
  }
  return out;
}

/** A detector over `stats`, answering like tinyld's `detectAll(text, { only })`. */
export function createStatistics(stats: LanguageStatistics): (text: string, only: readonly string[]) => LanguageScore[] {
  const uniques = new Map(Object.entries(stats.uniques));
  const multiples = new Map(Object.entries(stats.multiples));

  function uniqueLang(chunk: string, only: readonly string[]): string {
    for (const n of stats.grams) {
      for (const gram of ngrams(chunk, n)) {
        const lang = uniques.get(gram);
        if (lang !== undefined && (only.length === 0 || only.includes(lang))) return lang;
      }
    }
    return '';
  }

  function wordScores(word: string, only: readonly string[]): LanguageScore[] {
    const langs = stats.langs.map((lang, i) => [lang, i] as const).filter(([lang]) => only.length === 0 || only.includes(lang));
    const score = new Map<string, number>(langs.map(([lang]) => [lang, 0]));
    for (const raw of stats.grams.flatMap((n) => ngrams(word, n))) {
      const gram = stripAccents(raw);
      const scores = multiples.get(gram);
      if (!scores) continue;
      for (const [lang, i] of langs) {
        const s = scores[i];
        if (s !== null && s !== undefined) score.set(lang, (score.get(lang) || 0) + (s * gram.length) / 4);
      }
    }
    const ranked = [...score.entries()].sort((a, b) => b[1] - a[1]);
    const best = Math.max(...ranked.map((r) => r[1])) || 1;
    return ranked.slice(0, 8).map(([lang, s]) => ({ lang, accuracy: 1 - round((best - s) / best) }));
  }

  return function detectAll(text, only) {
    const chunks = text
      .split(CHUNK_BREAK)
      .map(clean)
      .filter((c) => !!c)
      .sort((a, b) => b.length - a.length)
      .slice(0, 7);
    let total = 0;
    const sums: Record<string, number> = {};
    for (const chunk of chunks) {
      const unique = uniqueLang(chunk, only);
      if (unique) {
        sums[unique] = (sums[unique] || 0) + chunk.length;
        total += chunk.length;
        continue;
      }
      for (const word of chunk.split(WORD_BREAK)) {
        for (const r of wordScores(word, only)) sums[r.lang] = (sums[r.lang] || 0) + r.accuracy;
        total += word.length;
      }
    }
    return Object.entries(sums)
      .filter((e) => e[1] > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([lang, sum]) => ({ lang, accuracy: sum / total }));
  };
}

let loaded: ((text: string, only: readonly string[]) => LanguageScore[]) | undefined;

/** tinyld's `detectAll` for kk/ru/en from the stored tables (read once, on first use). */
export function detectAllStatistics(text: string, only: readonly string[]): LanguageScore[] {
  loaded ??= createStatistics(JSON.parse(readFileSync(new URL('./language-statistics.json', import.meta.url), 'utf8')) as LanguageStatistics);
  return loaded(text, only);
}
