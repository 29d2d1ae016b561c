/**
 * The composition root's building blocks: from a parsed {@link Config} to connected services.
 * The connections are opened once, by `connections.ts`; every repository, the inference layer,
 * the rate limiter and the pipeline are built on them here, and `close()` closes them in reverse
 * order of creation.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createKbCache } from '../core/kb-cache.ts';
import { describeProblems, parseKbJsonl } from '../core/kb-format.ts';
import type { ConversationEvents, ConversationStore, KnowledgeBase, Logger, ModelStore } from '../core/ports.ts';
import { systemClock } from '../core/ports.ts';
import { createPipeline, type Pipeline } from '../core/pipeline.ts';
import type { Database } from '../db/client.ts';
import { createConversationStore } from '../db/conversation-store.ts';
import { createKbRepository } from '../db/kb-repository.ts';
import { createModelStore } from '../db/model-store.ts';
import { createOperatorPresence } from '../db/operator-presence.ts';
import { createInference, type KomekInference } from '../inference/index.ts';
import type { Config } from './config.ts';
import { createLogger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import type { Redis } from 'ioredis';
import { createMemoryRateLimiter } from '../memory/rate-limiter.ts';
import { createPostgresRateLimiter } from '../queue/postgres-rate-limiter.ts';
import { createRedisRateLimiter } from '../queue/redis-rate-limiter.ts';
import { openConnections } from './connections.ts';

export interface AppServices {
  config: Config;
  logger: Logger;
  database: Database;
  /** The process's one Redis client (see connections.ts); present exactly when REDIS_URL is set. */
  redis?: Redis;
  kb: ReturnType<typeof createKbRepository>;
  conversations: ReturnType<typeof createConversationStore>;
  models: ModelStore;
  inference: KomekInference;
  pipeline: Pipeline;
  metrics: Metrics;
  /** Conversation events of this process's pipeline; the console subscribes for instant updates. */
  events: EventRelay;
  close(): Promise<void>;
}

/** Fans the pipeline's conversation events out to whoever subscribes later (the console). */
export interface EventRelay extends ConversationEvents {
  subscribe(listener: ConversationEvents): void;
}

function createEventRelay(logger: Logger): EventRelay {
  const listeners: ConversationEvents[] = [];
  return {
    subscribe: (l) => void listeners.push(l),
    emit(event) {
      for (const l of listeners) {
        try {
          l.emit(event);
        } catch (err) {
          logger.warn({ err: (err as Error).message, event: event.type }, 'conversation event listener failed');
        }
      }
    },
  };
}

export const DEMO_KB_DIR = fileURLToPath(new URL('../data/demo-kb', import.meta.url));

export interface BuildOptions {
  /** Skip loading the demo knowledge base even on an empty embedded database. */
  noDemo?: boolean;
  logger?: Logger;
}

/** Connects the database, applies migrations, loads the demo knowledge base when due. */
export async function buildServices(config: Config, opts: BuildOptions = {}): Promise<AppServices> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const connections = await openConnections(config, logger);
  const { database, redis } = connections;
  try {
    await database.migrate();
    const kb = createKbRepository(database.db);
    const conversations = createConversationStore(database.db);
    const models = createModelStore(database.db);
    if (!opts.noDemo && config.demoKb && config.database.kind === 'pglite') await loadDemoIfEmpty(kb, logger);
    const inference = await createDefaultInference({ kb, models, logger, config });
    // Several worker processes must share one count: with Redis the limit lives there, else in a
    // real Postgres (any number of processes may run on it); only the embedded database, which
    // one process holds, counts in memory.
    const rateLimiter = redis
      ? createRedisRateLimiter(redis, { limit: config.rateLimitPerMinute, prefix: config.queuePrefix })
      : database.sql
        ? createPostgresRateLimiter(database.sql, { limit: config.rateLimitPerMinute, prefix: config.queuePrefix })
        : createMemoryRateLimiter({ limit: config.rateLimitPerMinute, clock: systemClock });
    const metrics = createMetrics();
    const events = createEventRelay(logger);
    const pipeline = metrics.instrumentPipeline(createPipeline({
      rateLimiter,
      events,
      presence: createOperatorPresence(database.db),
      kb: createKbCache(kb),
      retriever: metrics.instrumentRetriever(inference.retriever),
      detector: inference.detector,
      conversations,
      clock: systemClock,
      logger,
      options: {
        thresholds: inference.thresholds,
        maxMessageChars: config.maxMessageChars,
        escalation: config.escalation,
        officeHours: config.officeHours,
      },
    }));
    let closed: Promise<void> | undefined;
    return {
      config,
      logger,
      database,
      redis,
      kb,
      conversations,
      models,
      inference,
      pipeline,
      metrics,
      events,
      close: () =>
        (closed ??= (async () => {
          await inference.close();
          await connections.close();
        })()),
    };
  } catch (err) {
    await connections.close();
    throw err;
  }
}

/**
 * The hybrid inference layer: Kömek's own trained encoder (or a deployer's pretrained one from
 * EMBEDDING_MODEL_DIR) plus lexical search. The model loads lazily, on `ensureCurrent()` or the
 * first question, so commands that never retrieve never train.
 */
async function createDefaultInference(deps: { kb: KnowledgeBase; models: ModelStore; logger: Logger; config: Config }): Promise<KomekInference> {
  return createInference({
    kb: deps.kb,
    models: deps.models,
    logger: deps.logger,
    options: { intraOpNumThreads: deps.config.onnxThreads, modelDir: deps.config.embeddingModelDir },
  });
}

/** Reads every `*.jsonl` of the demo folder as one knowledge base. */
export async function readDemoKb(dir = DEMO_KB_DIR) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
  const texts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
  const parsed = parseKbJsonl(texts.join('\n'));
  if (parsed.problems.length > 0) throw new Error(`demo knowledge base is invalid:\n${describeProblems(parsed.problems)}`);
  return parsed.entries;
}

async function loadDemoIfEmpty(kb: ReturnType<typeof createKbRepository>, logger: Logger): Promise<void> {
  if ((await kb.version()) > 0) return;
  const entries = await readDemoKb();
  const summary = await kb.import(entries, { changedBy: 'demo' });
  logger.info({ entries: summary.inserted }, 'demo knowledge base loaded');
}

export type { ConversationStore };
