/**
 * Assembles a running process for one role: queues (BullMQ on Redis when REDIS_URL is set, else
 * in process), the inbound workers, the channel adapters with their outbound consumer, and the
 * HTTP server (web chat, Telegram webhook, and whatever else is mounted). `komek start` runs
 * role 'all'; `komek worker` only workers; `komek bots` only adapters and HTTP. Without Redis
 * the queue lives inside one process, so only 'all' can run.
 *
 * Shutdown (`close`, once): stop intake (adapters), drain or hand back jobs in flight (workers,
 * then deliveries), close the HTTP server, the queues and Redis. The caller closes the services.
 */
import { Redis } from 'ioredis';
import type { ChannelAdapter } from '../bots/channel.ts';
import { createTelegramAdapter, type TelegramAdapterOptions } from '../bots/telegram/adapter.ts';
import { createWebAdapter } from '../bots/web/adapter.ts';
import { createMemoryHub, type WebHub } from '../bots/web/hub.ts';
import type { Channel, InboundMessage, OutboundMessage } from '../core/envelopes.ts';
import type { InboundSink, Logger, MessageQueue, QueueConsumer } from '../core/ports.ts';
import { createBullmqQueue } from '../queue/bullmq-queue.ts';
import { createInboundHandler } from '../queue/inbound-handler.ts';
import { chatKey, inboundJobId } from '../queue/job-ids.ts';
import { createMemoryQueue } from '../queue/memory-queue.ts';
import { createOutboundHandler } from '../queue/outbound-handler.ts';
import { createRedisWebHub } from '../queue/redis-web-hub.ts';
import type { RetryPolicy } from '../queue/retry-policy.ts';
import type { Config } from './config.ts';
import { createHttpApp, listen, type Mount, type RunningServer } from './http.ts';
import type { AppServices } from './services.ts';

export type Role = 'all' | 'worker' | 'bots';

export interface RuntimeOptions {
  role: Role;
  /** Further HTTP routes: the operator console, metrics. Added after the channels' routes. */
  mounts?: Mount[];
  /** Further channel adapters (WhatsApp) built by the composition root. */
  adapters?: ChannelAdapter[];
  /** Ordered partitions per queue; every process sharing a Redis must use the same number. */
  partitions?: number;
  retry?: RetryPolicy;
  /** Test tuning for Telegram (emulator polling, throttle). */
  telegram?: Partial<TelegramAdapterOptions>;
  /** Seconds without a lock renewal before a job of a dead worker is handed to another. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface Runtime {
  role: Role;
  /** Where the HTTP server listens (roles 'all' and 'bots'). */
  url?: string;
  inbound: MessageQueue<InboundMessage>;
  outbound: MessageQueue<OutboundMessage>;
  /** Idempotent. */
  close(): Promise<void>;
}

/** Thrown when a role cannot run with the given configuration. */
export class RuntimeConfigError extends Error {
  override name = 'RuntimeConfigError';
}

export const DEFAULT_PARTITIONS = 16;

export interface Queues {
  inbound: MessageQueue<InboundMessage>;
  outbound: MessageQueue<OutboundMessage>;
  redis?: Redis;
  close(): Promise<void>;
}

/** The two queues for `config`: BullMQ when REDIS_URL is set, else in process. */
export function createQueues(config: Config, logger: Logger, opts: Pick<RuntimeOptions, 'partitions' | 'retry' | 'lockDurationMs' | 'stalledIntervalMs'> = {}): Queues {
  if (!config.redisUrl) {
    const inbound = createMemoryQueue<InboundMessage>({ name: 'inbound', logger, policy: opts.retry });
    const outbound = createMemoryQueue<OutboundMessage>({ name: 'outbound', logger, policy: opts.retry });
    return { inbound, outbound, close: async () => void (await Promise.all([inbound.close(), outbound.close()])) };
  }
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const common = {
    connection: redis,
    prefix: config.queuePrefix,
    partitions: opts.partitions ?? DEFAULT_PARTITIONS,
    logger,
    policy: opts.retry,
    lockDurationMs: opts.lockDurationMs,
    stalledIntervalMs: opts.stalledIntervalMs,
  };
  const inbound = createBullmqQueue<InboundMessage>({ ...common, name: 'inbound' });
  const outbound = createBullmqQueue<OutboundMessage>({ ...common, name: 'outbound' });
  let closed: Promise<void> | undefined;
  return {
    inbound,
    outbound,
    redis,
    close: () =>
      (closed ??= (async () => {
        await Promise.all([inbound.close(), outbound.close()]);
        await redis.quit().catch(() => redis.disconnect());
      })()),
  };
}

/** What the runtime needs of the application services (tests build just these). */
export type RuntimeServices = Pick<AppServices, 'config' | 'logger' | 'pipeline' | 'conversations' | 'database'>;

