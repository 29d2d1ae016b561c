/**
 * Ports: what core needs from the outside world. `db/`, `inference/` and `bots/` implement them;
 * core's tests use fakes. Nothing here knows about Postgres, BullMQ, ONNX or any messenger.
 */
import type { Channel, InboundMessage, OutboundMessage } from './envelopes.ts';
import type { ImportSummary, KbEntry, StoredKbEntry } from './kb.ts';
import type { DetectedLang, Lang } from './lang.ts';

/** The official FAQs. */
export interface KnowledgeBase {
  /** Monotonic version of the whole knowledge base; changes whenever any entry changes. */
  version(): Promise<number>;
  /** Every entry (all languages), enabled or not unless `enabledOnly`. */
  list(opts?: { enabledOnly?: boolean }): Promise<StoredKbEntry[]>;
  get(id: string, lang: Lang): Promise<StoredKbEntry | undefined>;
  /** All-or-nothing import; `replace` also removes entries absent from `entries`. */
  import(entries: KbEntry[], opts?: { replace?: boolean; changedBy?: string }): Promise<ImportSummary>;
  /** Lexical search (full-text + trigram) in the database; best first. */
  lexicalSearch(query: string, opts?: { lang?: Lang; limit?: number }): Promise<LexicalHit[]>;
}

export interface LexicalHit {
  faqId: string;
  lang: Lang;
  /** Raw lexical score (higher is better); not comparable across queries. */
  score: number;
}

/** One knowledge-base entry proposed for a question, best first. */
export interface Candidate {
  faqId: string;
  /** Calibrated confidence in 0..1 that this entry answers the question. */
  score: number;
}

/** Finds knowledge-base entries for a question. Implemented by lexical-only or hybrid retrieval. */
export interface Retriever {
  retrieve(text: string, opts: { lang: Lang; limit?: number; traceId?: string }): Promise<Candidate[]>;
}

export interface LanguageDetector {
  detect(text: string): DetectedLang;
}

export type Owner = 'bot' | 'waiting' | 'operator' | 'closed';

