/**
 * Facets: what a question asks about a service — its cost, documents, where, how long, who is
 * eligible, whether online — read from cue words in Kazakh (both scripts), Russian and English.
 * Follow-ups use them to pick the facet inside a topic (follow-up.ts); retrieval uses them as
 * evidence that a question and an entry ask the same thing (an entry's facets are those its own
 * questions ask), which tells facet entries of one service apart.
 */
import { foldText } from './fold.ts';
/** What a follow-up asks about the topic's service. */
export type Facet = 'cost' | 'documents' | 'where' | 'time' | 'who' | 'online' | 'child' | 'pensioner';

/**
 * One script-neutral skeleton for Kazakh (both scripts), Russian and English words, so a cue or a
 * knowledge-base word matches «құжаттары», «кужаттары», "qujattary" and "kuzhattary" alike:
 * citizens often type Kazakh without its letters or in Latin script, and core sees the message
 * before inference's normalisation. Cyrillic is written in Latin letters and the spellings that
 * vary collapse (zh/j, kh/h/x, q/k, y/ı/i, w/u, c/ts/s).
 */
const SKELETON: Record<string, string> = {
  а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ж: 'j', з: 'z', и: 'i', й: 'i', і: 'i', к: 'k', қ: 'k', л: 'l', м: 'm',
  н: 'n', ң: 'n', о: 'o', ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'u', ү: 'u', ф: 'f', х: 'h', һ: 'h', ц: 's', ч: 'ch',
  ш: 'sh', щ: 'sh', ъ: '', ы: 'i', ь: '', э: 'e', ю: 'iu', я: 'ia',
  ä: 'a', ö: 'o', ü: 'u', ū: 'u', ğ: 'g', ş: 'sh', ç: 'ch', ñ: 'n', ı: 'i', é: 'e', ý: 'i', q: 'k', x: 'h', y: 'i', w: 'u', c: 's',
};
const SKELETON_RE = new RegExp(`[${Object.keys(SKELETON).join('')}]|zh|kh|ts`, 'gu');
const DIGRAPHS: Record<string, string> = { zh: 'j', kh: 'h', ts: 's' };

export function skeleton(text: string): string {
  return text.replace(SKELETON_RE, (c) => DIGRAPHS[c] ?? SKELETON[c]!);
}

/** Folded text as a script-neutral skeleton (see {@link SKELETON}), spoken spellings made written. */
export function plainFold(text: string): string {
  return skeleton(foldText(text).replace(COLLOQUIAL, (_, before: string, word: string) => before + COLLOQUIAL_WORDS[word]!));
}

/** Spoken spellings citizens type («скока стоит»), made the written word. */
const COLLOQUIAL_WORDS: Record<string, string> = { скок: 'сколько', скока: 'сколько', скоко: 'сколько', скоька: 'сколько', чо: 'что', че: 'что', щас: 'сейчас', доки: 'документы' };
const COLLOQUIAL = new RegExp(`(^| )(${Object.keys(COLLOQUIAL_WORDS).join('|')})(?= |$)`, 'gu');

export function cues(source: string): RegExp {
  return new RegExp(skeleton(source), 'u');
}

