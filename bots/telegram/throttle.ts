/**
 * Outbound pacing within Telegram's limits: about 30 messages a second overall and one a second
 * per chat (groups: one every three seconds, Telegram allows 20 a minute there). Each send
 * reserves the earliest slot free on both counts and waits for it, so bursts are smoothed rather
 * than refused. (@grammyjs/transformer-throttler is not a dependency; this is the part of it
 * Kömek needs.) Per process: several bot processes share Telegram's budget, so keep their count
 * small or lower `perSecond`.
 */

export interface ThrottleOptions {
  perSecond?: number;
  perChatMs?: number;
  groupChatMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Throttle {
  /** Resolves when a message to `chatId` may be sent. */
  wait(chatId: string): Promise<void>;
}

export function createThrottle(opts: ThrottleOptions = {}): Throttle {
  const spacing = 1000 / (opts.perSecond ?? 30);
  const perChat = opts.perChatMs ?? 1000;
  const perGroup = opts.groupChatMs ?? 3000;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let nextGlobal = 0;
  const nextChat = new Map<string, number>();

  function forget(at: number): void {
    // Chats whose slot is in the past no longer constrain anything.
    if (nextChat.size < 10_000) return;
    for (const [id, t] of nextChat) if (t <= at) nextChat.delete(id);
  }

  return {
    async wait(chatId) {
      const at = now();
      const slot = Math.max(at, nextGlobal, nextChat.get(chatId) ?? 0);
      nextGlobal = slot + spacing;
      // Group and supergroup ids are negative in the Bot API.
      nextChat.set(chatId, slot + (chatId.startsWith('-') ? perGroup : perChat));
      forget(at);
      if (slot > at) await sleep(slot - at);
    },
  };
}
