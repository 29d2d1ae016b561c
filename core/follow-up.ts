/**
 * Follow-up questions: what a message that names no service of its own ("а сколько это стоит?",
 * "құжаттары қандай?", "and for a child?") asks about, given the conversation's topic.
 *
 * The decision is the retriever's, not a keyword list's: the pipeline retrieves the message alone
 * and the message joined with the topic's service words, and this module weighs the two
 * calibrated confidences together with a small "names no topic" signal (how many of the
 * message's words are words of the knowledge base that are not facet, question or anaphora
 * words). Facet cue words are one input of that signal and pick the facet inside the topic; they
 * never decide a switch on their own.
 */
import { foldText } from './fold.ts';
import { ANSWER_CUES, cues, isCueWord, plainFold, questionFacets, skeleton, type Facet } from './facets.ts';
import type { StoredKbEntry } from './kb.ts';
import type { Lang } from './lang.ts';
import type { Candidate, ConversationTopic } from './ports.ts';

export { plainFold, questionFacets, type Facet } from './facets.ts';

/** A topic older than this is not continued: the citizen has moved on. */
export const TOPIC_TTL_MS = 30 * 60 * 1000;

/** Words that ask or point but name nothing: questions, anaphora, particles (all three languages, both scripts). */
const NON_TOPICAL = new Set(
  (
    'а и но или ли же то это этот эта эти того этого его ее её их им ему ей нему него нее неё ней там туда тут здесь так как какой какая какие каким каких ' +
    'что чего чем сколько можно нужно надо ли мне меня мой моя мои у в во на за по для при от до из с со к ко о об про если тоже также ещё еще еще ну вот да нет ' +
    'быть есть будет был была было сделать получить оформить взять брать подать делать это всё все всего вообще тогда потом уже ' +
    'ал және мен бен пен да де та те ма ме ба бе па пе ше ба ол оны оның соны сол бұл осы мұны мұның онда оған соған маған менің мен біз ' +
    'қалай қандай неше не ме ма қанша болады бола бар жоқ керек керекпе алуға алу беру жасау ала бере ғой ше қайта тағы да ' +
    'al jane men ol ony onyn sony bul osy qalai qalay qandai qandai nese ne me ma qansha bolady bar joq kerek alu ala ghoi she ' +
    'and or but so the a an it its this that these those there then for to of in on at by with from about is are was be can could do does i me my we you your ' +
    'без через после перед между около кроме вместо дайын готов готова готово ready ' +
    'дается даётся давать делают делает делается делать сделают сделать оформляют оформляется дают дадут дает выдают выдается придут придет приходит ' +
    'жасалады жасайды береди береді бере алады алам аламын боладі болады бола ма ме done made ' +
    'какого какую каком какое каких какой-то кстати вообще тоже сейчас сейчас-то ' +
    'what how which also too again please ok okay one does do did take takes get need much many long it will would should there'
  )
    .split(' ')
    .map(plainFold),
);

/** Folded words of a text. */
export function words(text: string): string[] {
  return plainFold(text).split(' ').filter(Boolean);
}

/** A word's stem for overlap: Kazakh and Russian endings vary, their first letters do not. */
function stem(word: string): string {
  return word.length > 5 ? word.slice(0, 5) : word;
}

/** Adds a word to a set of stems: its prefixes of three to five letters, so «цона» finds «ЦОН». */
function addStems(set: Set<string>, word: string): void {
  for (let k = 3; k <= Math.min(5, word.length); k++) set.add(word.slice(0, k));
}

/** Whether a set built with {@link addStems} knows a word: its stem, or that stem less one letter of ending. */
function knows(set: ReadonlySet<string>, word: string): boolean {
  const s = stem(word);
  for (let k = s.length; k >= Math.max(3, s.length - 1); k--) if (set.has(s.slice(0, k))) return true;
  return false;
}


/**
 * The message's words that could name a service: not a question, facet or anaphora word, at
 * least three letters, and (when `vocabulary` is given) a word the knowledge base itself uses.
 */
export function topicalWords(text: string, vocabulary?: ReadonlySet<string>): string[] {
  return topicalPairs(text, vocabulary).map((p) => p.skeleton);
}

/** Topical words as written (folded) beside their skeleton: the retriever is asked in the citizen's own letters. */
function topicalPairs(text: string, vocabulary?: ReadonlySet<string>): { written: string; skeleton: string }[] {
  // Folding and the skeleton keep word boundaries, so the two lists align word for word.
  const written = foldText(text).split(' ').filter(Boolean);
  return words(text)
    .map((w, i) => ({ written: written[i] ?? w, skeleton: w }))
    .filter(({ skeleton: w }) => /\p{L}/u.test(w) && [...w].length >= 3 && !NON_TOPICAL.has(w) && !isCueWord(w) && (!vocabulary || knows(vocabulary, w)));
}