/** Starts the pieces of `opts.role`; resolves once intake is open. */
export async function startRuntime(services: RuntimeServices, opts: RuntimeOptions): Promise<Runtime> {
  const { config, logger } = services;
  if (opts.role !== 'all' && !config.redisUrl) {
    throw new RuntimeConfigError(
      `komek ${opts.role === 'worker' ? 'worker' : 'bots'} needs REDIS_URL: without Redis the queue lives inside one process — run \`komek start\` instead`,
    );
  }
  const queues = createQueues(config, logger, opts);
  const consumers: QueueConsumer[] = [];
  const adapters: ChannelAdapter[] = [];
  let hub: WebHub | undefined;
  let server: RunningServer | undefined;

  if (opts.role !== 'bots') {
    const handler = createInboundHandler({ pipeline: services.pipeline, outbound: queues.outbound, conversations: services.conversations, logger });
    consumers.push(queues.inbound.process(handler, { concurrency: config.workerConcurrency }));
  }
  if (opts.role !== 'worker') {
    hub = queues.redis ? await createRedisWebHub({ connection: queues.redis, prefix: config.queuePrefix, logger }) : createMemoryHub();
    const web = createWebAdapter({ hub, logger });
    adapters.push(web);
    const telegram = config.telegram
      ? createTelegramAdapter({
          token: config.telegram.token,
          apiRoot: config.telegram.apiRoot,
          mode: config.telegram.mode,
          webhookSecret: config.telegram.webhookSecret,
          publicUrl: config.http.publicUrl,
          logger,
          ...opts.telegram,
        })
      : undefined;
    if (telegram) adapters.push(telegram);
    adapters.push(...(opts.adapters ?? []));
    const byChannel = new Map<Channel, ChannelAdapter>(adapters.map((a) => [a.channel, a]));
    consumers.push(queues.outbound.process(createOutboundHandler({ adapters: byChannel, logger }), { concurrency: config.workerConcurrency }));
    const app = createHttpApp({
      logger,
      ready: async () => {
        await services.database.ping();
        if (queues.redis) await queues.redis.ping();
      },
      // Channels first: the web chat owns `/`.
      mounts: [web.mount, ...(telegram ? [telegram.mount] : []), ...(opts.mounts ?? [])],
    });
    server = await listen(app, config.http.port, config.http.host);
    const sink: InboundSink = {
      push: (m) => queues.inbound.add(m, { id: inboundJobId(m), key: chatKey(m.channel, m.chatId) }),
    };
    for (const adapter of adapters) await adapter.start(sink);
  }
  logger.info({ role: opts.role, queue: queues.redis ? 'bullmq' : 'in-process', url: server?.url }, 'runtime started');

  let closed: Promise<void> | undefined;
  return {
    role: opts.role,
    url: server?.url,
    inbound: queues.inbound,
    outbound: queues.outbound,
    close: () =>
      (closed ??= (async () => {
        await Promise.allSettled(adapters.map((a) => a.stop()));
        for (const consumer of consumers) await consumer.close();
        await server?.close();
        await hub?.close();
        await queues.close();
        logger.info({ role: opts.role }, 'runtime stopped');
      })()),
  };
}

/** Resolves with the first SIGINT/SIGTERM; later ones are logged and ignored (shutdown runs once). */
export function untilSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received: NodeJS.Signals | undefined;
    const on = (signal: NodeJS.Signals) => {
      if (received) {
        logger.warn({ signal }, 'already shutting down');
        return;
      }
      received = signal;
      logger.info({ signal }, 'shutting down');
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** Process-level routes every HTTP-serving role adds: the metrics scrape endpoint. */
function standardMounts(services: AppServices): Mount[] {
  return [services.metrics.mount()];
}

/**
 * Runs `role` until SIGINT/SIGTERM, then shuts down once: the runtime (intake, drain, queues),
 * then the services (database, inference). `mounts`: where the operator console is wired in.
 */
export async function runRole(
  ctx: { services(): Promise<AppServices>; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
  role: Role,
  extra: Pick<RuntimeOptions, 'mounts' | 'adapters'> = {},
): Promise<number> {
  const services = await ctx.services();
  const { logger } = services;
  try {
    if (role !== 'all' && !services.config.redisUrl) {
      ctx.stderr.write(`komek: ${role} needs REDIS_URL: without Redis the queue lives inside one process — run \`komek start\` instead\n`);
      return 78;
    }
    if (role !== 'bots') await services.inference.ensureCurrent();
    const runtime = await startRuntime(services, {
      role,
      mounts: role === 'worker' ? [] : [...standardMounts(services), ...(extra.mounts ?? [])],
      adapters: extra.adapters,
    });
    if (runtime.url) ctx.stdout.write(`Kömek is running at ${runtime.url}\n`);
    else ctx.stdout.write(`Kömek ${role} is running (concurrency ${services.config.workerConcurrency})\n`);
    await untilSignal(logger);
    await runtime.close();
    return 0;
  } finally {
    await services.close();
  }
}
