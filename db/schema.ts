/**
 * The database schema (drizzle). The same schema and migrations serve a real Postgres and the
 * embedded PGlite; nothing here may need an extension beyond `pg_trgm`, which both have.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** One knowledge-base entry in one language; rows sharing `id` are translations. */
export const kbEntries = pgTable(
  'kb_entries',
  {
    id: text('id').notNull(),
    lang: text('lang').notNull(),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    altQuestions: text('alt_questions').array().notNull().default(sql`'{}'::text[]`),
    sourceUrl: text('source_url'),
    category: text('category'),
    enabled: boolean('enabled').notNull().default(true),
    version: integer('version').notNull().default(1),
    /** Lower-cased question and alternative phrasings: what trigram matching runs on. */
    searchText: text('search_text').notNull(),
    /** Full-text vector (question, alternatives, answer) built with the row language's config. */
    searchVector: tsvector('search_vector').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.lang] }),
    index('kb_entries_search_vector_idx').using('gin', t.searchVector),
    index('kb_entries_search_text_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
  ],
);

/** Who changed which entry when, with the content after the change (or before a removal). */
export const kbHistory = pgTable(
  'kb_history',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    entryId: text('entry_id').notNull(),
    lang: text('lang').notNull(),
    version: integer('version').notNull(),
    action: text('action').notNull(),
    changedBy: text('changed_by'),
    snapshot: jsonb('snapshot').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('kb_history_entry_idx').on(t.entryId, t.lang)],
);

/** Counters of the whole installation, e.g. the knowledge-base version workers sync on. */
export const counters = pgTable('counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    userId: text('user_id').notNull(),
    owner: text('owner').notNull().default('bot'),
    lang: text('lang'),
    fallbackStreak: integer('fallback_streak').notNull().default(0),
    operatorId: uuid('operator_id'),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    /**
     * The entries the bot last answered or offered and which one the citizen chose (core's
     * ConversationTopic), so a follow-up continues on any worker; null when there is none.
     */
    topic: jsonb('topic'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('conversations_channel_chat_idx').on(t.channel, t.chatId),
    index('conversations_owner_idx').on(t.owner, t.escalatedAt),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    author: text('author').notNull(),
    text: text('text').notNull(),
    kind: text('kind').notNull().default('text'),
    lang: text('lang'),
    action: text('action'),
    faqId: text('faq_id'),
    score: real('score'),
    platformMessageId: text('platform_message_id'),
    operatorId: uuid('operator_id'),
    traceId: text('trace_id'),
    createdAt: createdAt(),
  },
  (t) => [index('messages_conversation_idx').on(t.conversationId, t.id), index('messages_created_idx').on(t.createdAt)],
);

/** Deliveries already taken in, so a redelivered update is answered once. */
export const seenMessages = pgTable(
  'seen_messages',
  {
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    messageId: text('message_id').notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.chatId, t.messageId] })],
);

/**
 * Replies a platform accepted, by outbound job id: a job run again after Redis lost its
 * completion (a crash right after sending) checks here and does not send twice.
 */
export const deliveryMarks = pgTable(
  'delivery_marks',
  {
    jobId: text('job_id').primaryKey(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('delivery_marks_delivered_idx').on(t.deliveredAt)],
);

/**
 * The message queues when Postgres is the only server (KOMEK_QUEUE=postgres; queue/postgres-queue.ts).
 * One row per job; `queue` is the prefixed queue name. A job is the *head* of its chat while it is
 * the oldest unfinished job with that `key`, and only heads are claimed, which gives per-chat order.
 * Finished jobs stay a while so that their ids keep deduplicating.
 */
export const queueJobs = pgTable(
  'queue_jobs',
  {
    queue: text('queue').notNull(),
    id: text('id').notNull(),
    /** Order of adding within a chat (and of a retried job, which goes to the end). */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    key: text('key').notNull(),
    data: jsonb('data'),
    /** waiting | active | completed | failed */
    state: text('state').notNull().default('waiting'),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    /** Runs begun (counted when claimed, so a run cut short by a crash counts). */
    tries: integer('tries').notNull().default(0),
    /** Times the job was found with an expired lock and put back. */
    stalls: integer('stalls').notNull().default(0),
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    failedReason: text('failed_reason'),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.queue, t.id] }),
    index('queue_jobs_waiting_idx').on(t.queue, t.runAt, t.seq).where(sql`state = 'waiting'`),
    index('queue_jobs_unfinished_idx').on(t.queue, t.key, t.seq).where(sql`state in ('waiting', 'active')`),
    index('queue_jobs_active_idx').on(t.queue, t.lockedUntil).where(sql`state = 'active'`),
    index('queue_jobs_finished_idx').on(t.queue, t.state, t.finishedAt),
  ],
);

