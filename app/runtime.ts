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
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createWhatsAppAdapter } from '../bots/whatsapp/adapter.ts';
import { createBaileysSocketFactory } from '../bots/whatsapp/socket.ts';
import { createConsoleMount, type ConsoleMount } from '../console/index.ts';
import { systemClock, type OutboundSink } from '../core/ports.ts';
import { createDeliveryMarks } from '../db/delivery-marks.ts';
import { createOperatorAccounts } from '../db/operator-accounts.ts';
import { MODEL_KIND } from '../inference/index.ts';
import { startLocalAdmin, type LocalAdmin } from './local-admin.ts';
import { createPostgresAuthState } from '../db/whatsapp-auth-store.ts';
import type { CommandContext } from './command.ts';
import { createTelegramAdapter, type TelegramAdapterOptions } from '../bots/telegram/adapter.ts';
import { createWebAdapter } from '../bots/web/adapter.ts';
import { createMemoryHub, type WebHub } from '../bots/web/hub.ts';
import type { Channel, InboundMessage, OutboundMessage } from '../core/envelopes.ts';
import type { ChannelAdapter, InboundSink, Logger, MessageQueue, QueueConsumer } from '../core/ports.ts';
import { createBackpressure, QueueFullError, type Backpressure } from '../queue/backpressure.ts';
import { createBullmqQueue } from '../queue/bullmq-queue.ts';
import { observeQueueDepth } from '../queue/depth-metric.ts';
import { createInboundHandler } from '../queue/inbound-handler.ts';
import { chatKey, inboundJobId } from '../queue/job-ids.ts';
import { createMemoryQueue } from '../memory/queue.ts';
import { createOutboundHandler } from '../queue/outbound-handler.ts';
import { reportRedisErrors } from '../queue/redis-errors.ts';
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
    // Intake stops at the high-water mark (see queue/backpressure.ts); the hard bound is for
    // whatever adds without asking (workers adding replies, the console).
    const maxDepth = config.queueHighWater * 2;
    const inbound = createMemoryQueue<InboundMessage>({ name: 'inbound', logger, policy: opts.retry, maxDepth });
    const outbound = createMemoryQueue<OutboundMessage>({ name: 'outbound', logger, policy: opts.retry, maxDepth });
    return { inbound, outbound, close: async () => void (await Promise.all([inbound.close(), outbound.close()])) };
  }
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  reportRedisErrors([redis], { logger, message: 'redis connection error', fields: { connection: 'queues' } });
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
export type RuntimeServices = Pick<AppServices, 'config' | 'logger' | 'pipeline' | 'conversations' | 'database'> &
  /** When given, the queue depth gauge and the outbound outcome counter are kept; `/ready` names the model. */
  Partial<Pick<AppServices, 'metrics' | 'inference'>>;

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
  const detachMetrics = services.metrics ? observeQueueDepth(services.metrics.queueDepth, [queues.inbound, queues.outbound], { logger }) : undefined;
  let hub: WebHub | undefined;
  let server: RunningServer | undefined;

  if (opts.role !== 'bots') {
    const handler = createInboundHandler({ pipeline: services.pipeline, outbound: queues.outbound, conversations: services.conversations, logger });
    consumers.push(queues.inbound.process(handler, { concurrency: config.workerConcurrency }));
  }
  if (opts.role !== 'worker') {
    // The backlog is what waits in both queues: replies pile up too when a platform is slow.
    const backpressure = createBackpressure({ queues: [queues.inbound, queues.outbound], highWater: config.queueHighWater, logger });
    hub = queues.redis ? await createRedisWebHub({ connection: queues.redis, prefix: config.queuePrefix, logger, local: createMemoryHub() }) : createMemoryHub();
    const web = createWebAdapter({ hub, logger, maxMessageChars: config.maxMessageChars });
    adapters.push(web);
    const telegram = config.telegram
      ? createTelegramAdapter({
          token: config.telegram.token,
          apiRoot: config.telegram.apiRoot,
          mode: config.telegram.mode,
          webhookSecret: config.telegram.webhookSecret,
          publicUrl: config.http.publicUrl,
          logger,
          backpressure,
          ...opts.telegram,
        })
      : undefined;
    if (telegram) adapters.push(telegram);
    adapters.push(...(opts.adapters ?? []));
    const byChannel = new Map<Channel, ChannelAdapter>(adapters.map((a) => [a.channel, a]));
    const marks = createDeliveryMarks(services.database.db);
    consumers.push(queues.outbound.process(createOutboundHandler({ adapters: byChannel, marks, logger, outcomes: services.metrics?.outbound }), { concurrency: config.workerConcurrency }));
    const app = createHttpApp({
      logger,
      ready: async () => {
        await services.database.ping();
        if (queues.redis) await queues.redis.ping();
        return services.inference ? { model: modelStatus(services.inference) } : undefined;
      },
      // Channels first: the web chat owns `/`.
      mounts: [web.mount, ...(telegram ? [telegram.mount] : []), ...(opts.mounts ?? [])],
    });
    server = await listen(app, config.http.port, config.http.host);
    const sink = gatedSink(queues.inbound, backpressure);
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
        detachMetrics?.();
        await queues.close();
        logger.info({ role: opts.role }, 'runtime stopped');
      })()),
  };
}

