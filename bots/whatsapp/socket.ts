/**
 * The real socket factory: Baileys' `makeWASocket` with Kömek's settings. Kept apart from the
 * adapter so tests inject a fake socket and never open a connection to WhatsApp.
 */
import {
  Browsers,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  makeCacheableSignalKeyStore,
  makeWASocket,
  type proto,
} from '@whiskeysockets/baileys';
import type { Logger } from '../../core/ports.ts';
import type { SocketFactory, WASocketLike } from './socket-like.ts';

export interface BaileysSocketOptions {
  logger: Logger;
  /** Baileys is chatty; below this level its lines are dropped. */
  level?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** Name shown in the phone's "Linked devices". */
  deviceName?: string;
  /** Sent messages kept for WhatsApp's retry requests (see `getMessage`). */
  sentCacheSize?: number;
  /** WhatsApp's WebSocket endpoint; Baileys' default unless a proxy or a test needs another. */
  webSocketUrl?: string;
  /** Give up on a connection attempt after this long (Baileys' default 20 s). */
  connectTimeoutMs?: number;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

/** Baileys' logger type (not exported by name from the package root). */
export type ILogger = NonNullable<Parameters<typeof makeWASocket>[0]['logger']>;

/**
 * Creates `(auth) => socket` for the adapter. Signal keys are cached in memory in front of the
 * database store (Baileys reads them for every message). Groups, broadcasts and channels are
 * not even decrypted: the adapter ignores them anyway.
 */
export function createBaileysSocketFactory(opts: BaileysSocketOptions): SocketFactory {
  const logger = toBaileysLogger(opts.logger.child({ component: 'baileys' }), opts.level ?? 'warn');
  const sent = boundedCache<proto.IMessage>(opts.sentCacheSize ?? 1_000);
  return (auth) => {
    const sock = makeWASocket({
      auth: { creds: auth.creds, keys: makeCacheableSignalKeyStore(auth.keys, logger) },
      printQRInTerminal: false,
      logger,
      browser: Browsers.ubuntu(opts.deviceName ?? 'Kömek'),
      // Keeps the phone's own notifications on: an operator may still use the phone.
      markOnlineOnConnect: false,
      syncFullHistory: false,
      shouldIgnoreJid: (jid) => Boolean(isJidGroup(jid) || isJidBroadcast(jid) || isJidNewsletter(jid)),
      // When a citizen's phone fails to decrypt a reply it asks for it again; without the
      // original they would see "waiting for this message".
      getMessage: async (key) => (key.id ? sent.get(key.id) : undefined),
      ...(opts.webSocketUrl ? { waWebSocketUrl: opts.webSocketUrl } : {}),
      ...(opts.connectTimeoutMs ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
    });
    const socket: WASocketLike = {
      ev: sock.ev,
      async sendMessage(jid, content) {
        const msg = await sock.sendMessage(jid, content);
        if (msg?.key.id && msg.message) sent.set(msg.key.id, msg.message);
        return msg;
      },
      sendPresenceUpdate: (type, jid) => sock.sendPresenceUpdate(type, jid),
      end: (error) => sock.end(error),
    };
    return socket;
  };
}

/** Baileys wants a pino-shaped logger with `level` and `trace`; core's Logger has neither. */
export function toBaileysLogger(logger: Logger, level: (typeof LEVELS)[number]): ILogger {
  const min = LEVELS.indexOf(level);
  const on = (l: (typeof LEVELS)[number]) => LEVELS.indexOf(l) >= min;
  const asObj = (obj: unknown): object => (obj && typeof obj === 'object' ? obj : { detail: obj });
  return {
    level,
    child: (bindings) => toBaileysLogger(logger.child(bindings), level),
    trace: (obj, msg) => on('trace') && logger.debug(asObj(obj), msg),
    debug: (obj, msg) => on('debug') && logger.debug(asObj(obj), msg),
    info: (obj, msg) => on('info') && logger.info(asObj(obj), msg),
    warn: (obj, msg) => on('warn') && logger.warn(asObj(obj), msg),
    error: (obj, msg) => on('error') && logger.error(asObj(obj), msg),
  };
}

function boundedCache<V>(max: number): { get(k: string): V | undefined; set(k: string, v: V): void } {
  const map = new Map<string, V>();
  return {
    get: (k) => map.get(k),
    set(k, v) {
      map.delete(k);
      map.set(k, v);
      if (map.size > max) map.delete(map.keys().next().value!);
    },
  };
}
