/**
 * The one configuration schema. It is parsed once, at start, by the composition root; nothing
 * else reads `process.env`. An unknown `KOMEK_*` variable or a malformed value stops start-up
 * with a message naming the variable, so a typo never silently falls back to a default.
 */
import { z } from 'zod';
import { parseTrustedProxies } from '../console/client-address.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = (protocols: string[]) =>
  z
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Environment variables Kömek understands, with their defaults. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  REDIS_URL: url(['redis', 'rediss']).optional(),
  /** Where the message queues live; unset: chosen by app/roles.ts (queueBackendFor). */
  KOMEK_QUEUE: z.enum(['redis', 'postgres', 'memory']).optional(),
  KOMEK_DATA_DIR: z.string().min(1).default('./.komek'),
  KOMEK_DEMO_KB: bool.default(true),
  KOMEK_QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('komek'),
  KOMEK_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  KOMEK_QUEUE_HIGH_WATER: z.coerce.number().int().min(1).max(10_000_000).default(5000),
  KOMEK_ONNX_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  KOMEK_SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  KOMEK_MAX_MESSAGE_CHARS: z.coerce.number().int().min(100).max(100_000).default(2000),
  KOMEK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  KOMEK_ESCALATE_CATEGORIES: z.string().default(''),
  KOMEK_ESCALATE_KEYWORDS: z.string().default(''),
  KOMEK_OFFICE_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM-HH:MM')
    .default('09:00-18:00'),
  KOMEK_OFFICE_DAYS: z.string().regex(/^[1-7](,[1-7])*$/, 'must be ISO weekdays like 1,2,3,4,5').default('1,2,3,4,5'),
  KOMEK_TIMEZONE: z.string().default('Asia/Almaty'),
  KOMEK_SESSION_SECRET: z.string().min(16).optional(),
  KOMEK_PUBLIC_URL: url(['http', 'https']).optional(),
  KOMEK_TRUSTED_PROXIES: z
    .string()
    .default('')
    .superRefine((v, ctx) => {
      try {
        parseTrustedProxies(list(v));
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    }),
  EMBEDDING_MODEL_DIR: z.string().min(1).optional(),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-…').optional(),
  TELEGRAM_API_ROOT: url(['http', 'https']).optional(),
  TELEGRAM_MODE: z.enum(['polling', 'webhook']).default('polling'),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/).optional(),
  WHATSAPP_ENABLED: bool.default(false),
});

export type Env = z.infer<typeof envSchema>;

/** The parsed configuration handed to factories. */
export interface Config {
  env: Env['NODE_ENV'];
  http: {
    port: number;
    host: string;
    publicUrl?: string;
    /** Reverse proxies whose X-Forwarded-For is believed (addresses and CIDR ranges); none by default. */
    trustedProxies?: string[];
  };
  logLevel: Env['LOG_LEVEL'];
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  redisUrl?: string;
  /** KOMEK_QUEUE as given; app/roles.ts decides the backend when it is unset. */
  queue?: 'redis' | 'postgres' | 'memory';
  dataDir: string;
  demoKb: boolean;
  queuePrefix: string;
  workerConcurrency: number;
  /** After SIGTERM/SIGINT, the process exits at the latest this long after (a hung close must not keep it). */
  shutdownTimeoutSeconds: number;
  /** Messages waiting in the queues above which intake pauses (Telegram) or is refused (503). */
  queueHighWater: number;
  onnxThreads: number;
  maxMessageChars: number;
  rateLimitPerMinute: number;
  escalation: { categories: string[]; keywords: string[] };
  officeHours: { from: string; to: string; days: number[]; timezone: string };
  sessionSecret?: string;
  embeddingModelDir?: string;
  telegram?: { token: string; apiRoot?: string; mode: 'polling' | 'webhook'; webhookSecret?: string };
  whatsapp: { enabled: boolean };
}

/** Thrown when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Parses the environment into a {@link Config}. Empty strings count as unset, which is what a
 * blank line in an env file means.
 */
export function parseConfig(source: Record<string, string | undefined>): Config {
  const known = new Set(Object.keys(envSchema.shape));
  const problems: string[] = [];
  for (const key of Object.keys(source)) {
    if (key.startsWith('KOMEK_') && !known.has(key)) problems.push(`${key}: unknown variable`);
  }
  const input = Object.fromEntries(
    [...known].filter((k) => source[k] !== undefined && source[k] !== '').map((k) => [k, source[k]]),
  );
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;
  if (e.TELEGRAM_MODE === 'webhook' && e.TELEGRAM_BOT_TOKEN && !e.KOMEK_PUBLIC_URL) {
    throw new ConfigError(['KOMEK_PUBLIC_URL: required when TELEGRAM_MODE=webhook']);
  }
  if (e.KOMEK_QUEUE === 'redis' && !e.REDIS_URL) throw new ConfigError(['KOMEK_QUEUE: "redis" needs REDIS_URL']);
  if (e.KOMEK_QUEUE === 'postgres' && !e.DATABASE_URL) {
    // The embedded database belongs to one process and cannot carry a queue between processes.
    throw new ConfigError(['KOMEK_QUEUE: "postgres" needs DATABASE_URL (the embedded database serves one process only)']);
  }
  const [from, to] = e.KOMEK_OFFICE_HOURS.split('-') as [string, string];
  if (!isTimeZone(e.KOMEK_TIMEZONE)) throw new ConfigError([`KOMEK_TIMEZONE: unknown time zone "${e.KOMEK_TIMEZONE}"`]);
  return {
    env: e.NODE_ENV,
    http: { port: e.PORT, host: e.HOST, publicUrl: e.KOMEK_PUBLIC_URL, trustedProxies: list(e.KOMEK_TRUSTED_PROXIES) },
    logLevel: e.LOG_LEVEL,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: e.KOMEK_DATA_DIR },
    redisUrl: e.REDIS_URL,
    queue: e.KOMEK_QUEUE,
    dataDir: e.KOMEK_DATA_DIR,
    demoKb: e.KOMEK_DEMO_KB,
    queuePrefix: e.KOMEK_QUEUE_PREFIX,
    workerConcurrency: e.KOMEK_WORKER_CONCURRENCY,
    shutdownTimeoutSeconds: e.KOMEK_SHUTDOWN_TIMEOUT_SECONDS,
    queueHighWater: e.KOMEK_QUEUE_HIGH_WATER,
    onnxThreads: e.KOMEK_ONNX_THREADS,
    maxMessageChars: e.KOMEK_MAX_MESSAGE_CHARS,
    rateLimitPerMinute: e.KOMEK_RATE_LIMIT_PER_MINUTE,
    escalation: { categories: list(e.KOMEK_ESCALATE_CATEGORIES), keywords: list(e.KOMEK_ESCALATE_KEYWORDS) },
    officeHours: { from, to, days: list(e.KOMEK_OFFICE_DAYS).map(Number), timezone: e.KOMEK_TIMEZONE },
    sessionSecret: e.KOMEK_SESSION_SECRET,
    embeddingModelDir: e.EMBEDDING_MODEL_DIR,
    telegram: e.TELEGRAM_BOT_TOKEN
      ? { token: e.TELEGRAM_BOT_TOKEN, apiRoot: e.TELEGRAM_API_ROOT, mode: e.TELEGRAM_MODE, webhookSecret: e.TELEGRAM_WEBHOOK_SECRET }
      : undefined,
    whatsapp: { enabled: e.WHATSAPP_ENABLED },
  };
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
