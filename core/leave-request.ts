/**
 * Recognises a waiting citizen saying they no longer need a person ("бот помог", "уже не надо",
 * "ботпен жалғастырамын", "маман керек емес", "never mind"), in Kazakh, Russian and English,
 * Cyrillic or Latin script. Only short messages count: in a long one these words are more likely
 * part of a new question than a wish to leave the queue, and leaving by mistake costs the
 * citizen their place, so a miss (they get an acknowledgement and the button) is the safer error.
 */

import { foldText } from './fold.ts';

/** Longer messages are questions, not a "never mind". */
const MAX_WORDS = 8;

const PATTERNS: RegExp[] = [
  // Russian
  /бот\s+(уже\s+)?(мне\s+)?(помог|ответил)/u,
  /(уже|больше|пока)\s+не\s+(надо|нужно|нужен|нужна|требуется)/u,
  /(оператор|человек|специалист|сотрудник)\p{L}*\s+(уже\s+|больше\s+|мне\s+)*не\s+(нужен|нужна|нужно|надо)/u,
  /не\s+(нужен|нужно|надо)\s+(мне\s+)?(уже\s+)?(оператор|человек|специалист)/u,
  /(^|\s)(отмена|отменить|отмените|передумал|передумала)(\s|$)/u,
  /(вопрос|все|всё)\s+(уже\s+)?(решен|решился|решила|решил|понятно)/u,
  /(сам|сама)\s+(разобрал|нашел|нашла|справил)/u,
  /(^|\s)(разобрался|разобралась)(\s|$)/u,
  // Kazakh (with and without Kazakh letters, as people type on Russian keyboards)
  /бот(пен|пенен)\s+(\S+\s+)?(жалғастыр|жалгастыр|сөйлес|сойлес)/u,
  /бот\s+(\S+\s+)?(көмектесті|комектести|жауап берді|жауап берди)/u,
  /(маман|оператор|адам)\p{L}*\s+(енді\s+|енди\s+|қазір\s+|казир\s+)?(керек|қажет|кажет)\s+(емес|жоқ|жок)/u,
  /(енді|енди|қазір|казир)\s+(керек|қажет|кажет)\s+(емес|жоқ|жок)/u,
  /(^|\s)(керек|қажет|кажет)\s+(емес|жоқ|жок)(\s|$)/u,
  /кезектен\s+(шығ|шык|шыг)/u,
  // Latin-script Kazakh
  /(maman|operator|adam)\p{L}*\s+(endi\s+)?(kerek|qajet|kazhet)\s+(emes|joq|zhoq)/u,
  /(^|\s)(kerek|qajet)\s+(emes|joq)(\s|$)/u,
  /bot(pen|penen)\s+(\S+\s+)?(jalgastyr|jalğastyr|zhalgastyr)/u,
  // English
  /(^|\s)never\s*mind(\s|$)/u,
  /(^|\s)nevermind(\s|$)/u,
  /(the\s+)?bot\s+(has\s+)?(already\s+)?(helped|answered)/u,
  /(don\s?t|do\s+not|no\s+longer)\s+need\s+(an?\s+|the\s+)?(operator|person|human|agent|help)/u,
  /(no\s+need|not\s+needed)(\s+(for|of))?(\s+(an?|the))?(\s+(operator|person|human|agent))?(\s|$)/u,
  /(^|\s)(cancel|sorted|solved|resolved)(\s|$)/u,
];

/** True when a short message says the citizen no longer needs an operator. */
export function detectLeaveRequest(text: string): boolean {
  const folded = foldText(text);
  if (!folded || folded.split(' ').length > MAX_WORDS) return false;
  return PATTERNS.some((p) => p.test(folded));
}
