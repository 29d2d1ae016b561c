/**
 * Where web-chat replies meet the browser connections waiting for them. A reply may be delivered
 * by a process other than the one holding the citizen's SSE connection, so delivery goes through
 * a hub: in memory within one process, or relayed over Redis pub/sub between processes
 * (queue/redis-web-hub.ts, which the composition root hands this process's memory hub). Recent
 * events are buffered per session so a reconnecting page (SSE Last-Event-ID) misses nothing.
 */
import type { Lang } from '../../core/lang.ts';

export interface WebEvent {
  id: number;
  text: string;
  buttons: { label: string; data: string }[];
  lang?: Lang;
  inReplyTo?: string;
  /** A person wrote this (the page shows their name and styles it apart from the bot). */
  from?: { role: 'operator'; name: string };
  /** No reply will follow this message (a person has the chat): the page stops "typing…". */
  receipt?: 'relayed';
  /** 'citizen': the citizen's own message, replayed so a reloaded page shows both sides. */
  author?: 'citizen';
  /** The page's id of a citizen's message: a page that sent it does not show it twice. */
  clientId?: string;
}

export type WebEventInput = Omit<WebEvent, 'id'>;

export interface WebHub {
  publish(session: string, event: WebEventInput): Promise<void>;
  /** Calls `listener` for events after `afterId` (buffered ones first), then for new ones. */
  subscribe(session: string, listener: (event: WebEvent) => void, afterId?: number): () => void;
  close(): Promise<void>;
}

export interface MemoryHubOptions {
  /** Events kept per session for reconnects. */
  keep?: number;
  /** Sessions kept; the least recently active are forgotten first. */
  maxSessions?: number;
}

interface Session {
  nextId: number;
  events: WebEvent[];
  listeners: Set<(event: WebEvent) => void>;
}

/** A hub within one process. */
export function createMemoryHub(opts: MemoryHubOptions = {}): WebHub & { deliverLocal(session: string, event: WebEventInput): void } {
  // Both sides of the conversation: about fifty exchanges.
  const keep = opts.keep ?? 100;
  const maxSessions = opts.maxSessions ?? 10_000;
  const sessions = new Map<string, Session>();

  function session(id: string): Session {
    let s = sessions.get(id);
    if (s) sessions.delete(id);
    else s = { nextId: 1, events: [], listeners: new Set() };
    sessions.set(id, s); // re-inserted: Map order is recency order
    if (sessions.size > maxSessions) {
      for (const [key, old] of sessions) {
        if (sessions.size <= maxSessions) break;
        if (old.listeners.size === 0) sessions.delete(key);
      }
    }
    return s;
  }

  function deliverLocal(id: string, input: WebEventInput): void {
    const s = session(id);
    // A page resends a message it could not get queued (busy, network) under the same id.
    if (input.clientId && s.events.some((e) => e.clientId === input.clientId)) return;
    const event = { ...input, id: s.nextId++ };
    s.events.push(event);
    if (s.events.length > keep) s.events.shift();
    for (const l of s.listeners) l(event);
  }

  return {
    deliverLocal,
    async publish(id, input) {
      deliverLocal(id, input);
    },
    subscribe(id, listener, afterId = 0) {
      const s = session(id);
      for (const e of s.events) if (e.id > afterId) listener(e);
      s.listeners.add(listener);
      return () => s.listeners.delete(listener);
    },
    async close() {
      sessions.clear();
    },
  };
}