/** Stems of every question, phrasing and answer of the knowledge base: its vocabulary. */
export function kbVocabulary(entries: readonly StoredKbEntry[]): Set<string> {
  const vocab = new Set<string>();
  for (const e of entries) for (const text of [e.question, ...e.altQuestions, e.answer]) for (const w of words(text)) addStems(vocab, w);
  return vocab;
}

/**
 * The entries of one service: the topic's entry and the facet entries beside it. Entries of one
 * service share an id prefix with a worded last part ("gu101-dok", "gu101-srok"; not "inf-01",
 * "inf-02", which are numbered separate services) or most of their question's topical words.
 */
export function serviceFamily(faqId: string, entries: readonly StoredKbEntry[], lang: Lang): string[] {
  const ids = [...new Set(entries.map((e) => e.id))];
  const prefix = facetPrefix(faqId);
  const own = questionOf(faqId, entries, lang);
  const ownWords = own ? new Set(topicalWords(own).map(stem)) : new Set<string>();
  return ids.filter((id) => {
    if (id === faqId) return true;
    if (prefix && facetPrefix(id) === prefix) return true;
    const q = questionOf(id, entries, lang);
    if (!q || ownWords.size < 2) return false;
    const theirs = new Set(topicalWords(q).map(stem));
    const shared = [...theirs].filter((w) => ownWords.has(w)).length;
    return shared >= 2 && shared >= 0.6 * Math.min(ownWords.size, theirs.size);
  });
}

function facetPrefix(id: string): string | undefined {
  const m = /^(.+)[-_.]([^-_.]+)$/.exec(id);
  if (!m || /\d/.test(m[2]!)) return undefined;
  return m[1];
}

function questionOf(id: string, entries: readonly StoredKbEntry[], lang: Lang): string | undefined {
  const rows = entries.filter((e) => e.id === id);
  return (rows.find((e) => e.lang === lang) ?? rows.find((e) => e.lang === 'ru') ?? rows[0])?.question;
}

/**
 * The words that name the topic's service in `lang`: the topical words shared by most of the
 * family's questions (for a facet family, the service without its facet), or the topic entry's
 * own topical words. Joined to a follow-up, they let the retriever find the facet entry.
 */
export function serviceWords(faqId: string, family: readonly string[], entries: readonly StoredKbEntry[], lang: Lang): string {
  const own = topicalPairs(questionOf(faqId, entries, lang) ?? '');
  if (family.length < 2) return own.map((p) => p.written).join(' ');
  const counts = new Map<string, number>();
  for (const id of family) for (const s of new Set(topicalWords(questionOf(id, entries, lang) ?? '').map(stem))) counts.set(s, (counts.get(s) ?? 0) + 1);
  const shared = own.filter((p) => (counts.get(stem(p.skeleton)) ?? 0) >= Math.max(2, family.length / 2));
  return (shared.length > 0 ? shared : own).map((p) => p.written).join(' ');
}

/** Whether the topic can still be continued at `now`. */
export function liveTopic(topic: ConversationTopic | null, now: Date): ConversationTopic | null {
  if (!topic || topic.entries.length === 0) return null;
  return now.getTime() - Date.parse(topic.at) <= TOPIC_TTL_MS ? topic : null;
}

/** How a message relates to the conversation's topic. */
export type Resolution =
  /** The message states its own question: decide on its retrieval alone (a switch, or a first question). */
  | { kind: 'own' }
  /** A follow-up answered by a facet entry of the topic's service (or the topic entry itself). */
  | { kind: 'entry'; faqId: string; score: number }
  /** A follow-up answered by sentences of the topic entry's answer. */
  | { kind: 'sentences'; faqId: string; sentences: string[]; score: number }
  /** A follow-up on the topic whose detail the topic's answer does not state (as far as its cue words tell). */
  | { kind: 'missing'; faqId: string; facets: Facet[]; score: number };

/** What the resolver reads off a message before any retrieval. */
export interface MessageSignals {
  facets: Facet[];
  /** Topical words the knowledge base knows and the topic's own texts do not: a service of its own. */
  foreign: string[];
  /** Every topical word the topic's texts do not use, known to the knowledge base or not (Latin script, typos). */
  own: string[];
  /** The same words as the citizen wrote them (folded), to retrieve them on their own. */
  ownText: string;
  /** The "names no topic" signal: no foreign word, and short. */
  namesNoTopic: boolean;
}

