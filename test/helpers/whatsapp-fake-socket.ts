/**
 * A stand-in for a Baileys socket, for the adapter's tests (a test double, so it lives here and
 * not among the adapter's production files): events are
 * emitted by hand, sends and presence updates are recorded. Behaves like the real one where the
 * adapter depends on it: `end()` emits one `connection.update` close, only once.
 */
import { EventEmitter } from 'node:events';
import type { AuthenticationState, BaileysEventMap, WAPresence } from '@whiskeysockets/baileys';
import type { SocketFactory, WAEventName, WASocketLike } from '../../bots/whatsapp/socket-like.ts';

export interface FakeSocket extends WASocketLike {
  emit<T extends WAEventName>(event: T, arg: BaileysEventMap[T]): void;
  /** Emits `connection: 'open'`. */
  open(): void;
  /** Closes as the server would, with a Boom-like error of `statusCode`. */
  close(statusCode: number): void;
  sent: { jid: string; text: string }[];
  presence: { type: WAPresence; jid?: string }[];
  ended: boolean;
  /** Makes the next sends reject with `err` (once each). */
  failNextSend(...errs: unknown[]): void;
}

export function createFakeSocket(): FakeSocket {
  const emitter = new EventEmitter();
  const failures: unknown[] = [];
  const fake: FakeSocket = {
    ev: { on: (event, listener) => void emitter.on(event, listener as (arg: unknown) => void) },
    emit: (event, arg) => void emitter.emit(event, arg),
    open: () => fake.emit('connection.update', { connection: 'open' }),
    close(statusCode) {
      if (fake.ended) return;
      fake.ended = true;
      const error = Object.assign(new Error(`closed ${statusCode}`), { output: { statusCode } });
      fake.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
    },
    sent: [],
    presence: [],
    ended: false,
    failNextSend: (...errs) => void failures.push(...errs),
    async sendMessage(jid, content) {
      if (failures.length > 0) throw failures.shift();
      fake.sent.push({ jid, text: content.text });
      return { key: { id: `sent-${fake.sent.length}`, remoteJid: jid, fromMe: true } };
    },
    async sendPresenceUpdate(type, jid) {
      fake.presence.push({ type, jid });
    },
    end() {
      fake.close(428);
    },
  };
  return fake;
}

/** A factory that makes a new fake per connect and keeps them all, newest last. */
export function fakeSocketFactory(): SocketFactory & { sockets: FakeSocket[]; auths: AuthenticationState[]; latest(): FakeSocket } {
  const sockets: FakeSocket[] = [];
  const auths: AuthenticationState[] = [];
  const factory = (auth: AuthenticationState) => {
    auths.push(auth);
    const s = createFakeSocket();
    sockets.push(s);
    return s;
  };
  return Object.assign(factory, {
    sockets,
    auths,
    latest: () => {
      const s = sockets.at(-1);
      if (!s) throw new Error('no socket made yet');
      return s;
    },
  });
}
