/**
 * A ConversationStore held in memory: for `komek ask` (one throw-away conversation per question,
 * so nothing is written to the database) and for tests of core.
 */
import { randomUUID } from 'node:crypto';
import type { Channel } from '../core/envelopes.ts';
import type { Conversation, ConversationStore, NewMessage, StoredMessage } from '../core/ports.ts';

export function createMemoryConversationStore(): ConversationStore & {
  all(): Conversation[];
  feedback: { conversationId: string; faqId: string; useful: boolean }[];
  ratings: { conversationId: string; score: number }[];
} {
  const seen = new Set<string>();
  const byChat = new Map<string, Conversation>();
  const byId = new Map<string, Conversation>();
  const msgs = new Map<string, StoredMessage[]>();
  const feedback: { conversationId: string; faqId: string; useful: boolean }[] = [];
  const ratings: { conversationId: string; score: number }[] = [];
  let seq = 0;

  function openRow(channel: Channel, chatId: string, userId: string): Conversation {
    const k = `${channel}\u0000${chatId}`;
    let conv = byChat.get(k);
    if (!conv) {
      const now = new Date();
      conv = { id: randomUUID(), channel, chatId, userId, owner: 'bot', lang: null, fallbackStreak: 0, operatorId: null, topic: null, createdAt: now, updatedAt: now };
      byChat.set(k, conv);
      byId.set(conv.id, conv);
    }
    return conv;
  }

  function push(m: NewMessage): StoredMessage {
    const stored: StoredMessage = { ...m, id: String(++seq), createdAt: m.createdAt ?? new Date() };
    const list = msgs.get(m.conversationId) ?? [];
    list.push(stored);
    msgs.set(m.conversationId, list);
    return stored;
  }

  return {
    feedback,
    ratings,
    all: () => [...byId.values()],
    async intake(m) {
      const k = `${m.channel}\u0000${m.chatId}\u0000${m.messageId}`;
      if (seen.has(k)) return undefined;
      seen.add(k);
      const conv = openRow(m.channel, m.chatId, m.userId);
      if (conv.owner === 'closed') Object.assign(conv, { owner: 'bot', fallbackStreak: 0, operatorId: null, topic: null });
      conv.lang = m.lang ?? conv.lang ?? m.fallbackLang;
      conv.updatedAt = new Date();
      push({ conversationId: conv.id, author: 'citizen', text: m.text, kind: m.kind, lang: conv.lang, action: null, faqId: null, score: null, platformMessageId: m.messageId, operatorId: null, traceId: m.traceId });
      return { ...conv };
    },
    async record(conversationId, patch, replies) {
      const conv = byId.get(conversationId);
      if (!conv) throw new Error(`conversation ${conversationId} not found`);
      if (Object.keys(patch).length > 0) Object.assign(conv, patch, { updatedAt: new Date() });
      for (const r of replies) push(r);
    },
    async open(channel, chatId, userId) {
      return { ...openRow(channel, chatId, userId) };
    },
    async update(id, patch) {
      const conv = byId.get(id);
      if (!conv) throw new Error(`conversation ${id} not found`);
      Object.assign(conv, patch, { updatedAt: new Date() });
      return { ...conv };
    },
    async addMessage(m) {
      return push(m);
    },
    async messages(conversationId, opts = {}) {
      return (msgs.get(conversationId) ?? []).slice(-(opts.limit ?? 200));
    },
    async recordFeedback(conversationId, faqId, useful) {
      feedback.push({ conversationId, faqId, useful });
    },
    async recordRating(conversationId, score) {
      ratings.push({ conversationId, score });
    },
    async countWaiting() {
      return [...byId.values()].filter((c) => c.owner === 'waiting').length;
    },
    async leaveQueue(id) {
      const conv = byId.get(id);
      if (conv?.owner !== 'waiting') return undefined;
      Object.assign(conv, { owner: 'bot', operatorId: null, fallbackStreak: 0, updatedAt: new Date() });
      return { ...conv };
    },
  };
}