/**
 * Stems of every text of the family's entries (questions, phrasings, answers). Folding the
 * answers is most of a follow-up's CPU, and they change only with the knowledge base, so the
 * pipeline keeps this beside the family instead of folding them again for every message.
 */
export function familyStems(family: readonly string[], entries: readonly StoredKbEntry[]): Set<string> {
  const inFamily = new Set(family);
  const stems = new Set<string>();
  for (const e of entries) if (inFamily.has(e.id)) for (const t of [e.question, ...e.altQuestions, e.answer]) for (const w of words(t)) addStems(stems, w);
  return stems;
}

/** Reads the signals of a message against the topic's family (its entries' texts). */
export function messageSignals(
  text: string,
  family: readonly string[],
  entries: readonly StoredKbEntry[],
  vocabulary: ReadonlySet<string>,
  topicStems: ReadonlySet<string> = familyStems(family, entries),
): MessageSignals {
  const pairs = topicalPairs(text);
  const topical = pairs.map((p) => p.skeleton);
  const foreign = topical.filter((w) => knows(vocabulary, w) && !knows(topicStems, w));
  const ownText = pairs.filter((p) => !knows(topicStems, p.skeleton)).map((p) => p.written).join(' ');
  // Words the knowledge base does not know at all: a Latin-script or misspelt question of its
  // own looks like this, a follow-up hardly ever has more than one.
  const own = topical.filter((w) => !knows(topicStems, w));
  const unknown = own.length - foreign.length;
  const n = words(text).length;
  // A long message with no word of its own is out of scope, not a follow-up.
  return { facets: questionFacets(text), foreign, own, ownText, namesNoTopic: foreign.length === 0 && (unknown <= 1 || (unknown <= 2 && n <= 5)) && n <= 12 };
}

export interface ResolveInput {
  text: string;
  lang: Lang;
  /** The topic's current entry (the one answered or chosen, or the first one offered). */
  topicId: string;
  family: readonly string[];
  signals: MessageSignals;
  /** Retrieval of the message alone and of the message joined with the service words, best first. */
  alone: readonly Candidate[];
  combined: readonly Candidate[];
  /** Retrieval of the message's own words alone (empty when it names no topic): the service they name. */
  foreignOnly: readonly Candidate[];
  entries: readonly StoredKbEntry[];
  /** The knowledge base's thresholds: what "confident" means for its calibrated scores. */
  thresholds: { answer: number; clarify: number; margin: number };
}

/**
 * Resolves a message against the topic. A message that names a service of its own outside the
 * topic is a switch: decided on its own retrieval, never glued to the topic.
 */
