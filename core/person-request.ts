/**
 * Recognises a citizen asking for a person instead of the bot, in Kazakh, Russian and English,
 * Cyrillic or Latin script. Deliberately explicit patterns: a false "escalate" costs an operator's
 * time, a missed one costs the citizen's patience, and both are measured by `komek eval`.
 */

import { foldText } from './fold.ts';

const PATTERNS: RegExp[] = [
  // Russian
  /(^|\s)оператор(а|у|ом|ы|ов)?(\s|$)/u,
  /жив(ой|ым|ого|ому|ые|ых)\s+(человек|люд|оператор|сотрудник|специалист)/u,
  /(позов|соедин|переключ|свяж|дай|дайте|нужен|нужна|нужно|хочу|можно)\p{L}*\s+(\S+\s+){0,3}(с\s+)?(человек|специалист|консультант|менеджер|сотрудник)/u,
  /(поговорить|пообщаться|связаться|общаться)\s+(\S+\s+){0,2}с\s+(\S+\s+)?(человек|специалист|консультант|менеджер|сотрудник)/u,
  /не\s+(с\s+)?бот/u,
  // Kazakh (with and without Kazakh letters, as people type on Russian keyboards)
  /(^|\s)операторға|операторм[еа]н|операторды/u,
  /(^|\s)маман(мен|ға|га|ды|ды|ы|дар)(\s|$)/u,
  /(тірі|тiрi|тири)\s+адам/u,
  /адам(мен|га|ға)\s+(\S+\s+)?(сөйлес|сойлес|байланыс|жаз|қос|кос)/u,
  /адам\s+(керек|кажет|қажет|шақыр|шакыр)/u,
  /(қызметкер|кызметкер|кеңесші|кенесши)(мен|ге)\s+(\S+\s+)?(сөйлес|сойлес|байланыс|қос|кос)/u,
  // "маған маман керек", "консультант керек": a person named, then "needed"
  /(маман|консультант|оператор|кеңесші|кенесши)\p{L}*\s+(керек|кажет|қажет)/u,
  /адам\s+(сөйлес|сойлес)/u,
  /(бот|робот)\s+(емес|емеспін)/u,
  // Latin-script Kazakh and transliterated Russian
  /(^|\s)operator(ga|gha|men|ğa|ǵa|ge|a|u|om)?\p{L}*?(\s|$)/u,
  /(^|\s)maman(men|ga|gha|ğa|ǵa|qa)\p{L}*(\s|$)/u,
  /(^|\s)(maman|konsultant)\p{L}*\s+(kerek|qajet|kazhet|kajet)/u,
  /adam\s+(soile|söile|sóile)/u,
  /(bot|robot)\s+emes/u,
  /(tiri|tırı)\s+adam/u,
  /adam(men|ga|ğa)\s+(\S+\s+)?(soile|söile|sóile|baila|jaz|zhaz)/u,
  /zhivo[yi]\s+chelovek/u,
  // English
  /(^|\s)(human|agent|representative|operator)(s)?(\s+please)?(\s|$)/u,
  /(real|live|actual)\s+(person|human|people|agent)/u,
  /(talk|speak|chat)\s+(to|with)\s+(a|an|the|some)?\s*(person|human|someone|somebody|agent|operator|representative)/u,
];


/** True when the text asks for a human operator. */
export function detectPersonRequest(text: string): boolean {
  const folded = foldText(text);
  if (!folded || folded.length > 300) return false;
  return PATTERNS.some((p) => p.test(folded));
}
