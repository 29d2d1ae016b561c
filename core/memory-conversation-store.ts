/**
 * A ConversationStore held in memory: for `komek ask` (one throw-away conversation per question,
 * so nothing is written to the database) and for tests of core.
 */
import { randomUUID } from 'node:crypto';
import type { Conversation, ConversationStore, StoredMessage } from './ports.ts';

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
  return {
    feedback,
    ratings,
    all: () => [...byId.values()],
    async markSeen(channel, chatId, messageId) {
      const k = `${channel}\u0000${chatId}\u0000${messageId}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    },
    async open(channel, chatId, userId) {
      const k = `${channel}\u0000${chatId}`;
      let conv = byChat.get(k);
      if (!conv) {
        const now = new Date();
        conv = { id: randomUUID(), channel, chatId, userId, owner: 'bot', lang: null, fallbackStreak: 0, operatorId: null, createdAt: now, updatedAt: now };
        byChat.set(k, conv);
        byId.set(conv.id, conv);
      }
      return { ...conv };
    },
    async update(id, patch) {
      const conv = byId.get(id);
      if (!conv) throw new Error(`conversation ${id} not found`);
      Object.assign(conv, patch, { updatedAt: new Date() });
      return { ...conv };
    },
    async addMessage(m) {
      const stored: StoredMessage = { ...m, id: String(++seq), createdAt: m.createdAt ?? new Date() };
      const list = msgs.get(m.conversationId) ?? [];
      list.push(stored);
      msgs.set(m.conversationId, list);
      return stored;
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
  };
}
