/**
 * The web-chat channel: the citizen page at `/` (its script and styles under `/chat/assets/`),
 * messages in by POST `/chat/messages`, replies
 * out by Server-Sent Events on `/chat/events?session=…`. A session id (kept by the page in
 * localStorage) is both the chat and the citizen, and the key to read its replies.
 */
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import type { InboundMessage, OutboundMessage } from '../../core/envelopes.ts';
import { encodeButton } from '../../core/envelopes.ts';
import { TransientError } from '../../core/errors.ts';
import type { ChannelAdapter, InboundSink, Logger } from '../../core/ports.ts';
import { busyResponse } from './busy.ts';
import type { WebHub } from './hub.ts';
import { chatPage } from './page.ts';
import { chatPostSchema, sessionId } from './request.ts';

export interface WebAdapterOptions {
  hub: WebHub;
  logger: Logger;
  /** Bytes; larger POST bodies are refused with 413. */
  maxBodyBytes?: number;
  /** Comment lines keep proxies from closing an idle stream. */
  keepAliveMs?: number;
  /** The longest message the bot reads; the page counts against it (default 2000). */
  maxMessageChars?: number;
}

export interface WebAdapter extends ChannelAdapter {
  mount(app: Hono): void;
}

export function createWebAdapter(opts: WebAdapterOptions): WebAdapter {
  const log = opts.logger.child({ channel: 'web' });
  let sink: InboundSink | undefined;
  const streams = new Set<() => void>();
  const page = chatPage({ maxChars: opts.maxMessageChars ?? 2000 });

  return {
    channel: 'web',
    async start(s) {
      sink = s;
    },
    async deliver(out: OutboundMessage) {
      await opts.hub.publish(out.chatId, {
        text: out.text,
        buttons: (out.buttons ?? []).map((b) => ({ label: b.label, data: encodeButton(b.action) })),
        lang: out.lang,
        inReplyTo: out.inReplyTo,
        ...(out.from ? { from: out.from } : {}),
        ...(out.receipt ? { receipt: out.receipt } : {}),
      });
    },
    async stop() {
      sink = undefined;
      for (const end of streams) end();
    },
    mount(app) {
      app.get('/', (c) => {
        c.header('Cache-Control', 'no-cache');
        c.header('X-Content-Type-Options', 'nosniff');
        return c.html(page.html);
      });
      app.get('/chat/assets/:name', (c) => {
        const asset = page.assets.get(c.req.param('name'));
        if (!asset) return c.json({ error: 'not found' }, 404);
        // Revalidated like the page, so a new version reaches citizens with the page that needs it.
        return new Response(asset.body, { headers: { 'Content-Type': asset.type, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' } });
      });
      app.post(
        '/chat/messages',
        bodyLimit({ maxSize: opts.maxBodyBytes ?? 32 * 1024, onError: (c) => c.json({ error: 'message too large' }, 413) }),
        async function chatMessage(c) {
          let body: unknown;
          try {
            body = await c.req.json();
          } catch {
            return c.json({ error: 'body must be JSON' }, 400);
          }
          const parsed = chatPostSchema.safeParse(body);
          if (!parsed.success) return c.json({ error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') }, 400);
          if (!sink) return c.json({ error: 'not ready' }, 503);
          const p = parsed.data;
          const inbound: InboundMessage = {
            channel: 'web',
            chatId: p.session,
            userId: p.session,
            messageId: p.id,
            text: p.text,
            kind: 'text',
            callbackData: p.button,
            receivedAt: new Date().toISOString(),
            traceId: randomUUID(),
          };
          // The citizen's side of the history goes into the session's stream before the message
          // is queued, so it always comes before the reply to it; a resend under the same id is
          // one event (the hub skips it), and the page that sent it does not show it twice.
          if (!p.hidden && p.text.trim() !== '') await opts.hub.publish(p.session, { text: p.text, buttons: [], author: 'citizen', clientId: p.id });
          try {
            await sink.push(inbound);
          } catch (err) {
            if (!(err instanceof TransientError)) throw err;
            log.warn({ traceId: inbound.traceId, err: err.message }, 'chat message not queued; the page will retry');
            return busyResponse(c, err.retryAfterMs);
          }
          return c.json({ ok: true }, 202);
        },
      );
      app.get('/chat/events', (c) => {
        const session = sessionId.safeParse(c.req.query('session'));
        if (!session.success) return c.json({ error: 'session: missing or malformed' }, 400);
        const lastId = Number(c.req.header('last-event-id') ?? '0');
        return streamSSE(c, async (stream) => {
          let finish!: () => void;
          const ended = new Promise<void>((resolve) => (finish = resolve));
          streams.add(finish);
          const unsubscribe = opts.hub.subscribe(
            session.data,
            (event) => {
              stream.writeSSE({ id: String(event.id), data: JSON.stringify(event) }).catch(() => finish());
            },
            Number.isFinite(lastId) ? lastId : 0,
          );
          const ping = setInterval(() => stream.write(': keep-alive\n\n').catch(() => finish()), opts.keepAliveMs ?? 20_000);
          stream.onAbort(() => finish());
          await ended;
          clearInterval(ping);
          unsubscribe();
          streams.delete(finish);
          log.debug({}, 'chat stream closed');
        });
      });
    },
  };
}
