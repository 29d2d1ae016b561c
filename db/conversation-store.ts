/**
 * Conversations, their messages, dedupe marks, feedback and ratings in Postgres.
 */
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Channel } from '../core/envelopes.ts';
import type { Lang } from '../core/lang.ts';
import type { Conversation, ConversationStore, ConversationTopic, MessageAuthor, Owner, StoredMessage } from '../core/ports.ts';
import type { Db } from './client.ts';
import { query, toDate } from './raw-sql.ts';
import { conversations, feedback, messages, ratings } from './schema.ts';

/** Creates the Postgres-backed {@link ConversationStore}. */
export function createConversationStore(db: Db): ConversationStore & {
  get(id: string): Promise<Conversation | undefined>;
} {
  return {
    async intake(m) {
      const found = await query<typeof conversations.$inferSelect>(db, INTAKE, [m.channel, m.chatId, m.messageId, m.userId, m.lang, m.fallbackLang, m.text, m.kind, m.traceId]);
      const row = found[0];
      // Raw results carry timestamps as the driver gives them (drizzle has postgres-js return strings).
      return row ? toConversation({ ...row, createdAt: toDate(row.createdAt), updatedAt: toDate(row.updatedAt) }) : undefined;
    },

    async record(conversationId, patch, replies) {
      const owner = patch.owner ?? null;
      const streak = patch.fallbackStreak ?? null;
      // undefined keeps the topic, null clears it: hence a flag beside the value.
      const setTopic = patch.topic !== undefined;
      const patched = owner !== null || streak !== null || setTopic;
      if (!patched && replies.length === 0) return;
      const params: unknown[] = [conversationId, owner, streak, setTopic && patch.topic ? JSON.stringify(patch.topic) : null, setTopic];
      const rowsSql = replies.map((r) => {
        const at = params.length;
        params.push(r.author, r.text, r.kind, r.lang, r.action, r.faqId, r.score, r.platformMessageId, r.operatorId, r.traceId);
        return `($1::uuid, ${Array.from({ length: 10 }, (_, i) => `$${at + i + 1}${REPLY_CASTS[i]}`).join(', ')})`;
      });
      // Both writes in one statement: one commit, and never the replies without the state change.
      // One shape whether or not there is a change (the update then matches no row), so Postgres
      // keeps one prepared statement per reply count.
      const text = replies.length === 0 ? RECORD_UPDATE : `with patched as (${RECORD_UPDATE} returning 1) insert into messages (${REPLY_COLUMNS}) values ${rowsSql.join(', ')}`;
      await query(db, text, params);
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

    async leaveQueue(id) {
      // Conditional, like an operator's claim: of a claim and a leave at once exactly one wins.
      const rows = await db
        .update(conversations)
        .set({ owner: 'bot', operatorId: null, fallbackStreak: 0, escalatedAt: null, updatedAt: sql`now()` })
        .where(and(eq(conversations.id, id), eq(conversations.owner, 'waiting')))
        .returning();
      return rows[0] ? toConversation(rows[0]) : undefined;
    },
  };
}

/**
 * Intake in one statement, hence one commit and one round trip on the hottest path: the dedupe
 * mark gates the rest (a seen delivery inserts nothing), the upsert opens or reopens the
 * conversation and settles its language ($5 when sure, else the conversation's, else $6), the
 * message takes that language; the row comes back named as drizzle names it. Data-modifying
 * CTEs run atomically; foreign keys are checked at the end of the statement, after the
 * conversation row exists.
 */
const INTAKE = `with seen as (
    insert into seen_messages (channel, chat_id, message_id) values ($1, $2, $3)
    on conflict do nothing
    returning 1
  ), conv as (
    insert into conversations as c (channel, chat_id, user_id, lang)
    select $1, $2, $4, coalesce($5::text, $6::text) from seen
    on conflict (channel, chat_id) do update set
      updated_at = now(),
      lang = coalesce($5::text, c.lang, $6::text),
      owner = case when c.owner = 'closed' then 'bot' else c.owner end,
      fallback_streak = case when c.owner = 'closed' then 0 else c.fallback_streak end,
      operator_id = case when c.owner = 'closed' then null else c.operator_id end,
      escalated_at = case when c.owner = 'closed' then null else c.escalated_at end,
      topic = case when c.owner = 'closed' then null else c.topic end
    returning c.*
  ), msg as (
    insert into messages (conversation_id, author, text, kind, lang, platform_message_id, trace_id)
    select id, 'citizen', $7, $8, lang, $3, $9::text from conv
    returning 1
  )
  select id, channel, chat_id as "chatId", user_id as "userId", owner, lang, fallback_streak as "fallbackStreak",
         operator_id as "operatorId", escalated_at as "escalatedAt", topic, created_at as "createdAt", updated_at as "updatedAt"
  from conv`;

/**
 * The pipeline's state change ($2 owner, $3 fallback streak; null keeps; $4 the topic, written
 * when $5) of conversation $1.
 */
const RECORD_UPDATE = `update conversations set
    updated_at = now(),
    owner = coalesce($2::text, owner),
    fallback_streak = coalesce($3::int, fallback_streak),
    topic = case when $5::boolean then $4::jsonb else topic end,
    escalated_at = case when $2::text = 'waiting' then now()
                        when $2::text in ('bot', 'closed') then null
                        else escalated_at end
  where id = $1::uuid and ($2::text is not null or $3::int is not null or $5::boolean)`;

const REPLY_COLUMNS = 'conversation_id, author, text, kind, lang, action, faq_id, score, platform_message_id, operator_id, trace_id';
const REPLY_CASTS = ['::text', '::text', '::text', '::text', '::text', '::text', '::real', '::text', '::uuid', '::text'];

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
    topic: toTopic(row.topic),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A stored topic as core's type; anything malformed (an older or hand-edited row) is no topic. */
function toTopic(value: unknown): ConversationTopic | null {
  const v = (typeof value === 'string' ? JSON.parse(value) : value) as Partial<ConversationTopic> | null;
  if (!v || !Array.isArray(v.entries) || typeof v.at !== 'string') return null;
  return { entries: v.entries.filter((e): e is string => typeof e === 'string'), chosen: typeof v.chosen === 'string' ? v.chosen : null, at: v.at };
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