/**
 * The inbound sink adapters push into: refuses with a {@link QueueFullError} (transient, with a
 * retry-after) while the backlog is over the high-water mark, so nothing is lost — the platform
 * or the page sends the message again later.
 */
function gatedSink(inbound: MessageQueue<InboundMessage>, backpressure: Backpressure): InboundSink {
  return {
    async push(m) {
      if (await backpressure.saturated()) {
        throw new QueueFullError(`more than ${backpressure.highWater} messages are waiting`, backpressure.retryAfterMs);
      }
      await inbound.add(m, { id: inboundJobId(m), key: chatKey(m.channel, m.chatId) });
      backpressure.accepted();
    },
  };
}

/**
 * Resolves with the first SIGINT/SIGTERM. Shutdown runs once; from then on the process exits
 * `deadlineMs` later at the latest, and at once on a second signal (a person pressing Ctrl+C
 * again, an orchestrator that has waited long enough). Jobs still in flight then are not lost:
 * their locks lapse and another worker takes them (BullMQ's stalled-job check). Without the
 * deadline a close that never returns — BullMQ's worker right after a Redis restart has been
 * seen to — would keep a dead worker around forever.
 */
export function untilSignal(logger: Logger, opts: { deadlineMs?: number; exit?: (code: number) => void } = {}): Promise<NodeJS.Signals> {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  return new Promise((resolve) => {
    let received: NodeJS.Signals | undefined;
    const on = (signal: NodeJS.Signals) => {
      if (received) {
        logger.warn({ signal }, 'second signal while shutting down: exiting now');
        exit(1);
        return;
      }
      received = signal;
      logger.info({ signal }, 'shutting down');
      if (opts.deadlineMs !== undefined) {
        const seconds = opts.deadlineMs / 1000;
        // unref: a shutdown that finishes in time exits normally, without waiting for this.
        setTimeout(() => {
          logger.error({ seconds }, 'shutdown did not finish in time; exiting without waiting further');
          exit(1);
        }, opts.deadlineMs).unref();
      }
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
 * the console, then the services (database, inference). This is where the composition root wires
 * the parts that live outside the messaging runtime: the operator console (roles all and bots),
 * WhatsApp (when enabled) and the model warm-up.
 */
export async function runRole(
  ctx: Pick<CommandContext, 'config' | 'services' | 'stdout' | 'stderr'>,
  role: Role,
  extra: Pick<RuntimeOptions, 'mounts' | 'adapters'> = {},
): Promise<number> {
  // Checked before anything connects: a worker without Redis must not open the embedded database.
  if (role !== 'all' && !ctx.config().redisUrl) {
    ctx.stderr.write(`komek: ${role} needs REDIS_URL: without Redis the queue lives inside one process — run \`komek start\` instead\n`);
    return 78;
  }
  const services = await ctx.services();
  const { logger } = services;
  let consoleMount: ConsoleMount | undefined;
  let localAdmin: LocalAdmin | undefined;
  try {
    // This process holds the embedded database alone; `komek operator` reaches it through here.
    if (services.database.dataDir) {
      localAdmin = await startLocalAdmin({ dataDir: services.database.dataDir, accounts: createOperatorAccounts(services.database.db), logger });
    }
    // A worker takes no jobs before its model is ready; an HTTP-serving process opens at once and
    // warms up behind it, so the web chat and the console are there from the first second.
    if (role === 'worker') await services.inference.ensureCurrent();
    let bindConsole: ((queue: MessageQueue<OutboundMessage>) => void) | undefined;
    const mounts = [...(extra.mounts ?? [])];
    if (role !== 'worker') {
      const operatorConsole = await createOperatorConsole(services);
      consoleMount = operatorConsole.console;
      bindConsole = operatorConsole.bind;
      mounts.push(consoleMount.mount);
    }
    const adapters = [...(extra.adapters ?? [])];
    if (role !== 'worker' && services.config.whatsapp.enabled) adapters.push(await createWhatsApp(services));
    const runtime = await startRuntime(services, {
      role,
      mounts: role === 'worker' ? [] : [...standardMounts(services), ...mounts],
      adapters,
    });
    bindConsole?.(runtime.outbound);
    const setupLink = runtime.url ? await consoleMount?.setupLink(runtime.url) : undefined;
    // One write: whoever reads the address line (a person, a supervisor, a test) has the link too.
    ctx.stdout.write(
      (runtime.url
        ? `Kömek is running at ${runtime.url} (operator console: ${runtime.url}/console)\n`
        : `Kömek ${role} is running (concurrency ${services.config.workerConcurrency})\n`) +
        (setupLink
          ? `No console account exists yet. Create the first administrator at\n  ${setupLink}\n` +
            '(the link works once, while this process runs), or run `komek operator add USERNAME --role admin`.\n'
          : ''),
    );
    if (role === 'all') warmUp(services, ctx.stdout);
    await untilSignal(logger, { deadlineMs: services.config.shutdownTimeoutSeconds * 1000 });
    await runtime.close();
    return 0;
  } finally {
    await localAdmin?.close();
    await consoleMount?.close();
    await services.close();
  }
}

/**
 * Loads (or, with no stored model yet, trains) the model in the background, telling the person at
 * the terminal what is happening when it takes a while. Only a data folder without a model trains
 * before answering; later starts load the stored model, so "first start" is said only when true.
 */
function warmUp(services: AppServices, out: NodeJS.WritableStream): void {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const firstTraining = services.config.embeddingModelDir
    ? Promise.resolve(false)
    : services.models.newest(MODEL_KIND).then((m) => !m, () => false);
  void firstTraining.then((first) => {
    const note = first
      ? 'Training the language model for this knowledge base (first start only; about half a minute)…\n'
      : 'Loading the language model…\n';
    timer = setTimeout(() => out.write(note), 2000);
  });
  services.inference
    .ensureCurrent()
    .then(async () => {
      await firstTraining;
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      if (seconds > 2) out.write(`Model ready in ${seconds.toFixed(0)} s.\n`);
    })
    .catch(async (err: unknown) => {
      await firstTraining;
      clearTimeout(timer);
      services.logger.error({ err: (err as Error).message }, 'model warm-up failed; questions will retry it');
    });
}

/**
 * The operator console wired to the application services: built before the runtime (its routes go
 * into the HTTP server the runtime starts), then `bind` connects its replies to the runtime's
 * outbound queue, so they travel the same queue and channel adapter as the bot's.
 */
export async function createOperatorConsole(
  services: AppServices,
): Promise<{ console: ConsoleMount; bind(queue: MessageQueue<OutboundMessage>): void }> {
  const outbound = lateOutboundSink();
  const consoleMount = createConsoleMount({
    db: services.database.db,
    kb: services.kb,
    conversations: services.conversations,
    outbound,
    logger: services.logger,
    config: services.config,
    clock: systemClock,
    onKbChanged: () => (services.inference.train ? services.inference.train() : services.inference.ensureCurrent()),
    modelStatus: () => {
      const current = services.inference.current?.();
      return current ? { id: current.modelId ?? null, kbVersion: current.kbVersion, selfCheck: current.selfCheck ?? null } : undefined;
    },
    options: { timezone: services.config.officeHours.timezone },
  });
  await consoleMount.init();
  services.events.subscribe(consoleMount.events);
  return { console: consoleMount, bind: (queue) => outbound.bind(queue) };
}

/**
 * The console is built before the queues exist (its routes go into the HTTP server the runtime
 * starts), so its outbound sink is bound to the queue once the runtime is up.
 */
function lateOutboundSink(): OutboundSink & { bind(queue: MessageQueue<OutboundMessage>): void } {
  let queue: MessageQueue<OutboundMessage> | undefined;
  return {
    bind: (q) => void (queue = q),
    async send(message) {
      if (!queue) throw new Error('the outbound queue is not running yet');
      await queue.add(message, { id: `op:${randomUUID()}`, key: chatKey(message.channel, message.chatId) });
    },
  };
}

async function createWhatsApp(services: AppServices): Promise<ChannelAdapter> {
  const authState = await createPostgresAuthState(services.database.db);
  return createWhatsAppAdapter({
    socketFactory: createBaileysSocketFactory({ logger: services.logger }),
    authState,
    logger: services.logger,
    sessionHint: '`komek whatsapp logout`',
  });
}

/** What `/ready` says of the model: which one answers, and how well it knows the knowledge base. */
function modelStatus(inference: AppServices['inference']): Record<string, unknown> {
  const current = inference.current?.();
  if (!current) return { status: 'loading' };
  const check = current.selfCheck;
  return {
    id: current.modelId ?? null,
    kbVersion: current.kbVersion,
    status: check?.status ?? 'unknown',
    selfCheck: check ? { message: check.message, heldOutTop1: check.hybrid.top1, answeredRight: check.hybrid.answeredRight, answeredWrong: check.hybrid.answeredWrong } : null,
  };
}
