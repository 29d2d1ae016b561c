/**
 * `komek bench` (`npm run bench`): the benchmark of bench/run.ts. It makes its own database,
 * queue prefix and Telegram emulator, so it never touches the deployment's configuration; the
 * Redis and Postgres it uses are named by flags (defaults: the local servers CI starts).
 */
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';

/** Kept here (not imported from bench/) so that loading the CLI never loads dev-only packages. */
const SECTIONS = ['e2e', 'memory', 'encoder'] as const;

const USAGE = `Usage: komek bench [--only e2e|memory|encoder] [--chats N] [--per-chat N] [--workers N]
                   [--concurrency N] [--warm-up N] [--open-rate N] [--open-seconds N]
                   [--redis-url URL] [--postgres-url URL]

Measures Kömek end to end on real Redis and Postgres: citizens in telegram-test-api, the grammY
adapter, the queue, the worker pipeline with the trained model, the reply. Prints messages/s,
latency p50/p95/p99 and memory; the same load as bare BullMQ round trips on the same Redis; the
embedded default (PGlite, in-process queue); several \`komek worker\` processes. The last line
is \`ratio X.XX\` (Kömek's messages/s ÷ bare round trips/s). Only loopback traffic.

  --only           run one section (default: e2e, memory, then encoder)
  --chats          citizens asking at once (default 50)
  --per-chat       questions each asks, one after the other's answer (default 20)
  --workers        komek worker processes in the multi-process run (default 2)
  --concurrency    jobs a worker runs at once (default 8)
  --warm-up        unmeasured passes of the load before each measured run, in every
                   scenario alike (default 3): the figures are the steady state
  --open-rate      messages a second of the open-loop latency run (default 100)
  --open-seconds   how long the open-loop run offers them (default 30)
  --redis-url      default redis://127.0.0.1:6379
  --postgres-url   a server where a scratch database may be created and dropped
                   (default postgres://postgres@127.0.0.1:5432/postgres)`;

function count(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
  return n;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'benchmark end to end (Telegram emulator, queue, worker) against bare BullMQ',
  usage: USAGE,
  async run(ctx) {
    const { values } = parseArgs({
      args: ctx.argv,
      options: {
        only: { type: 'string' },
        chats: { type: 'string' },
        'per-chat': { type: 'string' },
        workers: { type: 'string' },
        concurrency: { type: 'string' },
        'warm-up': { type: 'string' },
        'open-rate': { type: 'string' },
        'open-seconds': { type: 'string' },
        'redis-url': { type: 'string' },
        'postgres-url': { type: 'string' },
      },
    });
    if (values.only !== undefined && !(SECTIONS as readonly string[]).includes(values.only)) {
      throw new UsageError(`--only must be one of ${SECTIONS.join(', ')}`);
    }
    // The benchmark needs telegram-test-api, a development dependency: loaded only when run.
    const { BenchSetupError, runBench } = await import('../../bench/run.ts');
    const out = (line: string) => void ctx.stdout.write(`${line}\n`);
    try {
      await runBench({
        out,
        sections: values.only ? [values.only as (typeof SECTIONS)[number]] : SECTIONS,
        chats: count(values.chats, 'chats', 50, 1000),
        perChat: count(values['per-chat'], 'per-chat', 20, 1000),
        workers: count(values.workers, 'workers', 2, 32),
        concurrency: count(values.concurrency, 'concurrency', 8, 256),
        warmUp: count(values['warm-up'], 'warm-up', 3, 20),
        openLoopRate: count(values['open-rate'], 'open-rate', 100, 10_000),
        openLoopSeconds: count(values['open-seconds'], 'open-seconds', 30, 3600),
        redisUrl: values['redis-url'] ?? 'redis://127.0.0.1:6379',
        postgresUrl: values['postgres-url'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      });
      return 0;
    } catch (err) {
      if (!(err instanceof BenchSetupError)) throw err;
      ctx.stderr.write(`komek bench: ${err.message}\n`);
      return 69;
    }
  },
};
