/**
 * The channel adapters — where a citizen's message comes in and where a reply goes out: the web
 * chat always, Telegram when TELEGRAM_BOT_TOKEN is set, WhatsApp when WHATSAPP_ENABLED is. Each
 * one turns platform events into inbound envelopes and outbound envelopes into platform calls.
 */
import { createTelegramAdapter, type TelegramAdapter, type TelegramAdapterOptions } from '../bots/telegram/adapter.ts';
import { createWebAdapter, type WebAdapter } from '../bots/web/adapter.ts';
import type { WebHub } from '../bots/web/hub.ts';
import type { ChannelAdapter, Logger } from '../core/ports.ts';
import type { Db } from '../db/client.ts';
import type { Backpressure } from '../queue/backpressure.ts';
import type { Config } from './config.ts';

export interface ChannelDeps {
  config: Config;
  logger: Logger;
  /** Where web-chat replies meet the browser's stream (in process, or over Redis). */
  hub: WebHub;
  /** Telegram polling pauses while the queues are over their high-water mark. */
  backpressure: Backpressure;
  /** Test tuning for Telegram (emulator polling, throttle). */
  telegram?: Partial<TelegramAdapterOptions>;
}

/** The web chat and, when configured, Telegram. */
export function createChannels(deps: ChannelDeps): { web: WebAdapter; telegram?: TelegramAdapter } {
  const { config, logger } = deps;
  const web = createWebAdapter({ hub: deps.hub, logger, maxMessageChars: config.maxMessageChars });
  const telegram = config.telegram
    ? createTelegramAdapter({
        token: config.telegram.token,
        apiRoot: config.telegram.apiRoot,
        mode: config.telegram.mode,
        webhookSecret: config.telegram.webhookSecret,
        publicUrl: config.http.publicUrl,
        logger,
        backpressure: deps.backpressure,
        ...deps.telegram,
      })
    : undefined;
  return { web, telegram };
}

/**
 * WhatsApp through Baileys, its session kept in the database. Built outside the messaging runtime
 * because it needs the stored session first; only processes that serve the channels run it.
 */
export async function createWhatsApp(deps: { db: Db; logger: Logger }): Promise<ChannelAdapter> {
  // Baileys is loaded only by the process that runs WhatsApp: imported at the top it cost every
  // process, `komek worker` included, about 44 MB of resident memory.
  const [{ createWhatsAppAdapter }, { createBaileysSocketFactory }, { createPostgresAuthState }] = await Promise.all([
    import('../bots/whatsapp/adapter.ts'),
    import('../bots/whatsapp/socket.ts'),
    import('../db/whatsapp-auth-store.ts'),
  ]);
  const authState = await createPostgresAuthState(deps.db);
  return createWhatsAppAdapter({
    socketFactory: createBaileysSocketFactory({ logger: deps.logger }),
    authState,
    logger: deps.logger,
    sessionHint: '`komek whatsapp logout`',
  });
}
