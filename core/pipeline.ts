/**
 * The worker pipeline for one citizen message: dedupe → conversation → guard → language → owner →
 * buttons and small talk → person request → retrieve → decide → compose. It returns the replies;
 * the caller (a queue worker) sends them, so the pipeline itself never talks to a messenger.
 *
 * Waiting for an operator is not silence: the bot still answers what it can answer confidently
 * (the chat keeps its place in the queue), acknowledges everything else, and lets the citizen
 * leave the queue. Only a chat an operator owns is relayed without a bot reply.
 */
import type { Button, InboundMessage, OutboundMessage } from './envelopes.ts';
import { decodeButton } from './envelopes.ts';
import { decide, type Decision, type Thresholds } from './decide.ts';
import type { StoredKbEntry } from './kb.ts';
import type { Lang } from './lang.ts';
import { describeOpening, isOfficeOpen, nextOpening, type OfficeHours } from './office-hours.ts';
import {
  kbVocabulary,
  liveTopic,
  familyStems,
  messageSignals,
  pickByWords,
  pickOrdinal,
  resolveFollowUp,
  serviceFamily,
  serviceWords,
  type Resolution,
} from './follow-up.ts';
import { detectLeaveRequest } from './leave-request.ts';
import { detectPersonRequest } from './person-request.ts';
import type {
  Clock,
  Candidate,
  Conversation,
  ConversationEvent,
  ConversationPatch,
  ConversationStore,
  ConversationEvents,
  ConversationTopic,
  EscalationReason,
  KnowledgeBase,
  LanguageDetector,
  Logger,
  NewMessage,
  OperatorPresence,
  RateLimiter,
  Retriever,
} from './ports.ts';
import { detectSmallTalk } from './small-talk.ts';
import { t, unsupportedKind } from './texts.ts';

export interface PipelineOptions {
  thresholds: Thresholds;
  maxMessageChars: number;
  /** Knowledge-base categories and words that always go to a person. */
  escalation: { categories: string[]; keywords: string[] };
  officeHours: OfficeHours;
  /** Minutes of wait told per conversation already waiting (a rough, honest estimate). */
  minutesPerWaiting?: number;
}

export interface PipelineDeps {
  kb: KnowledgeBase;
  retriever: Retriever;
  detector: LanguageDetector;
  conversations: ConversationStore;
  events?: ConversationEvents;
  clock: Clock;
  logger: Logger;
  /** Per-citizen limit; absent means unlimited (e.g. `komek ask`). */
  rateLimiter?: RateLimiter;
  /**
   * Whether operators are signed in to the console; absent, office hours alone decide whether
   * an escalated citizen is told "operators are back tomorrow".
   */
  presence?: OperatorPresence;
  options: PipelineOptions;
}

export type PipelineAction =
  | Decision['action']
  | 'escalate'
  | 'duplicate'
  | 'relayed'
  | 'acknowledged'
  | 'already-waiting'
  | 'left-queue'
  | 'greeting'
  | 'thanks'
  | 'unsupported'
  | 'too-long'
  | 'empty'
  | 'feedback'
  | 'rating'
  | 'language'
  | 'rate-limited';

export interface PipelineResult {
  action: PipelineAction;
  lang: Lang;
  replies: OutboundMessage[];
  conversationId?: string;
  faqId?: string | null;
  score?: number;
  alternatives?: string[];
  /**
   * How the message related to the conversation's topic: a follow-up answered by a facet entry
   * or by sentences of the topic's answer, a choice picked from the offered ones, or a follow-up
   * the knowledge base does not answer. Absent for a message that stated its own question.
   */
  followUp?: 'entry' | 'sentences' | 'picked' | 'missing';
}

/** Below this detector confidence a short message keeps the conversation's language. */
const LANG_CONFIDENCE = 0.6;

