/**
 * A Russian stemmer after the Snowball algorithm (Porter's Russian stemmer): removes
 * inflectional endings inside the region after the first vowel, so "справки", "справку",
 * "справкой" all give "справк". Expects lowercase text with ё already folded to е.
 * It gives Snowball's stems except that a stem never gets shorter than three letters (see
 * `stemRussian`); test/unit/text-stem.test.ts holds it to Snowball's reference output.
 */

const VOWELS = 'аеиоуыэюя';

/** Endings of one class grouped by last letter, longest first, so the first hit is the longest. */
type Endings = ReadonlyMap<string, readonly string[]>;

function byLength(xs: string[]): Endings {
  const map = new Map<string, string[]>();
  for (const x of [...xs].sort((a, b) => b.length - a.length)) {
    const last = x[x.length - 1] ?? '';
    map.set(last, [...(map.get(last) ?? []), x]);
  }
  return map;
}

const PERFECTIVE_GERUND_1 = byLength(['в', 'вши', 'вшись']);
const PERFECTIVE_GERUND_2 = byLength(['ив', 'ивши', 'ившись', 'ыв', 'ывши', 'ывшись']);
const REFLEXIVE = byLength(['ся', 'сь']);
const ADJECTIVE = byLength([
  'ее', 'ие', 'ые', 'ое', 'ими', 'ыми', 'ей', 'ий', 'ый', 'ой', 'ем', 'им', 'ым', 'ом', 'его',
  'ого', 'ему', 'ому', 'их', 'ых', 'ую', 'юю', 'ая', 'яя', 'ою', 'ею',
]);
const PARTICIPLE_1 = byLength(['ем', 'нн', 'вш', 'ющ', 'щ']);
const PARTICIPLE_2 = byLength(['ивш', 'ывш', 'ующ']);
const VERB_1 = byLength([
  'ла', 'на', 'ете', 'йте', 'ли', 'й', 'л', 'ем', 'н', 'ло', 'но', 'ет', 'ют', 'ны', 'ть', 'ешь', 'нно',
]);
const VERB_2 = byLength([
  'ила', 'ыла', 'ена', 'ейте', 'уйте', 'ите', 'или', 'ыли', 'ей', 'уй', 'ил', 'ыл', 'им', 'ым', 'ен',
  'ило', 'ыло', 'ено', 'ят', 'ует', 'уют', 'ит', 'ыт', 'ены', 'ить', 'ыть', 'ишь', 'ую', 'ю',
]);
const NOUN = byLength([
  'а', 'ев', 'ов', 'ие', 'ье', 'е', 'иями', 'ями', 'ами', 'еи', 'ии', 'и', 'ией', 'ей', 'ой', 'ий', 'й',
  'иям', 'ям', 'ием', 'ем', 'ам', 'ом', 'о', 'у', 'ах', 'иях', 'ях', 'ы', 'ь', 'ию', 'ью', 'ю', 'ия',
  'ья', 'я',
]);
const SUPERLATIVE = byLength(['ейше', 'ейш']);
const DERIVATIONAL = byLength(['ость', 'ост']);

const isVowel = (ch: string | undefined): boolean => ch !== undefined && VOWELS.includes(ch);

/** Start of RV (after the first vowel) and R2, as indexes into the word. */
function regions(word: string): { rv: number; r2: number } {
  let rv = word.length;
  for (let i = 0; i < word.length; i++) {
    if (isVowel(word[i])) {
      rv = i + 1;
      break;
    }
  }
  const r1 = afterVowelConsonant(word, 0);
  const r2 = afterVowelConsonant(word, r1);
  return { rv, r2 };
}

function afterVowelConsonant(word: string, from: number): number {
  for (let i = from + 1; i < word.length; i++) {
    if (!isVowel(word[i]) && isVowel(word[i - 1])) return i + 1;
  }
  return word.length;
}

/** Longest ending of `list` that lies inside the region starting at `start`. */
function findEnding(word: string, start: number, endings: Endings): string | undefined {
  for (const e of endings.get(word[word.length - 1] ?? '') ?? []) {
    if (word.length - e.length >= start && word.endsWith(e)) return e;
  }
  return undefined;
}

/** Like findEnding, for group-1 endings that must follow "а" or "я" (which stays). */
function findAfterAYa(word: string, start: number, endings: Endings): string | undefined {
  for (const e of endings.get(word[word.length - 1] ?? '') ?? []) {
    const at = word.length - e.length;
    if (at - 1 >= start && word.endsWith(e) && (word[at - 1] === 'а' || word[at - 1] === 'я')) return e;
  }
  return undefined;
}

function cut(word: string, ending: string | undefined): string {
  return ending === undefined ? word : word.slice(0, word.length - ending.length);
}

function removeAdjectival(word: string, rv: number): string | undefined {
  const adj = findEnding(word, rv, ADJECTIVE);
  if (adj === undefined) return undefined;
  const base = cut(word, adj);
  const p2 = findEnding(base, rv, PARTICIPLE_2);
  if (p2 !== undefined) return cut(base, p2);
  const p1 = findAfterAYa(base, rv, PARTICIPLE_1);
  return p1 !== undefined ? cut(base, p1) : base;
}

function step1(word: string, rv: number): string {
  const gerund = findAfterAYa(word, rv, PERFECTIVE_GERUND_1) ?? findEnding(word, rv, PERFECTIVE_GERUND_2);
  if (gerund !== undefined) return cut(word, gerund);
  const w = cut(word, findEnding(word, rv, REFLEXIVE));
  const adjectival = removeAdjectival(w, rv);
  if (adjectival !== undefined) return adjectival;
  const verb = findAfterAYa(w, rv, VERB_1) ?? findEnding(w, rv, VERB_2);
  if (verb !== undefined) return cut(w, verb);
  return cut(w, findEnding(w, rv, NOUN));
}

/** Shortest stem we accept; below it the word is returned as it was. */
const MIN_STEM = 3;

/** Stems one lowercase Russian word. Words of three letters or fewer are returned unchanged. */
export function stemRussian(word: string): string {
  if (word.length <= MIN_STEM) return word;
  const { rv, r2 } = regions(word);
  let w = step1(word, rv);
  if (w.endsWith('и') && w.length - 1 >= rv) w = w.slice(0, -1);
  const derivational = findEnding(w, Math.max(r2, rv), DERIVATIONAL);
  if (derivational !== undefined) w = cut(w, derivational);
  const sup = findEnding(w, rv, SUPERLATIVE);
  if (sup !== undefined) w = cut(w, sup);
  if (w.endsWith('нн') && w.length - 2 >= rv) w = w.slice(0, -1);
  else if (sup === undefined && w.endsWith('ь') && w.length - 1 >= rv) w = w.slice(0, -1);
  return w.length >= MIN_STEM ? w : word.slice(0, MIN_STEM);
}
