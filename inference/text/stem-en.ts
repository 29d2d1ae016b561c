/**
 * A minimal English stemmer: plurals, -ed, -ing, a trailing silent e, doubled final consonants.
 * Enough to tie "renewing", "renewed" and "renew", or "certificates" and "certificate";
 * English is the least inflected of the three languages Kömek reads.
 */

const MIN_STEM = 3;
const VOWEL = /[aeiouy]/;

function undouble(w: string): string {
  const n = w.length;
  if (n > MIN_STEM + 1 && w[n - 1] === w[n - 2] && !'lsz'.includes(w[n - 1] ?? '')) return w.slice(0, -1);
  return w;
}

function plural(w: string): string {
  if (w.endsWith("'s")) return w.slice(0, -2);
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (/(?:ch|sh|x|zz)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w) && w.length > MIN_STEM + 1) return w.slice(0, -1);
  return w;
}

function verbal(w: string): string {
  for (const ending of ['ing', 'ed']) {
    if (!w.endsWith(ending)) continue;
    const stem = w.slice(0, w.length - ending.length);
    if (stem.length >= MIN_STEM && VOWEL.test(stem)) {
      // "agreed" is "agree" + "d", not "agre" + "ed"
      if (ending === 'ed' && stem.endsWith('e')) return stem;
      return ending === 'ed' && stem.endsWith('i') ? stem.slice(0, -1) + 'y' : undouble(stem);
    }
  }
  return w;
}

/** Stems one lowercase English word. */
export function stemEnglish(word: string): string {
  if (word.length <= MIN_STEM) return word;
  let w = verbal(plural(word));
  if (w.endsWith('e') && w.length > MIN_STEM + 1) w = w.slice(0, -1);
  return w;
}