/** Creates the pipeline; `handle` never throws for bad input, only for infrastructure failures. */
export function createPipeline(deps: PipelineDeps) {
  const { conversations, logger, options } = deps;
  const derivedByList = new WeakMap<readonly StoredKbEntry[], Derived>();

  function derivedOf(entries: readonly StoredKbEntry[]): Derived {
    let d = derivedByList.get(entries);
    if (!d) derivedByList.set(entries, (d = { vocabulary: kbVocabulary(entries), families: new Map() }));
    return d;
  }

  /** A topic's family and its texts' stems, computed once per knowledge-base version (both scan every entry). */
  function familyOf(entries: readonly StoredKbEntry[], topicId: string, lang: Lang): { ids: string[]; stems: Set<string> } {
    const derived = derivedOf(entries);
    const key = `${topicId}\u0000${lang}`;
    let family = derived.families.get(key);
    if (!family) {
      const ids = serviceFamily(topicId, entries, lang);
      derived.families.set(key, (family = { ids, stems: familyStems(ids, entries) }));
    }
    return family;
  }

  async function handle(msg: InboundMessage): Promise<PipelineResult> {
    const log = logger.child({ traceId: msg.traceId, channel: msg.channel });
    const button = msg.callbackData ? decodeButton(msg.callbackData) : undefined;
    // Intake is one atomic write: the dedupe mark, the conversation and the citizen's message
    // commit together, so a crash in between never leaves a delivery marked but unrecorded.
    const conv = await conversations.intake({
      channel: msg.channel,
      chatId: msg.chatId,
      userId: msg.userId,
      messageId: msg.messageId,
      text: msg.text,
      kind: msg.kind,
      traceId: msg.traceId,
      ...chooseLang(msg, button?.type === 'lang' ? button.lang : undefined),
    });
    if (!conv) {
      log.info({ messageId: msg.messageId }, 'duplicate delivery ignored');
      return { action: 'duplicate', lang: msg.langHint ?? 'kk', replies: [] };
    }
    const lang = conv.lang ?? 'kk';
    const ctx: Ctx = { msg, conv, lang, log, patch: {}, events: [], extra: [] };
    if (conv.owner === 'operator') return relay(ctx);
    const waiting = conv.owner === 'waiting';
    // The operators' console shows a waiting chat's new messages as they come.
    if (waiting) ctx.events.push({ type: 'citizen-message', conversationId: conv.id, messageId: msg.messageId });
    let result: PipelineResult;
    if (deps.rateLimiter && !(await withinRateLimit(ctx))) {
      result = ctx.rateLimitNotice ? reply(ctx, 'rate-limited', t('rateLimited', lang)) : { action: 'rate-limited', lang, replies: [] };
    } else {
      result = waiting ? await respondWhileWaiting(ctx, button) : await respond(ctx, button);
    }
    await commit(ctx, result);
    log.info({ action: result.action, faqId: result.faqId ?? null, score: result.score ?? null, lang }, 'handled');
    return { ...result, conversationId: conv.id };
  }

  async function withinRateLimit(ctx: Ctx): Promise<boolean> {
    const quota = await deps.rateLimiter!.take(`${ctx.msg.channel}:${ctx.msg.userId}`);
    if (quota.allowed) return true;
    // Told once per window; after that the flood is stored but not answered.
    ctx.log.warn({ first: quota.first }, 'citizen over the rate limit');
    ctx.rateLimitNotice = quota.first;
    return false;
  }

  /** The state change and the replies commit together; events go out only once committed. */
  async function commit(ctx: Ctx, result: PipelineResult): Promise<void> {
    const replies = result.replies.map(
      (r): NewMessage => ({
        conversationId: ctx.conv.id,
        author: 'bot',
        text: r.text,
        kind: 'text',
        lang: ctx.lang,
        action: result.action,
        faqId: result.faqId ?? null,
        score: result.score ?? null,
        platformMessageId: null,
        operatorId: null,
        traceId: ctx.msg.traceId,
      }),
    );
    await conversations.record(ctx.conv.id, ctx.patch, [...replies, ...ctx.extra]);
    for (const event of ctx.events) deps.events?.emit(event);
  }

  interface Ctx {
    msg: InboundMessage;
    conv: Conversation;
    lang: Lang;
    log: Logger;
    /** Conversation changes decided while responding, written with the replies. */
    patch: ConversationPatch;
    /** Events to emit after the commit. */
    events: ConversationEvent[];
    /** History lines for operators (not sent to the citizen), written with the replies. */
    extra: NewMessage[];
    rateLimitNotice?: boolean;
    /** Set when a message fell back without naming a topic of its own: the topic is kept. */
    keepTopic?: boolean;
  }

  /**
   * The message's language, as far as it can be known without the conversation: the store keeps
   * the conversation's own language when this answers `lang: null` (no letters, a button, a short
   * message the detector is unsure of).
   */
  function chooseLang(msg: InboundMessage, chosen: Lang | undefined): { lang: Lang | null; fallbackLang: Lang } {
    if (chosen) return { lang: chosen, fallbackLang: chosen };
    if (msg.langHint) return { lang: msg.langHint, fallbackLang: msg.langHint };
    if (msg.kind !== 'text' || msg.callbackData || !/\p{L}/u.test(msg.text)) return { lang: null, fallbackLang: 'kk' };
    const detected = deps.detector.detect(msg.text.slice(0, 500));
    return { lang: detected.confidence < LANG_CONFIDENCE ? null : detected.lang, fallbackLang: detected.lang };
  }

  /** An operator owns the chat: the message is theirs to answer; the bot only confirms receipt. */
  async function relay(ctx: Ctx): Promise<PipelineResult> {
    deps.events?.emit({ type: 'citizen-message', conversationId: ctx.conv.id, messageId: ctx.msg.messageId });
    const receipt: OutboundMessage = {
      channel: ctx.msg.channel,
      chatId: ctx.msg.chatId,
      text: '',
      receipt: 'relayed',
      inReplyTo: ctx.msg.messageId,
      lang: ctx.lang,
      traceId: ctx.msg.traceId,
    };
    return { action: 'relayed', lang: ctx.lang, replies: [receipt], conversationId: ctx.conv.id };
  }

  /**
   * The chat waits for an operator. Every message gets a reply within the pipeline's time: an
   * answer when the bot is confident (the chat keeps its place; operators see the answer in the
   * history), the way out of the queue when the citizen no longer needs a person, and otherwise
   * a short acknowledgement. The place and the wait were told once, when the chat escalated.
   */
  async function respondWhileWaiting(ctx: Ctx, button: ReturnType<typeof decodeButton>): Promise<PipelineResult> {
    const { msg, lang } = ctx;
    if (button) {
      switch (button.type) {
        case 'leave-queue':
          return leaveQueue(ctx);
        case 'operator':
          return acknowledge(ctx, 'already-waiting', t('alreadyWaiting', lang));
        case 'choose':
          return answerWhileWaiting(ctx, { action: 'answer', faqId: button.faqId, score: 1, alternatives: [] });
        default:
          return onButton(ctx, button);
      }
    }
    if (msg.kind !== 'text') return acknowledge(ctx, 'acknowledged', t('stillWaiting', lang));
    const text = msg.text.trim();
    if (!/[\p{L}\p{N}]/u.test(text) || [...text].length > options.maxMessageChars) return acknowledge(ctx, 'acknowledged', t('stillWaiting', lang));
    if (detectLeaveRequest(text)) return leaveQueue(ctx);
    if (detectPersonRequest(text)) return acknowledge(ctx, 'already-waiting', t('alreadyWaiting', lang));
    if (detectSmallTalk(text) || matchesKeyword(text)) return acknowledge(ctx, 'acknowledged', t('stillWaiting', lang));
    const candidates = await deps.retriever.retrieve(text, { lang, limit: 5, traceId: msg.traceId });
    return answerWhileWaiting(ctx, decide(candidates, options.thresholds));
  }

  /** Only a confident answer is given while waiting; a choice list or "I don't know" would only add noise before a person reads the chat. */
  async function answerWhileWaiting(ctx: Ctx, decision: Decision): Promise<PipelineResult> {
    const { lang } = ctx;
    if (decision.action === 'answer') {
      const entry = await entryIn(decision.faqId, lang);
      if (entry && !(entry.category && options.escalation.categories.includes(entry.category))) {
        const buttons: Button[] = [...feedbackButtons(entry.id, lang), leaveButton(lang)];
        const text = `${answerText(entry, lang)}\n\n${t('stillInQueue', lang)}`;
        return { ...reply(ctx, 'answer', text, buttons), faqId: entry.id, score: decision.score, alternatives: decision.alternatives };
      }
    }
    return { ...acknowledge(ctx, 'acknowledged', t('stillWaiting', lang)), score: decision.score };
  }

  function acknowledge(ctx: Ctx, action: PipelineAction, text: string): PipelineResult {
    return reply(ctx, action, text, [leaveButton(ctx.lang)]);
  }

  /** waiting → bot, atomically: an operator who claimed the chat a moment earlier keeps it. */
  async function leaveQueue(ctx: Ctx): Promise<PipelineResult> {
    const left = await conversations.leaveQueue(ctx.conv.id);
    if (!left) return reply(ctx, 'relayed', t('operatorAlreadyJoined', ctx.lang));
    ctx.events.push({ type: 'owner-changed', conversationId: ctx.conv.id, owner: 'bot' });
    ctx.extra.push(systemLine(ctx, 'The citizen left the queue: no operator needed any more', 'left-queue'));
    ctx.log.info({}, 'citizen left the operator queue');
    return reply(ctx, 'left-queue', t('leftQueue', ctx.lang));
  }

  function systemLine(ctx: Ctx, text: string, action: string): NewMessage {
    return {
      conversationId: ctx.conv.id,
      author: 'system',
      text,
      kind: 'text',
      lang: ctx.lang,
      action,
      faqId: null,
      score: null,
      platformMessageId: null,
      operatorId: null,
      traceId: ctx.msg.traceId,
    };
  }

  async function respond(ctx: Ctx, button: ReturnType<typeof decodeButton>): Promise<PipelineResult> {
    const { msg, lang } = ctx;
    if (button) return onButton(ctx, button);
    if (msg.kind !== 'text') return reply(ctx, 'unsupported', unsupportedKind(msg.kind, lang));
    const text = msg.text.trim();
    if (!/[\p{L}\p{N}]/u.test(text)) return reply(ctx, 'empty', t('empty', lang));
    if ([...text].length > options.maxMessageChars) {
      return reply(ctx, 'too-long', t('tooLong', lang, { max: options.maxMessageChars }));
    }
    const small = detectSmallTalk(text);
    if (small === 'greeting') return reply(ctx, 'greeting', t('greeting', lang), languageButtons());
    if (small === 'thanks') return reply(ctx, 'thanks', t('thanksReply', lang));
    // "оператор не нужен" names an operator but asks for none.
    if (detectPersonRequest(text) && !detectLeaveRequest(text)) return escalate(ctx, 'asked');
    if (matchesKeyword(text)) return escalate(ctx, 'topic');
    const topic = liveTopic(ctx.conv.topic, deps.clock.now());
    // More candidates than the decision reads: a follow-up looks for the topic's entries among them.
    const candidates = await deps.retriever.retrieve(text, { lang, limit: FOLLOW_UP_CANDIDATES, traceId: msg.traceId });
    if (topic && topic.chosen === null) {
      const picked = await pickOffered(ctx, topic, text, candidates);
      if (picked) return { ...(await applyDecision(ctx, { action: 'answer', faqId: picked, score: 1, alternatives: [] })), followUp: 'picked' };
    }
    // While choices are open, the first one offered stands for the topic: offered entries are
    // mostly one service's facets, and a follow-up then still finds its own facet.
    const topicId = topic?.chosen ?? (topic && (await oneService(topic.entries, lang)) ? topic.entries[0] : undefined);
    if (topicId) {
      const followed = await followUp(ctx, topicId, text, candidates);
      if (followed) return followed;
    }
    const decision = decide(candidates.slice(0, 5), options.thresholds);
    return applyDecision(ctx, decision);
  }

  /**
   * Choices are open: «2», «второй», «екіншісі», "the second one", the words of one choice, or a
   * message whose own best candidate is one of them picks it.
   */
  async function pickOffered(ctx: Ctx, topic: ConversationTopic, text: string, candidates: readonly Candidate[]): Promise<string | undefined> {
    const index = pickOrdinal(text, topic.entries.length);
    if (index !== undefined) return topic.entries[index];
    const choices: { faqId: string; question: string }[] = [];
    for (const id of topic.entries) {
      const entry = await entryIn(id, ctx.lang);
      if (entry) choices.push({ faqId: id, question: entry.question });
    }
    const byWords = pickByWords(text, choices);
    if (byWords) return byWords;
    const top = candidates[0];
    // Only a short reply is an answer to "which of these?"; a full new question is decided on its own.
    if (top && topic.entries.includes(top.faqId) && top.score >= options.thresholds.clarify && text.split(/\s+/).length <= 6) return top.faqId;
    return undefined;
  }

  /**
   * A message on the topic `topicId`: resolved against it (a facet entry of the same service, or
   * the sentences of its answer), or undefined when the message states a question of its own.
   */
  async function followUp(ctx: Ctx, topicId: string, text: string, alone: Candidate[]): Promise<PipelineResult | undefined> {
    const { lang } = ctx;
    const entries = await deps.kb.list({ enabledOnly: true });
    if (!entries.some((e) => e.id === topicId)) return undefined;
    const derived = derivedOf(entries);
    const { ids: family, stems } = familyOf(entries, topicId, lang);
    const signals = messageSignals(text, family, entries, derived.vocabulary, stems);
    const retrieve = (q: string) => deps.retriever.retrieve(q, { lang, limit: FOLLOW_UP_CANDIDATES, traceId: ctx.msg.traceId });
    const service = serviceWords(topicId, family, entries, lang);
    const combined = service ? await retrieve(`${text} ${service}`) : [];
    const foreignOnly = !signals.namesNoTopic && signals.own.length > 0 ? await retrieve(signals.ownText) : [];
    // A message with words of its own that then finds nothing ends the topic; a bare follow-up
    // the bot could not place («а за второго больше?») leaves it for the next one.
    ctx.keepTopic = signals.own.length < 2;
    const resolution = resolveFollowUp({ text, lang, topicId, family, signals, alone, combined, foreignOnly, entries, thresholds: options.thresholds });
    // Ids and scores only: the log never carries the citizen's words.
    const tops = (list: readonly Candidate[]) => list.slice(0, 3).map((c) => `${c.faqId}:${c.score.toFixed(3)}`);
    ctx.log.debug(
      { topic: topicId, resolution: resolution.kind, faqId: 'faqId' in resolution ? resolution.faqId : null, family: family.length, facets: signals.facets, own: signals.own.length, foreign: signals.foreign.length, namesNoTopic: signals.namesNoTopic, alone: tops(alone), combined: tops(combined), ownOnly: tops(foreignOnly) },
      'follow-up resolved',
    );
    return answerFollowUp(ctx, resolution);
  }

  async function answerFollowUp(ctx: Ctx, r: Resolution): Promise<PipelineResult | undefined> {
    const { lang } = ctx;
    if (r.kind === 'own') return undefined;
    if (r.kind === 'entry') return { ...(await applyDecision(ctx, { action: 'answer', faqId: r.faqId, score: r.score, alternatives: [] })), followUp: 'entry' };
    const entry = await entryIn(r.faqId, lang);
    if (!entry) return undefined;
    if (entry.category && options.escalation.categories.includes(entry.category)) return escalate(ctx, 'topic', entry.id);
    if (ctx.conv.fallbackStreak !== 0) ctx.patch.fallbackStreak = 0;
    const operator: Button = { label: t('operatorButton', lang), action: { type: 'operator' } };
    if (r.kind === 'missing') {
      // Said plainly, with the whole answer below it and an operator offered: the cue words that
      // look for the detail can miss the sentence that states it, and where the answer really is
      // silent the citizen still sees everything the knowledge base knows of the service (the
      // outside writers of the dialogue sets expected the entry here far more often than a
      // refusal). The topic stays and the fallback streak does not grow.
      const body = `${t('facetMissing', lang, { topic: entry.question })}\n\n${entry.answer}`;
      const buttons: Button[] = [...feedbackButtons(entry.id, lang), operator];
      return { ...reply(ctx, 'answer', withSource(body, entry, lang), buttons), faqId: entry.id, score: r.score, alternatives: [], followUp: 'missing' };
    }
    ctx.patch.topic = topicOf([entry.id], entry.id);
    // The entry's own sentences, never a paraphrase; the whole answer one tap away.
    // A sentence cut after a semicolon starts in lower case; its first letter is the only change.
    const said = r.sentences.join(' ');
    const body = `${t('followUpAbout', lang, { topic: entry.question })}\n${said.charAt(0).toLocaleUpperCase(lang)}${said.slice(1)}`;
    const buttons: Button[] = [{ label: t('fullAnswerButton', lang), action: { type: 'choose', faqId: entry.id } }, ...feedbackButtons(entry.id, lang), operator];
    return { ...reply(ctx, 'answer', withSource(body, entry, lang), buttons), faqId: entry.id, score: r.score, alternatives: [], followUp: 'sentences' };
  }

  /** Whether offered entries all belong to one service (then a follow-up can continue it). */
  async function oneService(ids: readonly string[], lang: Lang): Promise<boolean> {
    const entries = await deps.kb.list({ enabledOnly: true });
    const family = new Set(familyOf(entries, ids[0]!, lang).ids);
    return ids.every((id) => family.has(id));
  }

  function topicOf(entries: string[], chosen: string | null): ConversationTopic {
    return { entries, chosen, at: deps.clock.now().toISOString() };
  }

  async function onButton(ctx: Ctx, button: NonNullable<ReturnType<typeof decodeButton>>): Promise<PipelineResult> {
    const { conv, lang } = ctx;
    switch (button.type) {
      case 'choose':
        return applyDecision(ctx, { action: 'answer', faqId: button.faqId, score: 1, alternatives: [] });
      case 'operator':
        return escalate(ctx, 'asked');
      case 'leave-queue':
        // Pressed on an old message after the chat already left the queue: nothing to leave.
        return reply(ctx, 'left-queue', t('leftQueue', lang));
      case 'feedback':
        await conversations.recordFeedback(conv.id, button.faqId, button.useful);
        return reply(ctx, 'feedback', t('feedbackThanks', lang));
      case 'lang':
        return reply(ctx, 'language', t('greeting', lang));
      case 'rate':
        await conversations.recordRating(conv.id, button.score);
        return reply(ctx, 'rating', t('ratingThanks', lang));
    }
  }

  async function applyDecision(ctx: Ctx, decision: Decision): Promise<PipelineResult> {
    const { conv, lang } = ctx;
    if (decision.action === 'answer') {
      const entry = await entryIn(decision.faqId, lang);
      if (!entry) return applyDecision(ctx, { action: 'fallback', score: 0, alternatives: [] });
      if (entry.category && options.escalation.categories.includes(entry.category)) return escalate(ctx, 'topic', decision.faqId);
      if (conv.fallbackStreak !== 0) ctx.patch.fallbackStreak = 0;
      ctx.patch.topic = topicOf([entry.id], entry.id);
      const buttons: Button[] = [...feedbackButtons(entry.id, lang), { label: t('operatorButton', lang), action: { type: 'operator' } }];
      return { ...reply(ctx, 'answer', answerText(entry, lang), buttons), faqId: entry.id, score: decision.score, alternatives: decision.alternatives };
    }
    if (decision.action === 'clarify') {
      const choices: Button[] = [];
      for (const id of decision.choices) {
        const entry = await entryIn(id, lang);
        if (entry) choices.push({ label: entry.question, action: { type: 'choose', faqId: id } });
      }
      if (choices.length === 0) return applyDecision(ctx, { action: 'fallback', score: decision.score, alternatives: [] });
      // Entries disabled since retrieval saw them can leave one: a one-option question is no question.
      if (choices.length === 1) return applyDecision(ctx, { action: 'answer', faqId: (choices[0]!.action as { faqId: string }).faqId, score: decision.score, alternatives: [] });
      ctx.patch.topic = topicOf(choices.map((c) => (c.action as { faqId: string }).faqId), null);
      choices.push({ label: t('operatorButton', lang), action: { type: 'operator' } });
      return { ...reply(ctx, 'clarify', t('clarify', lang), choices), score: decision.score, alternatives: decision.choices };
    }
    // A question of its own that found nothing: the old topic is over, a follow-up must not reach back to it.
    if (conv.topic && !ctx.keepTopic) ctx.patch.topic = null;
    const streak = conv.fallbackStreak + 1;
    if (streak >= 2) return escalate(ctx, 'repeated-fallback');
    ctx.patch.fallbackStreak = streak;
    const buttons: Button[] = [{ label: t('operatorButton', lang), action: { type: 'operator' } }];
    return { ...reply(ctx, 'fallback', t('fallback', lang), buttons), score: decision.score, alternatives: decision.alternatives };
  }

  /**
   * The chat joins the operators' queue. The citizen is told their place and the rough wait here,
   * once; "operators are back tomorrow" only when it is after hours and nobody is signed in to
   * the console (an operator working late answers as usual).
   */
  async function escalate(ctx: Ctx, reason: EscalationReason, faqId?: string): Promise<PipelineResult> {
    const { conv, lang } = ctx;
    const waiting = await conversations.countWaiting();
    ctx.patch = { owner: 'waiting', fallbackStreak: 0 };
    ctx.events.push({ type: 'escalated', conversationId: conv.id, reason });
    const now = deps.clock.now();
    let text: string;
    if (isOfficeOpen(now, options.officeHours) || (await operatorsOnline(ctx, now))) {
      const place = waiting + 1;
      text = t('escalated', lang, { place, wait: Math.max(5, place * (options.minutesPerWaiting ?? 3)) });
    } else {
      const next = nextOpening(now, options.officeHours);
      text = t('escalatedAfterHours', lang, { when: next ? describeOpening(next, lang) : '—' });
    }
    ctx.log.info({ reason }, 'escalated to an operator');
    return { ...reply(ctx, 'escalate', text, [leaveButton(lang)]), faqId: faqId ?? null };
  }

  async function operatorsOnline(ctx: Ctx, now: Date): Promise<boolean> {
    if (!deps.presence) return false;
    try {
      return await deps.presence.anyOnline(now);
    } catch (err) {
      // Presence only picks the wording; a failed lookup must not lose the escalation.
      ctx.log.warn({ err: (err as Error).message }, 'operator presence unknown; office hours decide');
      return false;
    }
  }

  function matchesKeyword(text: string): boolean {
    if (options.escalation.keywords.length === 0) return false;
    const folded = text.toLowerCase();
    return options.escalation.keywords.some((k) => folded.includes(k.toLowerCase()));
  }

  async function entryIn(faqId: string, lang: Lang): Promise<StoredKbEntry | undefined> {
    // The citizen's language first; an entry missing a translation is still better than nothing.
    // A Set, so the citizen's own language is not looked up twice.
    for (const l of new Set<Lang>([lang, 'ru', 'kk', 'en'])) {
      const entry = await deps.kb.get(faqId, l);
      if (entry?.enabled) return entry;
    }
    return undefined;
  }

  function reply(ctx: Ctx, action: PipelineAction, text: string, buttons?: Button[]): PipelineResult {
    const out: OutboundMessage = {
      channel: ctx.msg.channel,
      chatId: ctx.msg.chatId,
      text,
      buttons,
      inReplyTo: ctx.msg.messageId,
      lang: ctx.lang,
      traceId: ctx.msg.traceId,
    };
    return { action, lang: ctx.lang, replies: [out], faqId: null };
  }



  return { handle };
}

