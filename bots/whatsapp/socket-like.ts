/**
 * The part of a Baileys socket the adapter uses. The real `makeWASocket` result satisfies it;
 * tests hand in a fake that emits events and records calls.
 */
import type { AuthenticationState, BaileysEventMap, WAPresence } from '@whiskeysockets/baileys';

/** The events the adapter listens to. */
export type WAEventName = 'messages.upsert' | 'connection.update' | 'creds.update';

export interface WAEventsLike {
  on<T extends WAEventName>(event: T, listener: (arg: BaileysEventMap[T]) => void): void;
}

export interface WASocketLike {
  ev: WAEventsLike;
  /** Resolves when the server took the message; rejects with a Boom (statusCode) or a plain error. */
  sendMessage(jid: string, content: { text: string }): Promise<unknown>;
  sendPresenceUpdate(type: WAPresence, jid?: string): Promise<void>;
  /** Closes the connection; Baileys then emits `connection.update` with `connection: 'close'`. */
  end(error: Error | undefined): unknown;
}

/** Makes a connected socket for a session; called again for every reconnect. */
export type SocketFactory = (auth: AuthenticationState) => WASocketLike;

/** A Baileys session: what `makeWASocket` needs and how to persist credential changes. */
export interface WhatsAppAuth {
  state: AuthenticationState;
  saveCreds(): Promise<void>;
}