/** Messages per citizen per window, shared by every worker process when there is no Redis. */
export const rateLimitCounts = pgTable(
  'rate_limit_counts',
  {
    key: text('key').notNull(),
    /** The window's number: milliseconds since the epoch divided by the window length. */
    window: bigint('window', { mode: 'number' }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.window] }), index('rate_limit_counts_window_idx').on(t.window)],
);

/**
 * Web-chat events too large for a NOTIFY payload (8000 bytes), relayed by id instead; a row is
 * only needed for the moment every listening process takes to read it.
 */
export const webRelayEvents = pgTable(
  'web_relay_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    payload: text('payload').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('web_relay_events_created_idx').on(t.createdAt)],
);

/**
 * Wrong console passwords per username and address, shared by every console process so the
 * throttle's allowance does not grow with the number of processes. A row lives one window.
 */
export const loginFailures = pgTable(
  'login_failures',
  {
    /** Lower-cased username and peer address (see console/login-throttle.ts). */
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    /** Start of the window, by the console's clock (not the database's). */
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_failures_first_at_idx').on(t.firstAt)],
);

export const feedback = pgTable('feedback', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  conversationId: uuid('conversation_id')
    .notNull()
    .references(() => conversations.id, { onDelete: 'cascade' }),
  faqId: text('faq_id').notNull(),
  useful: boolean('useful').notNull(),
  createdAt: createdAt(),
});

export const ratings = pgTable('ratings', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  conversationId: uuid('conversation_id')
    .notNull()
    .references(() => conversations.id, { onDelete: 'cascade' }),
  score: integer('score').notNull(),
  createdAt: createdAt(),
});

/** Trained encoders: the ONNX graph and what its featurizer needs, per knowledge-base version. */
export const models = pgTable(
  'models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    kbVersion: integer('kb_version').notNull(),
    onnx: bytea('onnx').notNull(),
    meta: jsonb('meta').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('models_kind_idx').on(t.kind, t.createdAt)],
);

/** Entry vectors computed by one model, as little-endian float32 bytes. */
export const modelVectors = pgTable(
  'model_vectors',
  {
    modelId: uuid('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    faqId: text('faq_id').notNull(),
    lang: text('lang').notNull(),
    field: text('field').notNull(),
    vector: bytea('vector').notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.faqId, t.lang, t.field] })],
);

export const operators = pgTable('operators', {
  id: uuid('id').primaryKey().defaultRandom(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role').notNull().default('operator'),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: createdAt(),
});

export const operatorSessions = pgTable('operator_sessions', {
  /** SHA-256 of the session token; the token itself is never stored. */
  tokenHash: text('token_hash').primaryKey(),
  operatorId: uuid('operator_id')
    .notNull()
    .references(() => operators.id, { onDelete: 'cascade' }),
  csrfToken: text('csrf_token').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  /**
   * When the console last used the session (touched at most once a minute; an open console's
   * event stream checks in every 15 s): an operator counts as present only while this is recent.
   */
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  createdAt: createdAt(),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    operatorId: uuid('operator_id'),
    action: text('action').notNull(),
    target: text('target'),
    details: jsonb('details'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_created_idx').on(t.createdAt)],
);

export const cannedResponses = pgTable('canned_responses', {
  id: uuid('id').primaryKey().defaultRandom(),
  lang: text('lang').notNull(),
  title: text('title').notNull(),
  text: text('text').notNull(),
  createdAt: createdAt(),
});

/** Baileys' authentication state (creds and signal keys), so a restart needs no new QR scan. */
export const whatsappAuth = pgTable('whatsapp_auth', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: updatedAt(),
});
