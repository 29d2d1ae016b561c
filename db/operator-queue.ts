/**
 * What the console reads about conversations: the queue (waiting oldest first, then those with
 * operators), one conversation with its whole history, and the change feed that drives live
 * updates across processes (new rows in `messages`, which every transition appends to).
 */
import { sql } from 'drizzle-orm';
import type { Channel } from '../core/envelopes.ts';
import type { Lang } from '../core/lang.ts';
import type { MessageAuthor, Owner } from '../core/ports.ts';
import type { Db } from './client.ts';
import { isUuid, rows, toDate, toNumber } from './raw-sql.ts';

export interface QueueItem {
  id: string;
  channel: Channel;
  lang: Lang | null;
  owner: Owner;
  operatorId: string | null;
  operatorName: string | null;
  escalatedAt: Date | null;
  updatedAt: Date;
  /** The citizen's last few messages, oldest first. */
  lastMessages: { text: string; at: Date }[];
}

export interface HistoryMessage {
  id: string;
  author: MessageAuthor;
  text: string;
  kind: string;
  lang: Lang | null;
  action: string | null;
  faqId: string | null;
  score: number | null;
  operatorId: string | null;
  operatorName: string | null;
  createdAt: Date;
}

export interface ConversationView extends QueueItem {
  chatId: string;
  userId: string;
  createdAt: Date;
  messages: HistoryMessage[];
  /** Questions of the knowledge-base entries the bot used, by entry id. */
  entries: Record<string, { question: string; lang: Lang }>;
}

export interface FeedChange {
  messageId: number;
  conversationId: string;
  author: MessageAuthor;
  action: string | null;
  owner: Owner;
  operatorId: string | null;
}

/** How far back the change feed re-reads: ids are assigned before commit, so they can land late. */
const FEED_OVERLAP = 100;

export function createOperatorQueue(db: Db) {
  async function queue(): Promise<QueueItem[]> {
    const found = await rows<Record<string, unknown>>(
      db,
      sql`select c.id, c.channel, c.lang, c.owner, c.operator_id, o.display_name as operator_name,
            c.escalated_at, c.updated_at,
            (select coalesce(json_agg(json_build_object('text', x.text, 'at', x.created_at) order by x.id), '[]'::json)
               from (select m.id, m.text, m.created_at from messages m
                      where m.conversation_id = c.id and m.author = 'citizen' order by m.id desc limit 3) x) as last
          from conversations c left join operators o on o.id = c.operator_id
          where c.owner in ('waiting', 'operator')
          order by c.owner = 'operator', c.escalated_at nulls last, c.updated_at
          limit 500`,
    );
    return found.map(toQueueItem);
  }

  async function conversation(id: string): Promise<ConversationView | undefined> {
    if (!isUuid(id)) return undefined;
    const found = await rows<Record<string, unknown>>(
      db,
      sql`select c.*, o.display_name as operator_name, '[]'::json as last
          from conversations c left join operators o on o.id = c.operator_id where c.id = ${id}`,
    );
    const row = found[0];
    if (!row) return undefined;
    const history = await rows<Record<string, unknown>>(
      db,
      sql`select * from (select m.*, o.display_name as operator_name from messages m left join operators o on o.id = m.operator_id
          where m.conversation_id = ${id} order by m.id desc limit 1000) x order by x.id`,
    );
    const messages = history.map(toHistory);
    const faqIds = [...new Set(messages.map((m) => m.faqId).filter((f): f is string => !!f))];
    const entries: ConversationView['entries'] = {};
    if (faqIds.length > 0) {
      const lang = (row.lang as string | null) ?? 'kk';
      const kb = await rows<{ id: string; lang: Lang; question: string }>(
        db,
        sql`select distinct on (id) id, lang, question from kb_entries
            where id in (${sql.join(faqIds.map((f) => sql`${f}`), sql`, `)})
            order by id, (lang = ${lang}) desc, lang`,
      );
      for (const e of kb) entries[e.id] = { question: e.question, lang: e.lang };
    }
    return {
      ...toQueueItem(row),
      chatId: String(row.chat_id),
      userId: String(row.user_id),
      createdAt: toDate(row.created_at),
      lastMessages: messages.filter((m) => m.author === 'citizen').slice(-3).map((m) => ({ text: m.text, at: m.createdAt })),
      messages,
      entries,
    };
  }

  async function latestMessageId(): Promise<number> {
    const found = await rows<{ n: unknown }>(db, sql`select coalesce(max(id), 0) as n from messages`);
    return toNumber(found[0]?.n);
  }

  /** Messages with id above `cursor - overlap`; the caller drops the ones it has already seen. */
  async function changesSince(cursor: number): Promise<FeedChange[]> {
    const found = await rows<Record<string, unknown>>(
      db,
      sql`select m.id, m.conversation_id, m.author, m.action, c.owner, c.operator_id
          from messages m join conversations c on c.id = m.conversation_id
          where m.id > ${Math.max(0, cursor - FEED_OVERLAP)} order by m.id limit 1000`,
    );
    return found.map((r) => ({
      messageId: toNumber(r.id),
      conversationId: String(r.conversation_id),
      author: r.author as MessageAuthor,
      action: (r.action as string | null) ?? null,
      owner: r.owner as Owner,
      operatorId: (r.operator_id as string | null) ?? null,
    }));
  }

  return { queue, conversation, latestMessageId, changesSince };
}

export type OperatorQueue = ReturnType<typeof createOperatorQueue>;

function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function toQueueItem(r: Record<string, unknown>): QueueItem {
  return {
    id: String(r.id),
    channel: r.channel as Channel,
    lang: (r.lang as Lang | null) ?? null,
    owner: r.owner as Owner,
    operatorId: (r.operator_id as string | null) ?? null,
    operatorName: (r.operator_name as string | null) ?? null,
    escalatedAt: r.escalated_at ? toDate(r.escalated_at) : null,
    updatedAt: toDate(r.updated_at),
    lastMessages: json<{ text: string; at: string }[]>(r.last ?? '[]').map((m) => ({ text: m.text, at: toDate(m.at) })),
  };
}

function toHistory(r: Record<string, unknown>): HistoryMessage {
  return {
    id: String(r.id),
    author: r.author as MessageAuthor,
    text: String(r.text),
    kind: String(r.kind),
    lang: (r.lang as Lang | null) ?? null,
    action: (r.action as string | null) ?? null,
    faqId: (r.faq_id as string | null) ?? null,
    score: r.score === null || r.score === undefined ? null : Number(r.score),
    operatorId: (r.operator_id as string | null) ?? null,
    operatorName: (r.operator_name as string | null) ?? null,
    createdAt: toDate(r.created_at),
  };
}
