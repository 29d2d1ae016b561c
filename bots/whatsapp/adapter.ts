/**
 * The WhatsApp channel (Baileys, WhatsApp Web multi-device). Translates `messages.upsert` into
 * inbound envelopes and outbound envelopes into paced `sendMessage` calls; the connection itself
 * (QR login, reconnects, logout) is kept by connection.ts.
 */
import { randomUUID } from 'node:crypto';
import type { InboundMessage, OutboundMessage } from '../../core/envelopes.ts';
import { PermanentError, TransientError } from '../../core/errors.ts';
import { systemClock, type ChannelAdapter, type Clock, type InboundSink, type Logger } from '../../core/ports.ts';
import { createConnection, DEFAULT_RECONNECT, type ConnectionStatus, type ReconnectOptions } from './connection.ts';
import { toDeliveryError } from './errors.ts';
import { parseInbound } from './inbound.ts';
import { createOfferedButtons } from './numbered-replies.ts';
import { createPacer, DEFAULT_PACING, realSleep, type PacingOptions, type Sleep } from './pacer.ts';
import { printQrToTerminal } from './qr.ts';
import { renderOutbound } from './render.ts';
import type { SocketFactory, WASocketLike, WhatsAppAuth } from './socket-like.ts';

export interface WhatsAppAdapterDeps {
  /** Makes a socket for the session; `createBaileysSocketFactory(...)` in production, a fake in tests. */
  socketFactory: SocketFactory;
  /** The stored session, e.g. `createPostgresAuthState(db)`. */
  authState: WhatsAppAuth;
  logger: Logger;
  clock?: Clock;
  pacing?: Partial<PacingOptions>;
  reconnect?: Partial<ReconnectOptions>;
  /** How long a numbered list can be answered by number, and for how many chats at most. */
  offeredButtons?: { ttlMs?: number; maxChats?: number };
  /** Shows the login QR; the terminal by default. */
  printQr?: (qr: string) => void;
  /** Told to the admin when the session is logged out. */
  sessionHint?: string;
  /** Runs once when WhatsApp logs the session out (e.g. the auth state's `clear`). */
  onLoggedOut?: () => Promise<void>;
  /** Test seams: time passing and randomness. */
  sleep?: Sleep;
  random?: () => number;
}

/** A ChannelAdapter for WhatsApp, plus its connection status for health checks. */
export interface WhatsAppAdapter extends ChannelAdapter {
  readonly channel: 'whatsapp';
  status(): ConnectionStatus;
}

/** Seconds a citizen waits before a retry when the socket is reconnecting. */
const NOT_CONNECTED_RETRY_MS = 5_000;

/**
 * Creates the WhatsApp adapter. `start` connects (printing a QR at first login) and returns
 * without waiting for the connection: a first login waits for a human with a phone.
 */