export function resolveFollowUp(input: ResolveInput): Resolution {
  const { lang, topicId, family, alone, combined, thresholds, signals } = input;
  const { facets } = signals;
  const inFamily = new Set(family);
  const confident = (list: readonly Candidate[]) => !!list[0] && list[0].score >= thresholds.answer && list[0].score - (list[1]?.score ?? 0) >= thresholds.margin;
  const top = alone[0];
  // The service's words joined to the message find the topic confidently, and more surely than the
  // message finds anything alone: the calibrated scores say it continues the topic.
  const combinedHolds = !!combined[0] && inFamily.has(combined[0].faqId) && combined[0].score >= thresholds.answer && combined[0].score >= (top?.score ?? 0) + thresholds.margin && !(confident(alone) && !inFamily.has(top!.faqId));
  // Joined with the service's words the message still finds another service first, and alone it
  // finds one plausibly: the retriever hears a question of its own, whatever the words look like
  // («у меня ещё вопрос по пособию при рождении ребенка какая сумма» after a passport's documents).
  if (top && !inFamily.has(top.faqId) && top.score >= thresholds.clarify && combined[0] && !inFamily.has(combined[0].faqId)) return { kind: 'own' };
  if (!signals.namesNoTopic) {
    // The words of its own name another service (on their own or in the whole message): a switch.
    // With words of its own a plausible entry elsewhere is enough; one stray word needs a confident one.
    const bar = signals.own.length >= 2 ? thresholds.clarify : thresholds.answer;
    const elsewhere = (list: readonly Candidate[]) => !!list[0] && !inFamily.has(list[0].faqId) && list[0].score >= bar;
    // Joined with the service's words any message leans to the topic, so the joined retrieval
    // never outvotes what the message's own words find.
    if (signals.foreign.length >= 2 || elsewhere(alone) || elsewhere(input.foreignOnly)) return { kind: 'own' };
  }
  // A whole sentence the retriever answers confidently elsewhere, even if every word of it occurs
  // in the topic's texts («право собственности на квартиру как регистрировать» after «прописка»).
  if (confident(alone) && !inFamily.has(top!.faqId) && words(input.text).length >= 5) return { kind: 'own' };
  // The message alone already lands confidently in the topic's family: that is the answer.
  if (confident(alone) && inFamily.has(top!.faqId) && (facets.length === 0 || facetMatches(top!.faqId, facets, input.entries, lang))) {
    return { kind: 'entry', faqId: top!.faqId, score: top!.score };
  }
  // Nothing of the topic's facets asked and a confident answer of its own elsewhere: its own question.
  // (Joined with the service's words almost anything finds the topic, so that alone never keeps a
  // message with words of its own on it.)
  if (facets.length === 0 && (!signals.namesNoTopic || (!combinedHolds && confident(alone) && !inFamily.has(top!.faqId)))) return { kind: 'own' };
  const score = (id: string) => Math.max(combined.find((c) => c.faqId === id)?.score ?? 0, alone.find((c) => c.faqId === id)?.score ?? 0);
  if (family.length > 1) {
    const agreement = new Map(family.map((id) => [id, facets.length > 0 ? facetAgreement(id, facets, input.entries) : 0]));
    const ranked = [...family].sort((a, b) => agreement.get(b)! - agreement.get(a)! || score(b) - score(a));
    // The facet entry of the service: the one whose question asks the same facet most surely, best score first.
    const facetEntry = facets.length > 0 && agreement.get(ranked[0]!)! > 0 ? ranked[0] : undefined;
    if (facetEntry) return { kind: 'entry', faqId: facetEntry, score: score(facetEntry) };
    // No facet word, but the service's entries hear it confidently ("а отец может получить?").
    if (facets.length === 0 && confident(combined) && inFamily.has(combined[0]!.faqId)) return { kind: 'entry', faqId: combined[0]!.faqId, score: combined[0]!.score };
    // No facet word: the sibling the joined retrieval puts first among the service's entries, when confident.
    const sibling = facets.length === 0 ? ranked.find((id) => id !== topicId) : undefined;
    if (sibling && score(sibling) >= thresholds.answer && score(sibling) > score(topicId)) return { kind: 'entry', faqId: sibling, score: score(sibling) };
  }
  // The facet inside the topic entry's own answer (a sibling's answer would be another service's).
  const entry = entryIn(topicId, input.entries, lang);
  const sentences = entry ? answeringSentences(entry.answer, input.text, facets) : [];
  if (sentences.length > 0) return { kind: 'sentences', faqId: topicId, sentences, score: score(topicId) };
  return { kind: 'missing', faqId: topicId, facets, score: score(topicId) };
}

function entryIn(id: string, entries: readonly StoredKbEntry[], lang: Lang): StoredKbEntry | undefined {
  const rows = entries.filter((e) => e.id === id && e.enabled);
  return rows.find((e) => e.lang === lang) ?? rows.find((e) => e.lang === 'ru') ?? rows[0];
}

/**
 * How surely an entry's question asks one of `facets`: the share of its language versions whose
 * question does (a cue word can mislead in one language — «төлем» is the benefit paid, not a fee —
 * rarely in all of them).
 */
function facetAgreement(id: string, facets: readonly Facet[], entries: readonly StoredKbEntry[]): number {
  const rows = entries.filter((e) => e.id === id);
  if (rows.length === 0) return 0;
  const share = (asked: readonly Facet[], f: Facet) => rows.filter((e) => questionFacets(e.question).includes(f)).length / rows.length;
  let total = 0;
  for (const f of facets) {
    // "For a child" narrows the question, "how much" is the question: the audience weighs less.
    const weight = f === 'child' || f === 'pensioner' ? 0.3 : 1;
    const exact = share(facets, f);
    // "Can I do it online?" is answered where the service says where to apply.
    const near = Math.max(0, ...(NEAR_FACETS[f] ?? []).map((n) => share(facets, n)));
    total += weight * (exact > 0 ? exact : 0.5 * near);
  }
  return total;
}

/** A facet whose entry, when a service has none of its own, is the next best place to answer it. */
const NEAR_FACETS: Partial<Record<Facet, Facet[]>> = { online: ['where'], where: ['online'] };

function facetMatches(id: string, facets: readonly Facet[], entries: readonly StoredKbEntry[], _lang: Lang): boolean {
  return facetAgreement(id, facets, entries) > 0;
}

/** The sentences of an answer, with list items and lines as sentences of their own. */
export function sentencesOf(answer: string): string[] {
  return answer
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}«"(])|\n+|;\s+/u)
    .map((s) => s.trim())
    .filter((s) => /\p{L}/u.test(s));
}

