/**
 * Renders an outbound envelope as WhatsApp text: buttons become a numbered list the citizen
 * answers by number (see numbered-replies.ts).
 */
import { encodeButton, type OutboundMessage } from '../../core/envelopes.ts';
import type { Lang } from '../../core/lang.ts';
import type { OfferedChoice } from './numbered-replies.ts';

/** Marks a person's message in messengers (gender-neutral: operators are women and men). */
export const OPERATOR_MARK = '🧑‍💼';

const REPLY_WITH_NUMBER: Record<Lang, string> = {
  kk: 'Жауап ретінде нөмірді жіберіңіз.',
  ru: 'Ответьте цифрой.',
  en: 'Reply with a number.',
};

export interface RenderedOutbound {
  text: string;
  /** The choices in list order: number n is `choices[n - 1]`. */
  choices: OfferedChoice[];
}

/** The text to send and the choices it offers. */
export function renderOutbound(message: Pick<OutboundMessage, 'text' | 'buttons' | 'lang' | 'from'>): RenderedOutbound {
  const choices = (message.buttons ?? []).map((b) => ({ label: b.label, callbackData: encodeButton(b.action) }));
  const text = signed(message);
  if (choices.length === 0) return { text, choices };
  const list = choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
  // Without a language the hint goes out in all three: a wrong-language hint is worse than a long one.
  const hint = message.lang ? REPLY_WITH_NUMBER[message.lang] : `${REPLY_WITH_NUMBER.kk} / ${REPLY_WITH_NUMBER.ru} / ${REPLY_WITH_NUMBER.en}`;
  const body = text.trim();
  return { text: `${body ? `${body}\n\n` : ''}${list}\n\n_${hint}_`, choices };
}

/** A person's reply carries their name in bold, so the citizen can tell it from the bot's. */
function signed(message: Pick<OutboundMessage, 'text' | 'from'>): string {
  return message.from ? `${OPERATOR_MARK} *${message.from.name}:* ${message.text}` : message.text;
}
