/**
 * Conversations, their messages, dedupe marks, feedback and ratings in Postgres.
 */
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Channel } from '../core/envelopes.ts';
import type { Lang } from '../core/lang.ts';
import type { Conversation, ConversationStore, MessageAuthor, Owner, StoredMessage } from '../core/ports.ts';
import type { Db } from './client.ts';
import { conversations, feedback, messages, ratings, seenMessages } from './schema.ts';

/** Creates the Postgres-backed {@link ConversationStore}. */
export function createConversationStore(db: Db): ConversationStore & {
  get(id: string): Promise<Conversation | undefined>;
} {
  return {
    unitOfWork: (fn) => db.transaction((tx) => fn(createConversationStore(tx as unknown as Db))),

    async markSeen(channel, chatId, messageId) {
      const rows = await db
        .insert(seenMessages)
        .values({ channel, chatId, messageId })
        .onConflictDoNothing()
        .returning({ messageId: seenMessages.messageId });
      return rows.length === 1;
    },

    async open(channel, chatId, userId) {
      // Insert-or-fetch in one statement, so two workers racing on a new chat get the same row.
      const rows = await db
        .insert(conversations)
        .values({ channel, chatId, userId })
        .onConflictDoUpdate({ target: [conversations.channel, conversations.chatId], set: { updatedAt: sql`now()` } })
        .returning();
      return toConversation(rows[0]!);
    },

    async get(id) {
      const rows = await db.select().from(conversations).where(eq(conversations.id, id));
      return rows[0] ? toConversation(rows[0]) : undefined;
    },

    async update(id, patch) {
      const set: Partial<typeof conversations.$inferInsert> = { ...patch, updatedAt: new Date() };
      if (patch.owner === 'waiting') set.escalatedAt = new Date();
      if (patch.owner === 'bot' || patch.owner === 'closed') set.escalatedAt = null;
      const rows = await db.update(conversations).set(set).where(eq(conversations.id, id)).returning();
      if (!rows[0]) throw new Error(`conversation ${id} not found`);
      return toConversation(rows[0]);
    },

    async addMessage(m) {
      const rows = await db
        .insert(messages)
        .values({ ...m, createdAt: m.createdAt ?? new Date() })
        .returning();
      return toMessage(rows[0]!);
    },

    async messages(conversationId, opts = {}) {
      const rows = await db
        .select()
        .from(messages)
        .where(eq(messages.conversationId, conversationId))
        .orderBy(desc(messages.id))
        .limit(opts.limit ?? 200);
      return rows.reverse().map(toMessage);
    },

    async recordFeedback(conversationId, faqId, useful) {
      await db.insert(feedback).values({ conversationId, faqId, useful });
    },

    async recordRating(conversationId, score) {
      await db.insert(ratings).values({ conversationId, score });
    },

    async countWaiting() {
      const rows = await db.select({ n: count() }).from(conversations).where(and(eq(conversations.owner, 'waiting')));
      return Number(rows[0]?.n ?? 0);
    },
  };
}

/** Maps a conversations row to core's type; shared with the operator repositories. */
export function toConversation(row: typeof conversations.$inferSelect): Conversation {
  return {
    id: row.id,
    channel: row.channel as Channel,
    chatId: row.chatId,
    userId: row.userId,
    owner: row.owner as Owner,
    lang: (row.lang as Lang | null) ?? null,
    fallbackStreak: row.fallbackStreak,
    operatorId: row.operatorId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toMessage(row: typeof messages.$inferSelect): StoredMessage {
  return {
    id: String(row.id),
    conversationId: row.conversationId,
    author: row.author as MessageAuthor,
    text: row.text,
    kind: row.kind,
    lang: (row.lang as Lang | null) ?? null,
    action: row.action,
    faqId: row.faqId,
    score: row.score,
    platformMessageId: row.platformMessageId,
    operatorId: row.operatorId,
    traceId: row.traceId,
    createdAt: row.createdAt,
  };
}