/**
 * The answer's own sentences that answer the follow-up, in the answer's order (at most three):
 * those that state the asked facets, or, when no facet is asked, those sharing the message's
 * topical words. Nothing when the answer does not hold it — the reply must never invent.
 */
export function answeringSentences(answer: string, question: string, facets: readonly Facet[]): string[] {
  const all = sentencesOf(answer);
  const asked = topicalWords(question);
  const scored = all.map((s, i) => {
    const folded = ` ${plainFold(s)}`;
    const facetHits = facets.filter((f) => ANSWER_CUES[f].test(folded)).length;
    const stems = new Set<string>();
    for (const w of words(s)) addStems(stems, w);
    const overlap = asked.filter((w) => knows(stems, w)).length;
    return { i, s, facetHits, overlap };
  });
  const hits = scored.filter((x) => (facets.length > 0 ? x.facetHits > 0 : x.overlap > 0));
  if (hits.length === 0) return [];
  const best = Math.max(...hits.map((x) => x.facetHits * 2 + x.overlap));
  return hits
    .filter((x) => x.facetHits * 2 + x.overlap >= best - 1)
    .slice(0, 3)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.s);
}

const ORDINALS: [RegExp, number][] = [
  [/^(1|1й|1 й|1ый|1 ый|1ші|1 ші|1шы|первый|первая|первое|первую|первого|первым|бірінші|біріншісі|birinshi|birinshisi|first|the first|the first one|first one|one|no 1)$/u, 0],
  [/^(2|2й|2 й|2ой|2 ой|2ші|2 ші|2шы|второй|вторая|второе|вторую|второго|вторым|екінші|екіншісі|ekinshi|ekinshisi|second|the second|the second one|second one|two|no 2)$/u, 1],
  [/^(3|3й|3 й|3ий|3 ий|3ші|3 ші|3шы|третий|третья|третье|третью|третьего|үшінші|үшіншісі|ushinshi|ushinshisi|third|the third|the third one|third one|three|no 3)$/u, 2],
  [/^(последний|последняя|последнее|последнюю|соңғы|соңғысы|songy|songysy|last|the last|the last one|last one)$/u, -1],
];

const PLAIN_ORDINALS: [RegExp, number][] = ORDINALS.map(([re, i]) => [cues(re.source), i]);

/** Filler around an ordinal: «давайте второй», «екіншісін», "the second one please". */
const ORDINAL_FILLER = /(^| )(давайте|давай|мне|нужен|нужна|нужно|вариант|пункт|номер|тот|та|то|который|маған|керек|нұсқа|нөмір|i want|i need|option|number|please|пожалуйста|өтінемін|ok|ну|ал|а|the|one)(?= |$)/gu;

const PLAIN_FILLER = new RegExp(skeleton(ORDINAL_FILLER.source), 'gu');

/**
 * The offered choice a reply picks by its number or place («2», «второй», «екіншісі», «2-ші»,
 * "the second one"), or undefined when it is not such a reply.
 */
export function pickOrdinal(text: string, offered: number): number | undefined {
  const folded = plainFold(text).replace(/(\d) (shi|oi|i|ii)(?= |$)/gu, '$1$2');
  const candidates = [folded, folded.replace(PLAIN_FILLER, ' ').replace(/\s+/g, ' ').trim()];
  // Kazakh accusative and possessive endings on the ordinal: екіншісін, екіншісіне.
  candidates.push(candidates[1]!.replace(/(si)(n|ne|ni)$/u, '$1'), candidates[1]!.replace(/(ni|n)$/u, ''));
  for (const c of candidates) {
    for (const [re, index] of PLAIN_ORDINALS) {
      if (!re.test(c)) continue;
      const i = index < 0 ? offered - 1 : index;
      return i < offered ? i : undefined;
    }
  }
  return undefined;
}

/**
 * The offered choice a short reply names by the words of its question («про загранпаспорт»),
 * when exactly one choice shares the most topical words with it.
 */
export function pickByWords(text: string, choices: readonly { faqId: string; question: string }[]): string | undefined {
  const asked = new Set(topicalWords(text).map(stem));
  if (asked.size === 0 || words(text).length > 6) return undefined;
  const overlaps = choices.map((c) => ({ id: c.faqId, n: new Set(topicalWords(c.question).map(stem).filter((w) => asked.has(w))).size }));
  const best = Math.max(...overlaps.map((o) => o.n));
  const winners = overlaps.filter((o) => o.n === best);
  return best > 0 && winners.length === 1 ? winners[0]!.id : undefined;
}