export interface Conversation {
  id: string;
  channel: Channel;
  chatId: string;
  userId: string;
  owner: Owner;
  lang: Lang | null;
  /** Fallbacks in a row; two in a row escalate. */
  fallbackStreak: number;
  operatorId: string | null;
  /** What the conversation is about now, for follow-up questions; null when nothing yet. */
  topic: ConversationTopic | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The entries the bot last answered or offered. A follow-up that names no service of its own
 * ("а сколько это стоит?") is resolved against them; an offered choice is picked by its number.
 */
export interface ConversationTopic {
  /** The entry answered (one), or the choices offered (two or three, in the order shown). */
  entries: string[];
  /** The entry the citizen got or chose; null while offered choices are still open. */
  chosen: string | null;
  /** ISO time the topic was set: an old topic is not continued. */
  at: string;
}

export type MessageAuthor = 'citizen' | 'bot' | 'operator' | 'system';

export interface StoredMessage {
  id: string;
  conversationId: string;
  author: MessageAuthor;
  text: string;
  kind: string;
  lang: Lang | null;
  action: string | null;
  faqId: string | null;
  score: number | null;
  platformMessageId: string | null;
  operatorId: string | null;
  traceId: string | null;
  createdAt: Date;
}

export type NewMessage = Omit<StoredMessage, 'id' | 'createdAt'> & { createdAt?: Date };

/** A citizen's message as the pipeline takes it in (see {@link ConversationStore.intake}). */
export interface IntakeMessage {
  channel: Channel;
  chatId: string;
  userId: string;
  messageId: string;
  text: string;
  kind: InboundMessage['kind'];
  traceId: string | null;
  /**
   * The message's language when it is known for sure (the citizen chose it, the channel told it,
   * the detector is confident); null lets the conversation keep the language it has.
   */
  lang: Lang | null;
  /** The language of a conversation that has none yet, when `lang` is null. */
  fallbackLang: Lang;
}

/** Conversation changes the pipeline decided while answering, written with its replies. */
export type ConversationPatch = Partial<Pick<Conversation, 'owner' | 'fallbackStreak' | 'topic'>>;

/** Conversations and their messages, with the state transitions core needs done atomically. */
export interface ConversationStore {
  /**
   * Takes in a citizen's message, all or nothing: the dedupe mark of (channel, chatId,
   * messageId), the conversation (opened, or reopened for the bot when it was closed), its
   * language (`lang ?? conversation's ?? fallbackLang`) and the message in that language.
   * Returns the conversation as it stands after, or undefined when this delivery was taken in
   * before (a redelivered update must be answered once).
   */
  intake(message: IntakeMessage): Promise<Conversation | undefined>;
  /** Writes `patch` and the bot's `replies` together (one commit), or nothing. */
  record(conversationId: string, patch: ConversationPatch, replies: NewMessage[]): Promise<void>;
  open(channel: Channel, chatId: string, userId: string): Promise<Conversation>;
  update(id: string, patch: Partial<Pick<Conversation, 'owner' | 'lang' | 'fallbackStreak' | 'operatorId'>>): Promise<Conversation>;
  addMessage(message: NewMessage): Promise<StoredMessage>;
  messages(conversationId: string, opts?: { limit?: number }): Promise<StoredMessage[]>;
  recordFeedback(conversationId: string, faqId: string, useful: boolean): Promise<void>;
  recordRating(conversationId: string, score: number): Promise<void>;
  /** Conversations waiting for an operator now; drives the wait estimate told to citizens. */
  countWaiting(): Promise<number>;
  /**
   * The citizen no longer needs a person: `waiting` → `bot` in one conditional update (operator
   * and fallback streak cleared). Undefined when the chat is no longer waiting, e.g. an operator
   * claimed it a moment before, who then keeps it.
   */
  leaveQueue(conversationId: string): Promise<Conversation | undefined>;
}

/** Whether a person is at the console now, so citizens are not told "operators are back tomorrow" while one is. */
export interface OperatorPresence {
  /** True when some enabled operator has an unexpired console session that was active recently. */
  anyOnline(now: Date): Promise<boolean>;
}

/** Where outbound replies go; the queue implements it, channels consume from it. */
export interface OutboundSink {
  send(message: OutboundMessage): Promise<void>;
}

/** Where inbound messages go; the queue implements it, adapters produce into it. */
export interface InboundSink {
  push(message: InboundMessage): Promise<void>;
}

/**
 * What every channel adapter (Telegram, WhatsApp, web chat) provides. Declared here rather than
 * in `bots/` because the queue's outbound job hands replies to adapters: the composition root
 * wires the adapters in, and neither core nor the queue imports a channel. Adapters translate:
 * a platform event becomes an {@link InboundMessage} pushed into the inbound sink, an
 * {@link OutboundMessage} becomes a platform call. They never decide what to answer.
 */
export interface ChannelAdapter {
  readonly channel: Channel;
  /** Starts receiving platform events and pushing them into `sink`. */
  start(sink: InboundSink): Promise<void>;
  /**
   * Delivers one reply. Throws core's TransientError (network, 5xx, 429 with retryAfterMs) to be
   * retried, or PermanentError (chat gone, bot blocked, bad request) to be dropped and logged.
   */
  deliver(message: OutboundMessage): Promise<void>;
  /** Stops intake; in-flight deliveries finish. Idempotent. */
  stop(): Promise<void>;
}

/** Notified of conversation events (escalations, citizen messages to operators). */
export interface ConversationEvents {
  emit(event: ConversationEvent): void;
}

export type ConversationEvent =
  | { type: 'escalated'; conversationId: string; reason: EscalationReason }
  | { type: 'citizen-message'; conversationId: string; messageId: string }
  | { type: 'owner-changed'; conversationId: string; owner: Owner };

export type EscalationReason = 'asked' | 'repeated-fallback' | 'topic';

/** Minimal structured logger (pino-compatible) so core never imports a logging library. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: object): Logger;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A trained encoder as stored in the database, tied to the knowledge-base version it learned. */
export interface StoredModel {
  id: string;
  /** e.g. 'komek-hashed-v1'; lets a deployer tell a trained encoder from a pretrained one. */
  kind: string;
  kbVersion: number;
  /** The ONNX graph, exactly as onnxruntime-node loads it. */
  onnx: Uint8Array;
  /** Everything the tokenizer/featurizer needs to reproduce inputs (hashing params, vocab, dims). */
  meta: Record<string, unknown>;
  createdAt: Date;
}

/** Trained models and the entry vectors computed with them. */
export interface ModelStore {
  /** The newest model of `kind`, if any. */
  latest(kind: string): Promise<StoredModel | undefined>;
  /** Which model `latest` would return, without its bytes: cheap enough to ask every few seconds. */
  newest(kind: string): Promise<{ id: string; kbVersion: number } | undefined>;
  /**
   * Runs `fn` holding the training lock of `kind`, shared by every process on the database, or
   * answers `{ ran: false }` at once when another holds it: several workers that notice the same
   * knowledge-base change train once, not once each. The lock goes with its holder's database
   * connection, so a trainer that crashes does not block the others.
   */
  exclusively<T>(kind: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  save(model: Omit<StoredModel, 'id' | 'createdAt'>): Promise<StoredModel>;
  /** Vectors of knowledge-base texts computed by `modelId` (one row per text). */
  vectors(modelId: string): Promise<StoredVector[]>;
  saveVectors(modelId: string, rows: StoredVector[]): Promise<void>;
}

export interface StoredVector {
  faqId: string;
  lang: Lang;
  /** Which text of the entry: 'q' (question), 'a0', 'a1', … (alternative questions), 'ans' (answer). */
  field: string;
  vector: Float32Array;
}

/**
 * A sentence encoder: Kömek's own trained model or a deployer's pretrained one. Vectors are
 * L2-normalised, so a dot product is the cosine similarity.
 */
export interface Encoder {
  readonly dim: number;
  /** Queries and passages may be embedded differently (e.g. e5's "query: "/"passage: " prefixes). */
  encode(texts: string[], role: 'query' | 'passage'): Promise<Float32Array[]>;
  /** Releases the ONNX session; idempotent. */
  close(): Promise<void>;
}

/**
 * The operator side of a conversation's ownership. Every transition is one conditional update, so
 * two operators acting at once never both succeed: the loser gets `undefined`.
 */
export interface OperatorConversations {
  get(conversationId: string): Promise<Conversation | undefined>;
  /** `waiting` → `operator` for `operatorId`; returns how long the citizen waited. */
  claim(conversationId: string, operatorId: string, now: Date): Promise<{ conversation: Conversation; waitedMs: number } | undefined>;
  /** Hands an `operator` conversation to another operator; `fromOperatorId` guards against a stale view. */
  transfer(conversationId: string, toOperatorId: string, fromOperatorId: string | null): Promise<Conversation | undefined>;
  /** `waiting`/`operator` → `bot` (streak cleared) or → `closed`; operator cleared either way. */
  release(conversationId: string, owner: 'bot' | 'closed', fromOperatorId: string | null): Promise<Conversation | undefined>;
}

/** One operator or admin action worth keeping. */
export interface AuditEntry {
  operatorId: string | null;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
}

/** Append-only log of what operators and admins did. */
export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
}

/**
 * Per-citizen rate limit. `take` counts one message; `allowed` false when the citizen is over the
 * limit, `first` true only for the first refusal of a window (so the notice is sent once).
 */
export interface RateLimiter {
  take(key: string): Promise<{ allowed: boolean; first: boolean }>;
}

/** What a queue handler learns about the delivery it is processing. */
export interface JobInfo {
  /** The job id given to `add` (the dedupe key). */
  id: string;
  /** 1 for the first try; retries count up. */
  attempt: number;
  /** True when this is the last try: a failure now is final and the job is kept as failed. */
  final: boolean;
  /**
   * True when an earlier try may have run part of the handler (a retry, or a worker that died
   * mid-job), so side effects of that try may already exist.
   */
  redelivered: boolean;
}

/** A job that exhausted its tries (or failed permanently), kept for `komek jobs`. */
export interface FailedJob {
  id: string;
  queue: string;
  data: unknown;
  reason: string;
  attempts: number;
  failedAt: Date | null;
}

/**
 * A message queue with per-key ordering: jobs with the same `key` (a chat) are handled one at a
 * time in the order added; different keys in parallel. An `id` seen before while its job is still
 * known is ignored (dedupe). Handlers throw core's TransientError to be retried with backoff and
 * PermanentError to fail at once. Implemented by BullMQ (Redis), a Postgres table (`queue/`) and in
 * process (`memory/`).
 */
export interface MessageQueue<T> {
  readonly name: string;
  add(data: T, opts: { id: string; key: string }): Promise<void>;
  /** Starts handling jobs; the returned consumer stops intake and drains on `close()`. */
  process(handler: (data: T, info: JobInfo) => Promise<void>, opts?: { concurrency?: number }): QueueConsumer;
  failed(opts?: { limit?: number }): Promise<FailedJob[]>;
  /** Puts failed jobs back in line: one by id, or all when no id; returns how many. */
  retry(id?: string): Promise<number>;
  /** Jobs added and not yet started: the backlog that backpressure and the depth gauge watch. */
  depth(): Promise<number>;
  /** Idempotent. */
  close(): Promise<void>;
}

export interface QueueConsumer {
  /** Stops taking jobs and waits for (or hands back) the ones in flight. Idempotent. */
  close(): Promise<void>;
}

/**
 * Replies a platform has accepted, recorded outside the queue by outbound job id. The queue
 * marks a job complete in Redis; a reply sent just as Redis dies cannot be marked there and its
 * job runs again, so the outbound handler checks this record first.
 */
export interface DeliveryMarks {
  /** True when the reply of this outbound job was already accepted by its platform. */
  has(id: string): Promise<boolean>;
  /** Records that it was; marking twice is harmless. */
  mark(id: string): Promise<void>;
}
