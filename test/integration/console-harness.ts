/**
 * A console on a test database: the real repositories and pipeline (with a scripted retriever),
 * a recording outbound sink, operators ready to sign in, and a tiny cookie-keeping client.
 */
import type { Hono } from 'hono';
import type { InboundMessage, OutboundMessage } from '../../core/envelopes.ts';
import { createPipeline } from '../../core/pipeline.ts';
import type { OutboundSink } from '../../core/ports.ts';
import { systemClock } from '../../core/ports.ts';
import { createHttpApp } from '../../app/http.ts';
import { createConsoleStores } from '../../app/operator-console.ts';
import { createConsoleMount, type ConsoleDeps } from '../../console/index.ts';
import { createConversationStore } from '../../db/conversation-store.ts';
import { createKbRepository } from '../../db/kb-repository.ts';
import { createOperatorAccounts } from '../../db/operator-accounts.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { entry, letterDetector, recordingLogger, scriptedRetriever } from '../helpers/fakes.ts';

export const PASSWORD = 'correct horse battery';

export function recordingSink(): OutboundSink & { sent: OutboundMessage[]; waitFor(n: number, ms?: number): Promise<void> } {
  const sent: OutboundMessage[] = [];
  return {
    sent,
    async send(m) {
      sent.push(m);
    },
    async waitFor(n, ms = 5000) {
      const until = Date.now() + ms;
      while (sent.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} outbound messages, got ${sent.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

export async function consoleHarness(test: TestDatabase, options: ConsoleDeps['options'] = {}, extra: Partial<Pick<ConsoleDeps, 'onKbChanged' | 'modelStatus' | 'config'>> = {}) {
  const db = test.database.db;
  const kb = createKbRepository(db);
  await kb.import(
    [
      entry('id-card', 'ru', 'Как получить удостоверение личности?', 'Обратитесь в ЦОН с документами.'),
      entry('id-card', 'kk', 'Жеке куәлікті қалай алуға болады?', 'ХҚКО-ға барыңыз.'),
      entry('id-card', 'en', 'How do I get an ID card?', 'Go to a Public Service Centre.'),
    ],
    { changedBy: 'test' },
  );
  const conversations = createConversationStore(db);
  const outbound = recordingSink();
  const logger = recordingLogger();
  const consoleMount = createConsoleMount({
    stores: createConsoleStores(db, kb),
    kb,
    conversations,
    outbound,
    logger,
    config: { http: { port: 0, host: '127.0.0.1' } },
    clock: systemClock,
    options: { pollMs: 100, ...options },
    ...extra,
  });
  await consoleMount.init();
  const pipeline = createPipeline({
    kb,
    retriever: scriptedRetriever({ удостоверение: [{ faqId: 'id-card', score: 0.95 }], 'ID card': [{ faqId: 'id-card', score: 0.95 }] }),
    detector: letterDetector,
    conversations,
    events: consoleMount.events,
    clock: systemClock,
    logger,
    options: {
      thresholds: { answer: 0.6, clarify: 0.3, margin: 0.1 },
      maxMessageChars: 2000,
      escalation: { categories: [], keywords: [] },
      // Always open, so the wait estimate (not the after-hours text) is what citizens get.
      officeHours: { from: '00:00', to: '23:59', days: [1, 2, 3, 4, 5, 6, 7], timezone: 'Asia/Almaty' },
    },
  });
  const app = createHttpApp({ logger, ready: async () => {}, mounts: [consoleMount.mount] });
  const accounts = createOperatorAccounts(db);
  const aigerim = await accounts.add({ username: 'aigerim', password: PASSWORD, role: 'operator', displayName: 'Айгерім' });
  const daniyar = await accounts.add({ username: 'daniyar', password: PASSWORD, role: 'operator', displayName: 'Данияр' });
  const admin = await accounts.add({ username: 'admin', password: PASSWORD, role: 'admin', displayName: 'Әкімші' });
  let seq = 0;

  /** A citizen writes in `chatId`; returns the pipeline's result. */
  function citizen(chatId: string, text: string, extra: Partial<InboundMessage> = {}) {
    seq++;
    return pipeline.handle({
      channel: 'telegram',
      chatId,
      userId: `u-${chatId}`,
      messageId: `m${seq}`,
      text,
      kind: 'text',
      receivedAt: new Date().toISOString(),
      traceId: `t${seq}`,
      ...extra,
    });
  }

  return { db, kb, conversations, outbound, logger, console: consoleMount, pipeline, app, accounts, operators: { aigerim, daniyar, admin }, citizen };
}

export interface Client {
  csrf: string;
  cookie: string;
  call(method: string, path: string, body?: unknown, opts?: { csrf?: boolean }): Promise<{ status: number; json: any }>;
}

/** Signs in through the API and returns a client that sends the cookie and the CSRF header. */
export async function signIn(app: Hono, username: string, password = PASSWORD): Promise<Client> {
  const res = await app.request('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    csrf: csrfToken,
    cookie,
    async call(method, path, body, opts = {}) {
      const headers: Record<string, string> = { cookie };
      if (opts.csrf !== false) headers['x-csrf-token'] = csrfToken;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const r = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await r.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: r.status, json };
    },
  };
}
