/**
 * WhatsApp (outside the paid Business API) has no buttons, so choices are sent as a numbered list
 * and the citizen answers with a number. This remembers, per chat, the choices of the last reply
 * that offered any, and turns "2" (or "оператор") back into that button's callback data.
 */
import type { Clock } from '../../core/ports.ts';

export interface OfferedChoice {
  label: string;
  callbackData: string;
}

export interface OfferedButtons {
  /** Records the choices of the newest reply to `chatId`; an empty list forgets the old ones. */
  offer(chatId: string, choices: OfferedChoice[]): void;
  /** The choice a citizen's text picks, if it is a number (or an operator word) in range. */
  resolve(chatId: string, text: string): OfferedChoice | undefined;
  /** Chats remembered now (for tests and metrics). */
  size(): number;
}

const OPERATOR_DATA = 'op';
// Words a citizen types instead of the number of the operator choice, in kk/ru/en and the
// Latin-script Kazakh people actually write.
const OPERATOR_WORDS = new Set(['оператор', 'операторға', 'операторга', 'оператору', 'operator', 'operatorga', 'operatorğa', 'operatorgha']);

/**
 * A bounded in-memory map (oldest chat evicted first) with a time to live: a number typed an hour
 * later is a new question, not an answer to an old list. Memory is per process; a citizen whose
 * reply lands on another process gets their "2" read as text, which the pipeline handles.
 */
export function createOfferedButtons(opts: { ttlMs?: number; maxChats?: number; clock: Clock }): OfferedButtons {
  const ttlMs = opts.ttlMs ?? 30 * 60_000;
  const maxChats = opts.maxChats ?? 10_000;
  const byChat = new Map<string, { choices: OfferedChoice[]; expiresAt: number }>();

  return {
    offer(chatId, choices) {
      byChat.delete(chatId);
      if (choices.length === 0) return;
      byChat.set(chatId, { choices, expiresAt: opts.clock.now().getTime() + ttlMs });
      while (byChat.size > maxChats) {
        const oldest = byChat.keys().next().value;
        if (oldest === undefined) break;
        byChat.delete(oldest);
      }
    },
    resolve(chatId, text) {
      const entry = byChat.get(chatId);
      if (!entry) return undefined;
      if (entry.expiresAt <= opts.clock.now().getTime()) {
        byChat.delete(chatId);
        return undefined;
      }
      const word = normalise(text);
      if (OPERATOR_WORDS.has(word)) return entry.choices.find((c) => c.callbackData === OPERATOR_DATA);
      if (!/^\d{1,2}$/.test(word)) return undefined;
      return entry.choices[Number(word) - 1];
    },
    size: () => byChat.size,
  };
}

function normalise(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\uFE0F\u20E3]/g, '') // keycap emoji: "2️⃣" is "2"
    .trim()
    .toLowerCase()
    .replace(/[\s!.,?)]+$/, ''); // "2.", "2)", "оператор!" 
}
