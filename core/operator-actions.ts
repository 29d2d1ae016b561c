/**
 * What an operator can do with a conversation: claim it, reply through the citizen's own channel,
 * hand it to a colleague, give it back to the bot, or close it and ask for a rating. Core decides
 * who may do what; the database only makes each transition atomic.
 */
import { randomUUID } from 'node:crypto';
import type { Button, OutboundMessage } from './envelopes.ts';
import type { Lang } from './lang.ts';
import type {
  AuditTrail,
  Clock,
  Conversation,
  ConversationEvents,
  ConversationStore,
  Logger,
  OperatorConversations,
  OutboundSink,
  StoredMessage,
} from './ports.ts';
import { t } from './texts.ts';
import { OperatorActionError } from './operator-errors.ts';

export type OperatorRole = 'operator' | 'admin';

/** The signed-in person acting in the console. */
export interface OperatorActor {
  id: string;
  role: OperatorRole;
  /** The name citizens see ("Айгерим (оператор) қосылды", "🧑‍💼 Айгерим: …"); the username when the account has none. */
  displayName: string;
}

export interface OperatorActionsDeps {
  conversations: OperatorConversations;
  store: Pick<ConversationStore, 'addMessage'>;
  outbound: OutboundSink;
  audit: AuditTrail;
  events?: ConversationEvents;
  clock: Clock;
  logger: Logger;
}

/** Longest operator reply; messengers cap messages near 4096 characters. */
export const MAX_REPLY_CHARS = 4000;

