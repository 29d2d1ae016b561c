/**
 * A light Kazakh suffix stripper. Kazakh stacks suffixes (stem + plural + possessive + case,
 * or verb + tense + person), so it strips the longest known inflectional suffix, layer by layer
 * from the outside in, while at least three letters and a vowel remain: "құжаттарды" → "құжаттар" → "құжат",
 * "баласына" → "баласы" → "бала". Derivational suffixes (-лық, -шы, -сыз) are kept because they
 * change meaning (жұмыссыз "unemployed" must not become жұмыс "work"). Expects lowercase text.
 */

// Suffix layers from the outside of a word inwards. After a suffix of one layer is removed only
// inner layers may follow, so a verb stem is never read as a noun with a case ending again
// (тіркеу → тірке, not тір + ке).
const LAYERS: readonly string[][] = [
  // question particles written together with the word (керекпе); ма/ме are left out because
  // too many stems end in them (анықтама)
  ['ба', 'бе', 'па', 'пе'],
  // person and mood
  [
    'мын', 'мін', 'бын', 'бін', 'пын', 'пін', 'мыз', 'міз', 'быз', 'біз', 'пыз', 'піз', 'сың', 'сің',
    'амын', 'емін', 'ймын', 'ймін', 'амыз', 'еміз', 'ймыз', 'йміз',
    'дым', 'дім', 'тым', 'тім', 'сам', 'сем', 'сақ', 'сек', 'саң', 'сең',
    'шы', 'ші', 'ңызшы', 'ңізші', 'ыңызшы', 'іңізші', 'ғым', 'гім', 'қым', 'кім',
  ],
  // case: genitive, accusative, dative, locative, ablative, instrumental
  [
    'ның', 'нің', 'дың', 'дің', 'тың', 'тің', 'ны', 'ні', 'ды', 'ді', 'ты', 'ті', 'ын', 'ін', 'сын', 'сін',
    'ға', 'ге', 'қа', 'ке', 'на', 'не', 'да', 'де', 'та', 'те', 'нда', 'нде',
    'дан', 'ден', 'тан', 'тен', 'нан', 'нен', 'мен', 'бен', 'пен', 'менен', 'бенен', 'пенен',
    // the same typed on a Russian keyboard (балабакшага, баланын)
    'га', 'ка', 'нын', 'нін', 'дын', 'дін', 'тын', 'тін',
  ],
  // possessive
  [
    'ым', 'ім', 'ың', 'ің', 'ымыз', 'іміз', 'ыңыз', 'іңіз', 'ңыз', 'ңіз', 'сы', 'сі', 'ы', 'і', 'м', 'ң',
    'ыңдар', 'іңдер', 'ңдар', 'ңдер',
  ],
  // plural
  ['лар', 'лер', 'дар', 'дер', 'тар', 'тер'],
  // verb forms: verbal noun, converb, participles, present and conditional
  ['у', 'ып', 'іп', 'ған', 'ген', 'қан', 'кен', 'атын', 'етін', 'йтын', 'йтін', 'ады', 'еді', 'йды', 'йді', 'са', 'се'],
];

/** Every suffix with its layer, grouped by last letter, longest first within a group. */
const BY_LAST_LETTER = new Map<string, { suffix: string; layer: number }[]>();
LAYERS.forEach((list, layer) => {
  for (const suffix of list) {
    const last = suffix[suffix.length - 1] ?? '';
    const group = BY_LAST_LETTER.get(last) ?? [];
    group.push({ suffix, layer });
    BY_LAST_LETTER.set(last, group);
  }
});
for (const group of BY_LAST_LETTER.values()) group.sort((a, b) => b.suffix.length - a.suffix.length);

const VOWEL = /[аәеиоөұүыіэюяу]/;
const VOWEL_START = /^[аәеиоөұүыіэюяу]/;
const VOICELESS_END = /[кқп]$/;
const MIN_STEM = 3;

// Voiced consonants that return to voiceless when the suffix goes: куәлігі → куәліг → куәлік.
const DEVOICE: Record<string, string> = { г: 'к', ғ: 'қ', б: 'п' };

function stripOnce(probe: string, minLayer: number): { length: number; layer: number } | undefined {
  for (const { suffix, layer } of BY_LAST_LETTER.get(probe[probe.length - 1] ?? '') ?? []) {
    if (layer < minLayer || probe.length - suffix.length < MIN_STEM || !probe.endsWith(suffix)) continue;
    const stem = probe.slice(0, probe.length - suffix.length);
    // Before a vowel Kazakh voices final к/қ/п (куәлік → куәлігі), so "зейнетақы" cannot be
    // "зейнетақ" + ы: a vowel-initial suffix never follows к, қ or п.
    if (VOWEL_START.test(suffix) && VOICELESS_END.test(stem)) continue;
    // Possessive -м/-ң follow vowels only (балам → бала).
    if (suffix.length === 1 && !VOWEL_START.test(suffix) && !VOWEL.test(stem[stem.length - 1] ?? '')) continue;
    if (VOWEL.test(stem)) return { length: stem.length, layer };
  }
  return undefined;
}

/** Stems one lowercase Kazakh word; never returns fewer than three letters of a longer word. */
export function stemKazakh(word: string): string {
  if (word.length <= MIN_STEM) return word;
  // Kazakh typed on a Russian keyboard writes і as и ("тиркелемин"); suffixes are matched on a
  // copy with и read as і, and cut from the word as typed.
  let probe = word.replace(/и/g, 'і');
  let w = word;
  let minLayer = 0;
  for (;;) {
    const next = stripOnce(probe, minLayer);
    if (next === undefined) break;
    w = w.slice(0, next.length);
    probe = probe.slice(0, next.length);
    minLayer = next.layer + 1;
  }
  if (w === word) return w;
  const last = w[w.length - 1] ?? '';
  const devoiced = DEVOICE[last];
  return devoiced === undefined ? w : w.slice(0, -1) + devoiced;
}