/** Candidates retrieved per message: the decision reads five, a follow-up looks further for the topic's entries. */
const FOLLOW_UP_CANDIDATES = 10;

/** What follow-ups derive from one knowledge-base list, kept while the list (by identity) is current. */
interface Derived {
  vocabulary: Set<string>;
  /** Per topic and language: the service family and its texts' stems. */
  families: Map<string, { ids: string[]; stems: Set<string> }>;
}

function answerText(entry: StoredKbEntry, lang: Lang): string {
  return withSource(entry.answer, entry, lang);
}

function withSource(text: string, entry: StoredKbEntry, lang: Lang): string {
  return entry.sourceUrl ? `${text}\n\n${t('source', lang)}: ${entry.sourceUrl}` : text;
}

function feedbackButtons(faqId: string, lang: Lang): Button[] {
  return [
    { label: t('usefulButton', lang), action: { type: 'feedback', faqId, useful: true } },
    { label: t('notUsefulButton', lang), action: { type: 'feedback', faqId, useful: false } },
  ];
}

function leaveButton(lang: Lang): Button {
  return { label: t('leaveQueueButton', lang), action: { type: 'leave-queue' } };
}

function languageButtons(): Button[] {
  return [
    { label: 'Қазақша', action: { type: 'lang', lang: 'kk' } },
    { label: 'Русский', action: { type: 'lang', lang: 'ru' } },
    { label: 'English', action: { type: 'lang', lang: 'en' } },
  ];
}

export type Pipeline = ReturnType<typeof createPipeline>;
