/**
 * Realistic noise for training texts: what real messages look like next to the tidy phrasings of
 * a knowledge base. Each kind of noise is one small function; `augment` draws a few of them.
 */
import type { Lang } from '../../core/lang.ts';
import { cyrillicToLatin } from './cyrillic-to-latin.ts';
import type { Rng } from '../encoder/prng.ts';

/** Kazakh letters people replace with the nearest Russian ones when their keyboard lacks them. */
const KAZAKH_TO_RUSSIAN: Record<string, string> = {
  ә: 'а', ғ: 'г', қ: 'к', ң: 'н', ө: 'о', ұ: 'у', ү: 'у', һ: 'х', і: 'и',
};

/** Neighbouring keys on the Russian/Kazakh ЙЦУКЕН layout, for substitution typos. */
const ROWS = ['йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбю', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function neighbour(ch: string, rng: Rng): string {
  for (const row of ROWS) {
    const i = row.indexOf(ch);
    if (i < 0) continue;
    const j = i === 0 ? 1 : i === row.length - 1 ? i - 1 : i + (rng.next() < 0.5 ? -1 : 1);
    return row[j] ?? ch;
  }
  return ch;
}

function isLetter(ch: string): boolean {
  return ch.toLowerCase() !== ch.toUpperCase();
}

/** One keyboard slip: swap, drop, double or hit a neighbouring key, inside a word of 4+ letters. */
export function typo(text: string, rng: Rng): string {
  const chars = [...text];
  const positions: number[] = [];
  for (let i = 1; i < chars.length - 1; i++) {
    if (isLetter(chars[i]!) && isLetter(chars[i - 1]!) && isLetter(chars[i + 1]!)) positions.push(i);
  }
  if (positions.length === 0) return text;
  const i = rng.pick(positions);
  const kind = rng.int(4);
  if (kind === 0) {
    const tmp = chars[i]!;
    chars[i] = chars[i + 1]!;
    chars[i + 1] = tmp;
  } else if (kind === 1) {
    chars.splice(i, 1);
  } else if (kind === 2) {
    chars.splice(i, 0, chars[i]!);
  } else {
    chars[i] = neighbour(chars[i]!.toLowerCase(), rng);
  }
  return chars.join('');
}

/** Drops vowels here and there, as in hurried messages ("скл спрвка"). */
export function dropLetters(text: string, rng: Rng, rate = 0.15): string {
  let out = '';
  let prevLetter = false;
  for (const ch of text) {
    const vowel = 'аәеёиоөуұүыіэюяaeiou'.includes(ch.toLowerCase());
    if (vowel && prevLetter && rng.next() < rate) continue;
    out += ch;
    prevLetter = isLetter(ch);
  }
  return out;
}

/** Writes Kazakh-specific letters with the nearest Russian ones. */
export function stripKazakhLetters(text: string): string {
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const mapped = KAZAKH_TO_RUSSIAN[lower];
    out += mapped === undefined ? ch : lower === ch ? mapped : mapped.toUpperCase();
  }
  return out;
}

/** Swaps two words (word order is free-ish in both languages, and in chat). */
export function swapWords(text: string, rng: Rng): string {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  if (words.length < 3) return text;
  const i = rng.int(words.length - 1);
  const tmp = words[i]!;
  words[i] = words[i + 1]!;
  words[i + 1] = tmp;
  return words.join(' ');
}

/** Drops one word (people leave out "please", "how", "can I"…). */
export function dropWord(text: string, rng: Rng): string {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  if (words.length < 4) return text;
  words.splice(rng.int(words.length), 1);
  return words.join(' ');
}

/** Lower-cases and strips punctuation, like most chat messages. */
export function chatStyle(text: string): string {
  return text.toLowerCase().replace(/[?!.,;:«»"()]/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * A noisy variant of `text`: each kind of noise is applied with its own probability, so most
 * variants carry one or two kinds and a few stay clean.
 */
export function augment(text: string, lang: Lang, rng: Rng): string {
  let out = text;
  if (rng.next() < 0.5) out = chatStyle(out);
  if (rng.next() < 0.25) out = swapWords(out, rng);
  if (rng.next() < 0.15) out = dropWord(out, rng);
  if (rng.next() < 0.4) out = typo(out, rng);
  if (rng.next() < 0.15) out = typo(out, rng);
  if (rng.next() < 0.1) out = dropLetters(out, rng);
  if (lang === 'kk' && rng.next() < 0.3) out = stripKazakhLetters(out);
  if (lang !== 'en' && rng.next() < (lang === 'kk' ? 0.25 : 0.1)) {
    out = cyrillicToLatin(out, rng.next() < 0.35 ? 'official-2021' : 'informal');
  }
  return out;
}