/** Facet cues in a question (matched at a word start on {@link plainFold}ed text). */
const QUESTION_CUES: Record<Facet, RegExp> = {
  cost: cues('(^| )(стои|стоим|цен|платн|плати|оплат|бесплат|пошлин|сбор|размер|сумм|плат|сколько денег|денег дают|сколько плат|сколько дают|за деньги|қанша тұр|қанша төле|қанша ақша|қанша бер|ақы|ақыл|тегін|баж|төлеу|мөлшер|сома|qansha tur|qansha aqsha|aqy|tegin|baj|toleu|cost|price|fee|free|pay|charge|how much|amount)'),
  documents: cues('(^| )(документ|доки|справк|бумаг|что нужно|что взять|что надо|что с собой|құжат|не керек|қандай қағаз|қағаз|qujat|quzhat|kuzhat|ne kerek|document|docs|doc|papers|paperwork|what do i need|what to bring)'),
  where: cues('(^| )(где|куда|в каком месте|адрес|қайда|қай жер|қайдан|qaida|qai jer|where|which office|address|pick it up)'),
  time: cues('(^| )(времен|надолго|на сколько|срок|месяц|недел|до какого|какого числа|числа|число|дедлайн|во сколько|қашанға дейін|қай күнге|deadline|until when|how many months|сколько (дн|времен|ждат|длит|делает|делают|рассматр)|скок[оа]? (дн|времен|ждат|делают|делает)|через скок|через сколько|по времени|как долго|как быстро|когда|долго|быстро|ждать|қашан|қанша (күн|уақыт|ай|апта)|неше (күн|ай|апта)|мерзім|ұзақ|күт|уақыт|qashan|qansha (kun|uaqyt|ai)|merzim|how long|when|how fast|how soon|how many days|days|wait)'),
  who: cues('(^| )(кто|кому|кого|с какого возраста|возраст|со скольки|жастан|жаста|жасқа|неше жас|age|how old|имею ли|имеет ли|право|положен|может|могут|могу ли|кім|кімге|құқы|kim|kimge|who|eligib|entitled|can i get|can he|can she|can my)'),
  online: cues('(^| )(без цон|без посещ|не ходить|онлайн|интернет|через сайт|через egov|egov|электронн|дистанц|не выходя|телефон арқылы|через телефон|желі|интернет арқылы|onlain|online|internet|website|remotely|e gov)'),
  child: cues('(^| )(ребен|ребён|дет|сын|доч|малыш|несовершеннолет|школьник|бала|ұлым|ұлыма|қызым|кәмелет|bala|child|kid|son|daughter|minor|baby)'),
  pensioner: cues('(^| )(пенсионер|пожил|зейнеткер|қарт|zeinetker|pensioner|retire|elderly|senior)'),
};

/** The same facets as the sentences of an answer state them. */
export const ANSWER_CUES: Record<Facet, RegExp> = {
  cost: cues('(тенге|тг( |$)|мрп|бесплат|пошлин|стоимост|оплат|сбор|платн|теңге|ақысыз|тегін|баж|ақы|төлем|free|tenge|fee|charge|cost|paid)'),
  documents: cues('(документ|удостоверен|паспорт|справк|заявлен|свидетельств|фото|копи|құжат|куәлі|анықтама|өтініш|төлқұжат|document|certificate|application|passport|id card|photo)'),
  where: cues('(цон|хқко|egov|e gov|портал|акимат|әкімдік|отдел|управлен|бөлім|kaspi|через|арқылы|адрес|офис|office|portal|centre|center|online|онлайн)'),
  time: cues('((^| )(дн(я|ей)|день|суток|недел|месяц|час(а|ов)?|минут|жұмыс күн|күн ішінде|күнде|сағат|апта|ай ішінде|days?|weeks?|months?|hours?|minutes?|быстро|сразу|мгновенно|занимает|бірден|immediately|instantly|takes)|\\d+ (рабоч|календар|дн|день|дней|мин|час|месяц|недел|жұмыс|күн|ай|апта|сағат|минут|day|hour|minute|week|month|year)|срок|мерзім|в течение|ішінде|within|days|until|не позднее|кешіктірмей)'),
  who: cues('(граждан|имеют право|имеет право|может|могут|вправе|положен|азамат|құқылы|құқығы|eligible|entitled|citizens|can apply|may apply)'),
  online: cues('(egov|e gov|онлайн|портал|kaspi|интернет|электронн|мобильн|online|portal|app|internet|электронды)'),
  child: cues('(ребен|ребён|дет|несовершеннолет|до \\d+ лет|родител|бала|кәмелет|ата ана|child|minor|under \\d+|parent)'),
  pensioner: cues('(пенсион|пожил|зейнет|қарт|pension|retire|elderly)'),
};


/** The facets a question asks about. */
export function questionFacets(text: string): Facet[] {
  const folded = ` ${plainFold(text)}`;
  return (Object.keys(QUESTION_CUES) as Facet[]).filter((f) => QUESTION_CUES[f].test(folded));
}

export function isCueWord(word: string): boolean {
  const w = ` ${word}`;
  return Object.values(QUESTION_CUES).some((re) => re.test(w));
}

/** Facets of what a service is asked, not of who asks: "for a child" narrows any facet. */
const AUDIENCE: ReadonlySet<Facet> = new Set(['child', 'pensioner']);

/** The facets an entry answers: those its own questions (main and alternative) ask, audience aside. */
export function entryFacets(questions: readonly string[]): Facet[] {
  const out = new Set<Facet>();
  for (const q of questions) for (const f of questionFacets(q)) if (!AUDIENCE.has(f)) out.add(f);
  return [...out];
}

/** The facets a question asks of a service, audience aside (see {@link entryFacets}). */
export function askedFacets(text: string): Facet[] {
  return questionFacets(text).filter((f) => !AUDIENCE.has(f));
}
