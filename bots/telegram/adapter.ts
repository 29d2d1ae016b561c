/**
 * The Telegram channel adapter (grammY's API client). Inbound: long polling (see poller.ts) or a
 * webhook route on Kömek's HTTP server, checked by Telegram's secret-token header; each update
 * becomes an envelope pushed into the inbound queue. Outbound: escaped HTML, inline keyboards,
 * paced by the throttle, failures mapped to core's retry classes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { OutboundMessage } from '../../core/envelopes.ts';
import { TransientError } from '../../core/errors.ts';
import type { ChannelAdapter, InboundSink, Logger } from '../../core/ports.ts';
import { classifyTelegramError } from './errors.ts';
import { createPoller, type Poller } from './poller.ts';
import { renderOutbound } from './render.ts';
import { createThrottle, type ThrottleOptions } from './throttle.ts';
import { translateUpdate, type BotIdentity } from './translate.ts';

export const WEBHOOK_PATH = '/telegram/webhook';

export interface TelegramAdapterOptions {
  token: string;
  /** A local Bot API server or, in tests, the emulator. */
  apiRoot?: string;
  mode: 'polling' | 'webhook';
  /** Checked against X-Telegram-Bot-Api-Secret-Token; derived from the token when unset. */
  webhookSecret?: string;
  /** Public base URL Telegram calls in webhook mode. */
  publicUrl?: string;
  logger: Logger;
  throttle?: ThrottleOptions;
  /** Poller tuning (tests use a short idle delay against the emulator). */
  polling?: { timeoutSeconds?: number; idleDelayMs?: number; holdMs?: number };
  /** While saturated, polling fetches nothing: updates wait at Telegram, not in the queue. */
  backpressure?: { saturated(): Promise<boolean> };
}

export interface TelegramAdapter extends ChannelAdapter {
  /** Adds the webhook route to the HTTP server (it answers 503 until `start`). */
  mount(app: Hono): void;
}

/** Creates the adapter; nothing connects until `start`. */
export function createTelegramAdapter(opts: TelegramAdapterOptions): TelegramAdapter {
  const api = new Api(opts.token, opts.apiRoot ? { apiRoot: opts.apiRoot } : undefined);
  const throttle = createThrottle(opts.throttle);
  const secret = opts.webhookSecret ?? createHash('sha256').update(`komek-webhook:${opts.token}`).digest('hex').slice(0, 64);
  const log = opts.logger.child({ channel: 'telegram' });
  let me: BotIdentity | undefined;
  let sink: InboundSink | undefined;
  let poller: Poller | undefined;
  let stopped: Promise<void> | undefined;

  async function onUpdate(update: Update): Promise<void> {
    if (!me || !sink) throw new Error('telegram adapter is not started');
    if (update.callback_query) {
      // Telegram shows a spinner on the button until the press is answered.
      await api.answerCallbackQuery(update.callback_query.id).catch((err) => log.warn({ err: (err as Error).message }, 'answerCallbackQuery failed'));
    }
    const inbound = translateUpdate(update, me);
    if (!inbound) {
      log.debug({ updateId: update.update_id }, 'update ignored');
      return;
    }
    await sink.push(inbound);
  }

  return {
    channel: 'telegram',
    async start(s) {
      sink = s;
      const info = await api.getMe();
      me = { id: info.id, username: info.username };
      if (opts.mode === 'webhook') {
        if (!opts.publicUrl) throw new Error('telegram webhook mode needs a public URL');
        await api.setWebhook(new URL(WEBHOOK_PATH, opts.publicUrl).toString(), {
          secret_token: secret,
          allowed_updates: ['message', 'callback_query'],
        });
        log.info({ bot: me.username }, 'telegram webhook set');
        return;
      }
      // A webhook left over from an earlier deployment would make getUpdates fail with 409.
      await api.deleteWebhook();
      const gate = opts.backpressure;
      poller = createPoller({ api, onUpdate, logger: log, holdWhile: gate && (() => gate.saturated()), ...opts.polling });
      poller.start();
      log.info({ bot: me.username }, 'telegram polling started');
    },
    async deliver(out: OutboundMessage) {
      for (const call of renderOutbound(out)) {
        await throttle.wait(out.chatId);
        try {
          const { chat_id, text, ...other } = call;
          await api.sendMessage(chat_id, text, other);
        } catch (err) {
          throw classifyTelegramError(err);
        }
      }
    },
    stop: () =>
      (stopped ??= (async () => {
        await poller?.stop();
        sink = undefined;
      })()),
    mount(app) {
      app.post(
        WEBHOOK_PATH,
        bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'too large' }, 413) }),
        async function telegramWebhook(c) {
          if (!sameSecret(c.req.header('x-telegram-bot-api-secret-token') ?? '', secret)) return c.json({ error: 'forbidden' }, 403);
          if (!sink) return c.json({ error: 'not ready' }, 503);
          let update: Update;
          try {
            update = (await c.req.json()) as Update;
          } catch {
            return c.json({ error: 'malformed update' }, 400);
          }
          if (typeof update?.update_id !== 'number') return c.json({ error: 'malformed update' }, 400);
          // A non-2xx answer makes Telegram deliver the update again later.
          try {
            await onUpdate(update);
          } catch (err) {
            if (!(err instanceof TransientError)) throw err;
            log.warn({ err: err.message, updateId: update.update_id }, 'update not queued; telegram will resend it');
            return c.json({ error: 'busy' }, 503, { 'Retry-After': String(Math.ceil((err.retryAfterMs ?? 5_000) / 1000)) });
          }
          return c.json({ ok: true });
        },
      );
    },
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