export function createWhatsAppAdapter(deps: WhatsAppAdapterDeps): WhatsAppAdapter {
  const clock = deps.clock ?? systemClock;
  const sleep = deps.sleep ?? realSleep;
  const random = deps.random ?? Math.random;
  const log = deps.logger.child({ channel: 'whatsapp' });
  const pacer = createPacer({ ...DEFAULT_PACING, ...deps.pacing, clock, sleep, random });
  const offered = createOfferedButtons({ ...deps.offeredButtons, clock });
  const inFlight = new Set<Promise<unknown>>();
  let sink: InboundSink | undefined;
  let intake: Promise<void> = Promise.resolve();
  let stopped = false;
  let stopping: Promise<void> | undefined;

  const connection = createConnection({
    socketFactory: deps.socketFactory,
    authState: deps.authState,
    logger: log,
    sleep,
    random,
    reconnect: { ...DEFAULT_RECONNECT, ...deps.reconnect },
    printQr: deps.printQr ?? ((qr) => printQrToTerminal(qr)),
    sessionHint: deps.sessionHint ?? "`DELETE FROM whatsapp_auth WHERE key LIKE 'default:%'` (or the auth state's clear())",
    onLoggedOut: deps.onLoggedOut,
    onSocket: (sock) => {
      sock.ev.on('messages.upsert', (upsert) => {
        if (stopped) return;
        // One chain keeps WhatsApp's order across upserts; a failure never breaks the chain.
        intake = intake.then(() => onUpsert(sock, upsert)).catch((err: unknown) => log.error({ err }, 'WhatsApp upsert failed'));
      });
    },
  });

  async function onUpsert(sock: WASocketLike, upsert: unknown): Promise<void> {
    if (!upsert || typeof upsert !== 'object') return;
    const { type, messages } = upsert as { type?: unknown; messages?: unknown };
    // 'append' carries history and our own sends synced from other devices, not new questions.
    if (type !== 'notify' || !Array.isArray(messages)) return;
    for (const raw of messages) {
      if (stopped) return;
      await onMessage(sock, raw);
    }
  }

  async function onMessage(sock: WASocketLike, raw: unknown): Promise<void> {
    const parsed = parseInbound(raw);
    if (!parsed.ok) {
      log.debug({ reason: parsed.reason }, 'WhatsApp message ignored');
      return;
    }
    const m = parsed.message;
    const inbound: InboundMessage = {
      channel: 'whatsapp',
      chatId: m.chatId,
      userId: m.userId,
      messageId: m.messageId,
      text: m.text,
      kind: m.kind,
      receivedAt: clock.now().toISOString(),
      traceId: randomUUID(),
      ...(m.replyTo ? { replyTo: m.replyTo } : {}),
    };
    if (m.kind === 'text') {
      const choice = offered.resolve(m.chatId, m.text);
      if (choice) {
        // The envelope of a button press: the label as text, the button's data as callbackData.
        inbound.text = choice.label;
        inbound.callbackData = choice.callbackData;
        offered.offer(m.chatId, []);
      }
    }
    try {
      await sink!.push(inbound);
    } catch (err) {
      // WhatsApp will not redeliver; the loss is logged so it can be noticed and counted.
      log.error({ err, traceId: inbound.traceId, messageId: inbound.messageId }, 'WhatsApp message could not be queued');
      return;
    }
    log.debug({ traceId: inbound.traceId, messageId: inbound.messageId, kind: inbound.kind }, 'WhatsApp message queued');
    presence(sock, 'composing', m.chatId);
  }

  function presence(sock: WASocketLike, type: 'composing' | 'paused', jid: string): void {
    sock.sendPresenceUpdate(type, jid).catch((err: unknown) => log.debug({ err, type }, 'WhatsApp presence update failed'));
  }

  async function send(message: OutboundMessage): Promise<void> {
    if (message.receipt) {
      // No text follows (a person has the chat): only the "typing…" shown on intake is ended.
      const sock = connection.openSocket();
      if (sock) presence(sock, 'paused', message.chatId);
      return;
    }
    const status = connection.status();
    if (status === 'logged-out') throw new PermanentError('WhatsApp session is logged out; scan a new QR code');
    const rendered = renderOutbound(message);
    let sock: WASocketLike | undefined;
    try {
      await pacer.run(message.chatId, async () => {
        // Taken in turn, not before: the connection may have changed while this waited.
        sock = connection.openSocket();
        if (!sock) throw new TransientError(`WhatsApp is not connected (${connection.status()})`, { retryAfterMs: NOT_CONNECTED_RETRY_MS });
        await sock.sendMessage(message.chatId, { text: rendered.text });
      });
    } catch (err) {
      const mapped = toDeliveryError(err);
      log.warn({ err: mapped, traceId: message.traceId, retry: mapped instanceof TransientError }, 'WhatsApp send failed');
      throw mapped;
    }
    offered.offer(message.chatId, rendered.choices);
    if (sock) presence(sock, 'paused', message.chatId);
  }

  return {
    channel: 'whatsapp',
    status: () => (stopped ? 'stopped' : connection.status()),

    async start(s) {
      if (stopped) throw new Error('WhatsApp adapter was stopped; create a new one');
      if (sink) throw new Error('WhatsApp adapter already started');
      sink = s;
      connection.start();
    },

    async deliver(message) {
      if (stopped) throw new TransientError('WhatsApp adapter is stopping', { retryAfterMs: NOT_CONNECTED_RETRY_MS });
      const p = send(message);
      inFlight.add(p);
      try {
        await p;
      } finally {
        inFlight.delete(p);
      }
    },

    stop() {
      return (stopping ??= (async () => {
        stopped = true;
        // Messages already taken in are queued, sends already started complete, then the socket ends.
        await intake;
        await Promise.allSettled([...inFlight]);
        await connection.stop();
        log.info({}, 'WhatsApp adapter stopped');
      })());
    },
  };
}
