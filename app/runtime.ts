/**
 * The messaging runtime of one role: the queues (BullMQ on the process's Redis client, a table
 * in its Postgres, or in process — app/roles.ts decides), the inbound workers, the channel adapters with their outbound consumer, and the HTTP
 * server (web chat, Telegram webhook, and whatever else is mounted). `komek start` runs role
 * 'all'; `komek worker` only workers; `komek bots` only adapters and HTTP (see roles.ts).
 *
 * A message's way: adapter → gated sink → inbound queue → inbound handler (the pipeline) →
 * outbound queue → outbound handler → the adapter of its channel.
 *
 * Shutdown (`close`, once): stop intake (adapters), drain or hand back jobs in flight (workers,
 * then deliveries), close the HTTP server and the queues. The caller closes the services, and
 * with them the connections.
 */
import type { TelegramAdapterOptions } from '../bots/telegram/adapter.ts';
import { createMemoryHub, type WebHub } from '../bots/web/hub.ts';
import type { Channel, InboundMessage, OutboundMessage } from '../core/envelopes.ts';
import type { ChannelAdapter, InboundSink, MessageQueue, QueueConsumer } from '../core/ports.ts';
import { createDeliveryMarks } from '../db/delivery-marks.ts';
import { createBackpressure, QueueFullError, type Backpressure } from '../queue/backpressure.ts';
import { observeQueueDepth } from '../queue/depth-metric.ts';
import { createInboundHandler } from '../queue/inbound-handler.ts';
import { chatKey, inboundJobId } from '../queue/job-ids.ts';
import { createOutboundHandler } from '../queue/outbound-handler.ts';
import { createPostgresWebHub } from '../queue/postgres-web-hub.ts';
import { createRedisWebHub } from '../queue/redis-web-hub.ts';
import { createChannels } from './channels.ts';
import { createHttpApp, listen, type Mount, type RunningServer } from './http.ts';
import { modelStatus } from './model-status.ts';
import { createQueues, type Queues, type QueueTuning } from './queues.ts';
import { assertRoleRunnable, queueBackendFor, RuntimeConfigError, type Role } from './roles.ts';
import type { AppServices } from './services.ts';

export interface RuntimeOptions extends QueueTuning {
  role: Role;
  /** Further HTTP routes: the operator console, metrics. Added after the channels' routes. */
  mounts?: Mount[];
  /** Further channel adapters (WhatsApp) built by the composition root. */
  adapters?: ChannelAdapter[];
  /** Test tuning for Telegram (emulator polling, throttle). */
  telegram?: Partial<TelegramAdapterOptions>;
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

/** What the runtime needs of the application services (tests build just these). */
export type RuntimeServices = Pick<AppServices, 'config' | 'logger' | 'pipeline' | 'conversations' | 'database' | 'redis'> &
  /** When given, the queue depth gauge and the outbound outcome counter are kept; `/ready` names the model. */
  Partial<Pick<AppServices, 'metrics' | 'inference'>>;

/** Starts the pieces of `opts.role`; resolves once intake is open. */
export async function startRuntime(services: RuntimeServices, opts: RuntimeOptions): Promise<Runtime> {
  const { config, logger } = services;
  assertRoleRunnable(opts.role, config);
  if (config.redisUrl && !services.redis) throw new RuntimeConfigError('REDIS_URL is set but no Redis connection was given to the runtime (open it with app/connections.ts)');
  const backend = queueBackendFor(opts.role, config);
  const queues = createQueues(config, { backend, redis: services.redis, sql: services.database.sql, logger }, opts);
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
    hub = await createWebHub(queues, config.queuePrefix, logger);
    const { web, telegram } = createChannels({ config, logger, hub, backpressure, telegram: opts.telegram });
    adapters.push(web);
    if (telegram) adapters.push(telegram);
    adapters.push(...(opts.adapters ?? []));
    const byChannel = new Map<Channel, ChannelAdapter>(adapters.map((a) => [a.channel, a]));
    const marks = createDeliveryMarks(services.database.db);
    // On Postgres alone the mark and the queue's completion share one server: wait for it.
    const markRetryMs = backend === 'postgres' ? 30_000 : 0;
    consumers.push(
      queues.outbound.process(createOutboundHandler({ adapters: byChannel, marks, logger, outcomes: services.metrics?.outbound, markRetryMs }), { concurrency: config.workerConcurrency }),
    );
    const app = createHttpApp({
      logger,
      ready: async () => {
        await services.database.ping();
        if (queues.redis) await queues.redis.ping();
        // On the Postgres queue the database ping above is the queue's too.
        return services.inference ? { model: modelStatus(services.inference) } : undefined;
      },
      // Channels first: the web chat owns `/`.
      mounts: [web.mount, ...(telegram ? [telegram.mount] : []), ...(opts.mounts ?? [])],
    });
    server = await listen(app, config.http.port, config.http.host);
    const sink = gatedSink(queues.inbound, backpressure);
    for (const adapter of adapters) await adapter.start(sink);
  }
  logger.info({ role: opts.role, queue: { redis: 'bullmq', postgres: 'postgres', memory: 'in-process' }[backend], url: server?.url }, 'runtime started');

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

/** The web-chat hub: relayed between processes over the queues' server, or within this one. */
function createWebHub(queues: Queues, prefix: string, logger: RuntimeServices['logger']): Promise<WebHub> | WebHub {
  if (queues.redis) return createRedisWebHub({ connection: queues.redis, prefix, logger, local: createMemoryHub() });
  if (queues.sql) return createPostgresWebHub({ sql: queues.sql, prefix, logger, local: createMemoryHub() });
  return createMemoryHub();
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
