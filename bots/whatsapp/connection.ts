/**
 * Keeps one WhatsApp socket alive: makes it, shows the QR on first login, saves credentials as
 * they change, and reconnects with capped exponential backoff when the connection drops. A
 * logged-out session stops for good: reconnecting would only show new QR codes to nobody.
 */
import { DisconnectReason } from '@whiskeysockets/baileys';
import type { BaileysEventMap } from '@whiskeysockets/baileys';
import type { Logger } from '../../core/ports.ts';
import { statusCodeOf } from './errors.ts';
import type { Sleep } from './pacer.ts';
import type { SocketFactory, WASocketLike, WhatsAppAuth } from './socket-like.ts';

export type ConnectionStatus = 'idle' | 'connecting' | 'open' | 'logged-out' | 'replaced' | 'stopped';

export interface ReconnectOptions {
  /** First delay after a drop. */
  baseMs: number;
  /** Ceiling of the doubling delay. */
  maxMs: number;
}

export const DEFAULT_RECONNECT: ReconnectOptions = { baseMs: 1_000, maxMs: 60_000 };

export interface ConnectionDeps {
  socketFactory: SocketFactory;
  authState: WhatsAppAuth;
  logger: Logger;
  sleep: Sleep;
  random: () => number;
  reconnect: ReconnectOptions;
  /** Shows a login QR to whoever runs the process. */
  printQr: (qr: string) => void;
  /** How to delete the stored session, for the logged-out message. */
  sessionHint: string;
  /** Called with every new socket, before it connects, to subscribe to its messages. */
  onSocket: (socket: WASocketLike) => void;
  /** Called once when the session is logged out (e.g. to delete it). */
  onLoggedOut?: () => Promise<void>;
}

export interface Connection {
  start(): void;
  status(): ConnectionStatus;
  /** The socket when the connection is open, else undefined. */
  openSocket(): WASocketLike | undefined;
  /** Ends the socket and any pending reconnect. Idempotent. */
  stop(): Promise<void>;
}

/** Delay before reconnect number `attempt` (0-based): doubling from `baseMs`, capped, ±20 % jitter. */
export function backoffDelay(attempt: number, opts: ReconnectOptions, random: () => number): number {
  const plain = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(Math.min(opts.maxMs, plain * (0.8 + 0.4 * random())));
}

type CloseAction = 'restart' | 'logged-out' | 'replaced' | 'retry';

/** What a close with `status` calls for. */
export function closeAction(status: number | undefined): CloseAction {
  // After a QR scan WhatsApp closes on purpose so the client reconnects with its new credentials.
  if (status === DisconnectReason.restartRequired) return 'restart';
  if (status === DisconnectReason.loggedOut || status === DisconnectReason.forbidden) return 'logged-out';
  // Another client took over this session (a second Kömek process with the same number): fighting
  // over it would make both reconnect forever.
  if (status === DisconnectReason.connectionReplaced) return 'replaced';
  return 'retry';
}

export function createConnection(deps: ConnectionDeps): Connection {
  const log = deps.logger;
  let status: ConnectionStatus = 'idle';
  let socket: WASocketLike | undefined;
  let generation = 0;
  let attempt = 0;
  const stopping = new AbortController();
  // Ending a socket makes Baileys emit one more close; a socket is mourned once.
  const closed = new WeakSet<WASocketLike>();

  function connect(): void {
    if (status === 'stopped' || status === 'logged-out' || status === 'replaced') return;
    status = 'connecting';
    const mine = ++generation;
    let sock: WASocketLike;
    try {
      sock = deps.socketFactory(deps.authState.state);
    } catch (err) {
      log.error({ err }, 'WhatsApp socket could not be created');
      void scheduleReconnect(mine, 'retry');
      return;
    }
    socket = sock;
    // Events of a replaced socket are stale: only the newest generation may act.
    const current = () => mine === generation && status !== 'stopped';
    sock.ev.on('creds.update', () => {
      if (!current()) return;
      deps.authState.saveCreds().catch((err: unknown) => log.error({ err }, 'WhatsApp credentials could not be saved'));
    });
    sock.ev.on('connection.update', (update) => {
      if (!current()) return;
      try {
        onUpdate(mine, sock, update);
      } catch (err) {
        log.error({ err }, 'WhatsApp connection update failed');
      }
    });
    deps.onSocket(sock);
  }

  function onUpdate(mine: number, sock: WASocketLike, update: BaileysEventMap['connection.update']): void {
    if (update.qr) {
      log.info({}, 'WhatsApp login: scan the QR code with the phone (WhatsApp → Linked devices → Link a device)');
      deps.printQr(update.qr);
    }
    if (update.connection === 'open') {
      status = 'open';
      attempt = 0;
      log.info({}, 'WhatsApp connected');
    } else if (update.connection === 'close') {
      if (closed.has(sock)) return;
      closed.add(sock);
      const code = statusCodeOf(update.lastDisconnect?.error);
      const action = closeAction(code);
      socket = undefined;
      safeEnd(sock);
      if (action === 'logged-out') return loggedOut(code);
      if (action === 'replaced') {
        status = 'replaced';
        log.error({ status: code }, 'WhatsApp session opened elsewhere (another process uses this number): not reconnecting. Run WhatsApp in one process only, then restart.');
        return;
      }
      log.warn({ status: code, attempt }, 'WhatsApp connection closed; reconnecting');
      void scheduleReconnect(mine, action);
    }
  }

  function loggedOut(code: number | undefined): void {
    status = 'logged-out';
    log.error({ status: code }, `WhatsApp logged out: delete the session with ${deps.sessionHint} and scan again. Not reconnecting.`);
    deps.onLoggedOut?.().catch((err: unknown) => log.error({ err }, 'WhatsApp logged-out hook failed'));
  }

  async function scheduleReconnect(mine: number, action: 'restart' | 'retry'): Promise<void> {
    status = 'connecting';
    const delay = action === 'restart' ? 0 : backoffDelay(attempt++, deps.reconnect, deps.random);
    if (delay > 0) await deps.sleep(delay, stopping.signal);
    if (mine !== generation || stopping.signal.aborted) return;
    connect();
  }

  function safeEnd(sock: WASocketLike): void {
    try {
      const ended = sock.end(undefined);
      if (ended instanceof Promise) ended.catch(() => undefined);
    } catch {
      // Already closed: nothing to end.
    }
  }

  return {
    start() {
      if (status !== 'idle') throw new Error(`WhatsApp connection already ${status}`);
      connect();
    },
    status: () => status,
    openSocket: () => (status === 'open' ? socket : undefined),
    async stop() {
      if (status === 'stopped') return;
      status = 'stopped';
      stopping.abort();
      const sock = socket;
      socket = undefined;
      if (sock) {
        closed.add(sock);
        safeEnd(sock);
      }
    },
  };
}
