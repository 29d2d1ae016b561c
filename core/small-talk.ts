/**
 * Greetings and thanks are not questions: answering them from the knowledge base would be a
 * wrong answer, and falling back would be rude. Recognised before retrieval.
 */

import { foldText } from './fold.ts';

const GREETING = /^(\/start|сәлем|салем|сәлеметсіз бе|салеметсиз бе|сәлеметсіздер ме|салам|ассалаумағалейкум|ассалаумағалейкум|ассаламуалейкум|қайырлы (таң|күн|кеш)|кайырлы (тан|кун|кеш)|привет|здравствуйте|здравствуй|добрый (день|вечер|утро)|доброе утро|здрасте|hi|hello|hey|good (morning|afternoon|evening)|salem|salam|salemetsiz be|sälem|sälemetsiz be)( \S+)?$/;
const THANKS = /^(рахмет|рақмет|көп рахмет|коп рахмет|үлкен рахмет|спасибо|спс|благодарю|большое спасибо|спасибо большое|thanks|thank you|thx|rahmet|raqmet|ok спасибо)( \S+)?$/;


export type SmallTalk = 'greeting' | 'thanks';

/** Recognises a bare greeting or thanks (possibly with one extra word, like a name). */
export function detectSmallTalk(text: string): SmallTalk | undefined {
  // The slash stays: `/start` is Telegram's greeting.
  const folded = foldText(text, '/');
  if (GREETING.test(folded)) return 'greeting';
  if (THANKS.test(folded)) return 'thanks';
  return undefined;
}