/** Creates the operator use cases. Each throws {@link OperatorActionError} when refused. */
export function createOperatorActions(deps: OperatorActionsDeps) {
  const { conversations, audit, clock } = deps;

  async function load(id: string): Promise<Conversation> {
    const conv = await conversations.get(id);
    if (!conv) throw new OperatorActionError('not-found', 'conversation not found');
    return conv;
  }

  /** Takes a waiting conversation; a second operator clicking the same chat gets a conflict. */
  async function claim(actor: OperatorActor, id: string): Promise<Conversation> {
    const won = await conversations.claim(id, actor.id, clock.now());
    if (!won) {
      const conv = await load(id);
      if (conv.owner === 'operator' && conv.operatorId === actor.id) return conv;
      throw new OperatorActionError('conflict', conv.owner === 'operator' ? 'already claimed by another operator' : `conversation is not waiting (${conv.owner})`, {
        owner: conv.owner,
        operatorId: conv.operatorId,
      });
    }
    await note(won.conversation, `${actor.displayName} took the conversation`, actor.id, 'claimed');
    await audit.record({ operatorId: actor.id, action: 'claim', target: id, details: { waitedMs: won.waitedMs } });
    changed(won.conversation);
    await joined(won.conversation, actor);
    return won.conversation;
  }

  /**
   * Tells the citizen a person, by name, has the chat now. The claim already stands, so a notice
   * that cannot be queued is logged rather than failing it (the operator's first reply carries
   * the name anyway).
   */
  async function joined(conv: Conversation, who: { id: string; displayName: string }): Promise<void> {
    try {
      await tell(conv, t('operatorJoined', langOf(conv), { name: who.displayName }), who.id, 'operator-joined');
    } catch (err) {
      deps.logger.warn({ conversationId: conv.id, err: (err as Error).message }, 'could not tell the citizen an operator joined');
    }
  }

  /** Sends `text` to the citizen through their channel and stores it as the operator's message. */
  async function reply(actor: OperatorActor, id: string, text: string): Promise<StoredMessage> {
    const body = text.trim();
    if (!body) throw new OperatorActionError('invalid', 'reply is empty');
    if ([...body].length > MAX_REPLY_CHARS) throw new OperatorActionError('invalid', `reply is longer than ${MAX_REPLY_CHARS} characters`);
    const conv = await load(id);
    if (conv.owner !== 'operator') throw new OperatorActionError('conflict', 'claim the conversation before replying', { owner: conv.owner });
    if (conv.operatorId !== actor.id) throw new OperatorActionError('conflict', 'another operator owns this conversation', { operatorId: conv.operatorId });
    const traceId = `op-${randomUUID()}`;
    // Sent first: a reply that never left must not look delivered in the history.
    await deps.outbound.send({ ...outbound(conv, body, traceId), from: { role: 'operator', name: actor.displayName } });
    const stored = await deps.store.addMessage(message(conv, 'operator', body, null, actor.id, traceId));
    await audit.record({ operatorId: actor.id, action: 'reply', target: id, details: { chars: [...body].length } });
    deps.logger.info({ traceId, conversationId: id, operatorId: actor.id }, 'operator reply sent');
    return stored;
  }

  /** Hands the conversation to `target`; only its owner or an admin may. */
  async function transfer(actor: OperatorActor, id: string, target: { id: string; displayName: string }): Promise<Conversation> {
    const conv = await load(id);
    if (conv.owner !== 'operator') throw new OperatorActionError('conflict', 'only a claimed conversation can be transferred', { owner: conv.owner });
    mayManage(actor, conv);
    if (conv.operatorId === target.id) throw new OperatorActionError('invalid', 'the conversation already belongs to this operator');
    const moved = await conversations.transfer(id, target.id, conv.operatorId);
    if (!moved) throw new OperatorActionError('conflict', 'the conversation changed meanwhile; reload it');
    await note(moved, `${actor.displayName} handed the conversation to ${target.displayName}`, target.id, 'transferred');
    await audit.record({ operatorId: actor.id, action: 'transfer', target: id, details: { from: conv.operatorId, to: target.id } });
    changed(moved);
    await joined(moved, target);
    return moved;
  }

  /** Gives the chat back to the bot, which answers the citizen's next message again. */
  async function returnToBot(actor: OperatorActor, id: string): Promise<Conversation> {
    const conv = await release(actor, id, 'bot');
    await tell(conv, t('returnedToBot', langOf(conv)), actor.id, 'returned-to-bot');
    return conv;
  }

  /** Ends the conversation and asks the citizen to rate the help 1–5 in their language. */
  async function close(actor: OperatorActor, id: string): Promise<Conversation> {
    const conv = await release(actor, id, 'closed');
    const buttons: Button[] = ([1, 2, 3, 4, 5] as const).map((score) => ({ label: `${'★'.repeat(score)}`, action: { type: 'rate', score } }));
    await tell(conv, t('rateHelp', langOf(conv)), actor.id, 'rate-request', buttons);
    return conv;
  }

  async function release(actor: OperatorActor, id: string, owner: 'bot' | 'closed'): Promise<Conversation> {
    const conv = await load(id);
    if (conv.owner !== 'waiting' && conv.owner !== 'operator') {
      throw new OperatorActionError('conflict', `conversation is already ${conv.owner === 'bot' ? 'with the bot' : conv.owner}`, { owner: conv.owner });
    }
    if (conv.owner === 'operator') mayManage(actor, conv);
    const done = await conversations.release(id, owner, conv.operatorId);
    if (!done) throw new OperatorActionError('conflict', 'the conversation changed meanwhile; reload it');
    await audit.record({ operatorId: actor.id, action: owner === 'bot' ? 'return-to-bot' : 'close', target: id, details: { from: conv.owner } });
    changed(done);
    return done;
  }

  async function tell(conv: Conversation, text: string, operatorId: string, action: string, buttons?: Button[]): Promise<void> {
    const traceId = `op-${randomUUID()}`;
    await deps.outbound.send({ ...outbound(conv, text, traceId), buttons });
    await deps.store.addMessage(message(conv, 'bot', text, action, operatorId, traceId));
  }

  /**
   * A system line in the history. Besides telling colleagues what happened, it is what other
   * console processes notice: the message table is their change feed.
   */
  async function note(conv: Conversation, text: string, operatorId: string, action: string): Promise<void> {
    await deps.store.addMessage({ ...message(conv, 'bot', text, action, operatorId, `op-${randomUUID()}`), author: 'system' });
  }

  function changed(conv: Conversation): void {
    deps.events?.emit({ type: 'owner-changed', conversationId: conv.id, owner: conv.owner });
  }

  return { claim, reply, transfer, returnToBot, close };
}

export type OperatorActions = ReturnType<typeof createOperatorActions>;

function mayManage(actor: OperatorActor, conv: Conversation): void {
  if (conv.operatorId !== actor.id && actor.role !== 'admin') {
    throw new OperatorActionError('forbidden', 'another operator owns this conversation', { operatorId: conv.operatorId });
  }
}

const langOf = (conv: Conversation): Lang => conv.lang ?? 'kk';

function outbound(conv: Conversation, text: string, traceId: string): OutboundMessage {
  return { channel: conv.channel, chatId: conv.chatId, text, lang: langOf(conv), traceId };
}

function message(conv: Conversation, author: 'operator' | 'bot', text: string, action: string | null, operatorId: string, traceId: string) {
  return {
    conversationId: conv.id,
    author,
    text,
    kind: 'text',
    lang: conv.lang,
    action,
    faqId: null,
    score: null,
    platformMessageId: null,
    operatorId,
    traceId,
  } as const;
}
