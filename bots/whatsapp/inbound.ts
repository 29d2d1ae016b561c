/**
 * Reads one Baileys message (`messages.upsert`) into the fields of an inbound envelope, or says
 * why it is none of the assistant's business. Defensive throughout: a malformed or unexpected
 * message is ignored with a reason, never thrown on.
 */
import { getContentType, normalizeMessageContent, type proto } from '@whiskeysockets/baileys';
import type { MessageKind } from '../../core/envelopes.ts';

/** What the adapter needs from one WhatsApp message. */
export interface ParsedInbound {
  chatId: string;
  userId: string;
  messageId: string;
  text: string;
  kind: MessageKind;
  replyTo?: string;
}

export type IgnoreReason =
  | 'malformed'
  | 'from-me'
  | 'status'
  | 'group'
  | 'broadcast'
  | 'newsletter'
  | 'no-content'
  | 'not-a-message';

export type InboundResult = { ok: true; message: ParsedInbound } | { ok: false; reason: IgnoreReason };

const KIND_BY_TYPE: Partial<Record<keyof proto.IMessage, MessageKind>> = {
  conversation: 'text',
  extendedTextMessage: 'text',
  audioMessage: 'voice',
  imageMessage: 'photo',
  stickerMessage: 'sticker',
  documentMessage: 'document',
};

// Things that arrive as messages but are not something a citizen said: deletions, edits and
// other protocol traffic, reactions, poll votes, pins. Answering them would be noise.
const NOT_A_MESSAGE = new Set<string>([
  'protocolMessage',
  'reactionMessage',
  'encReactionMessage',
  'pollUpdateMessage',
  'keepInChatMessage',
  'pinInChatMessage',
  'senderKeyDistributionMessage',
]);

/**
 * Groups are ignored on purpose: the assistant serves one citizen at a time, its answers (and any
 * operator hand-over) are personal, and replying in a group would answer everyone's chatter and
 * get the number reported as spam. Broadcast lists, the status feed and channels likewise.
 */
export function parseInbound(raw: unknown): InboundResult {
  if (!raw || typeof raw !== 'object') return { ok: false, reason: 'malformed' };
  const msg = raw as proto.IWebMessageInfo;
  const key = msg.key;
  const jid = key?.remoteJid;
  const id = key?.id;
  if (!key || typeof jid !== 'string' || !jid.includes('@') || typeof id !== 'string' || id === '') {
    return { ok: false, reason: 'malformed' };
  }
  if (key.fromMe) return { ok: false, reason: 'from-me' };
  if (jid === 'status@broadcast') return { ok: false, reason: 'status' };
  if (jid.endsWith('@g.us')) return { ok: false, reason: 'group' };
  if (jid.endsWith('@broadcast')) return { ok: false, reason: 'broadcast' };
  if (jid.endsWith('@newsletter')) return { ok: false, reason: 'newsletter' };

  const content = normalizeMessageContent(msg.message);
  const type = content ? getContentType(content) : undefined;
  if (!content || !type) return { ok: false, reason: 'no-content' };
  if (NOT_A_MESSAGE.has(type)) return { ok: false, reason: 'not-a-message' };

  const kind = KIND_BY_TYPE[type] ?? 'other';
  const part = content[type] as { text?: unknown; caption?: unknown; contextInfo?: { stanzaId?: unknown } } | string | null;
  const text = type === 'conversation' ? String(part ?? '') : textOf(part);
  const stanzaId = typeof part === 'object' && part ? part.contextInfo?.stanzaId : undefined;
  const participant = typeof key.participant === 'string' && key.participant ? key.participant : undefined;
  return {
    ok: true,
    message: {
      chatId: jid,
      userId: participant ?? jid,
      messageId: id,
      text,
      kind,
      ...(typeof stanzaId === 'string' && stanzaId ? { replyTo: stanzaId } : {}),
    },
  };
}

function textOf(part: { text?: unknown; caption?: unknown } | string | null): string {
  if (!part || typeof part !== 'object') return '';
  if (typeof part.text === 'string') return part.text;
  if (typeof part.caption === 'string') return part.caption;
  return '';
}
