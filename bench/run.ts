/**
 * `npm run bench` (`komek bench`): the end-to-end Telegram benchmark on real Redis and Postgres,
 * the bare BullMQ round trip on the same Redis (alone, through Kömek's queue layer, and as an
 * echo bot with Telegram at both ends), an open-loop run at a fixed offered rate for latency,
 * several `komek worker` processes, Kömek on Postgres alone (no Redis: queues, rate limit and
 * relay in Postgres, 1 process and the same workers), the embedded default (PGlite and the
 * in-process queue), then one worker's memory (bench/worker-memory.ts) and the encoder benchmark
 * (bench/encoder.ts). Every
 * scenario gets the same unmeasured warm-up passes first, so the figures are the steady state.
 * Each Kömek run also prints CPU time per message of the Kömek process(es) and, separately, of
 * the emulator's process: steadier than messages/s on a shared machine, and what sizing needs.
 * Kömek's figure includes the load driver, which shares this process (as it does in the bare
 * run). All traffic stays on loopback. The last line is `ratio X.XX`: Kömek's messages/s on
 * Redis and Postgres divided by bare queue round trips/s under the same load.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { DEFAULT_PARTITIONS } from '../app/queues.ts';
import type { AppServices } from '../app/services.ts';
import {
  answerable,
  benchEnv,
  cpuMsOf,
  devQuestions,
  driveTelegram,
  openLoop,
  type OpenLoopResult,
  freshDatabase,
  startBenchRuntime,
  startEmulator,
  startWorkerProcess,
  stopProcess,
  trainedServices,
  type Emulator,
  type LoadResult,
  type TelegramLoad,
  warmUpTelegram,
} from './e2e.ts';
import { dropPrefix, runPartitionedBaseline, runQueueBaseline, runTelegramEchoBaseline } from './queue-baseline.ts';

export const SECTIONS = ['e2e', 'memory', 'encoder'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  out: (line: string) => void;
  sections: readonly Section[];
  redisUrl: string;
  /** A Postgres where the benchmark may create (and drop) a database of its own. */
  postgresUrl: string;
  chats: number;
  perChat: number;
  /** `komek worker` processes in the multi-process run. */
  workers: number;
  /** KOMEK_WORKER_CONCURRENCY, and the bare workers' concurrency. */
  concurrency: number;
  /**
   * Unmeasured passes of the full load before each measured one, in every scenario alike. A
   * process runs its first few thousand messages markedly slower (the JIT compiles the hot
   * paths, connections prepare their statements); a service runs for days, so the figures are
   * the steady state.
   */
  warmUp: number;
  /** Messages a second the open-loop run offers (default 100). */
  openLoopRate?: number;
  /** How long the open-loop run offers them, seconds (default 30). */
  openLoopSeconds?: number;
}

/** Redis or Postgres is not there: the message says which, where, and how to start it. */
export class BenchSetupError extends Error {
  override name = 'BenchSetupError';
}

/** Runs the chosen sections; returns the ratio when the end-to-end section ran. */
export async function runBench(opts: BenchOptions): Promise<number | undefined> {
  const { out } = opts;
  out(describeMachine());
  // End to end first: the encoder section's 10,000-entry index would stay in this process's
  // memory and inflate the RSS reported for the Kömek process.
  let summary: { ratio: number; lines: string[] } | undefined;
  if (opts.sections.includes('e2e')) {
    await checkServices(opts);
    out('');
    out('== end to end: telegram-test-api → grammY adapter → queue → worker pipeline → reply ==');
    out(`load: ${opts.chats} chats × ${opts.perChat} messages (kk/ru questions of the dev sets), each chat waits for its answer; worker concurrency ${opts.concurrency}; Telegram's send limits off`);
    out(`each scenario, Kömek and bare alike, first runs ${opts.warmUp} unmeasured pass${opts.warmUp === 1 ? '' : 'es'} of the same load (steady state, not a cold start)`);
    const emu = await startEmulator();
    try {
      summary = await endToEnd(emu, opts);
    } finally {
      await emu.stop();
    }
  }
  if (opts.sections.includes('memory')) {
    await checkServices(opts);
    out('');
    out('== komek worker memory, demo knowledge base ==');
    const emu = await startEmulator();
    try {
      await workerMemory(emu, opts);
    } finally {
      await emu.stop();
    }
  }
  if (opts.sections.includes('encoder')) {
    out('');
    out('== large knowledge base ==');
    const { runLargeKbBench } = await import('./large-kb.ts');
    await runLargeKbBench(out);
    out('');
    out('== encoder and retrieval ==');
    const { runEncoderBench } = await import('./encoder.ts');
    await runEncoderBench(out);
  }
  if (!summary) return undefined;
  out('');
  summary.lines.forEach(out);
  return summary.ratio;
}

/** Runs the end-to-end scenarios; returns the ratio and the summary that ends the output. */
async function endToEnd(emu: Emulator, opts: BenchOptions): Promise<{ ratio: number; lines: string[] }> {
  const { out } = opts;
  const stamp = Date.now().toString(36);
  const prefixes = [`komek-bench-${stamp}-a`, `komek-bench-${stamp}-w`];
  const pgPrefixes = [`komek-bench-${stamp}-pa`, `komek-bench-${stamp}-pw`];
  const db = await freshDatabase(opts.postgresUrl);
  const env = benchEnv(emu, {
    DATABASE_URL: db.url,
    REDIS_URL: opts.redisUrl,
    KOMEK_QUEUE_PREFIX: prefixes[0],
    KOMEK_WORKER_CONCURRENCY: String(opts.concurrency),
  });
  let services: AppServices | undefined;
  try {
    out('Redis + Postgres: importing the demo knowledge base, training the model (not timed)…');
    services = await trainedServices(env, out);
    const questions = await answerable(services, await devQuestions());
    out(`  questions the model answers or clarifies: kk ${questions.kk.length}, ru ${questions.ru.length}`);
    const load = (firstChatId: number): TelegramLoad => ({ chats: opts.chats, perChat: opts.perChat, firstChatId, questions, warmUp: opts.warmUp });

    const one = await timed(emu, services, load(100_000), 'all');
    out(line('Kömek, Redis + Postgres, 1 process', one, 'process RSS (adapter + worker)'));
    const rate = opts.openLoopRate ?? 100;
    const open = await openLoopRun(emu, services, load(500_000), rate, opts.openLoopSeconds ?? 30);
    out(`Kömek, Redis + Postgres, 1 process, open loop at ${rate} msg/s for ${open.seconds.toFixed(0)} s (${rate} chats, one message a second each, Telegram update → sendMessage): latency p50 ${ms(open.p50Ms)} p99 ${ms(open.p99Ms)}; ${open.answered} of ${open.sent} answered, ${open.unanswered} unanswered`);

    const bare = await runQueueBaseline({ redisUrl: opts.redisUrl, chats: opts.chats, perChat: opts.perChat, concurrency: opts.concurrency, warmUp: opts.warmUp });
    out(line('bare BullMQ round trips, same Redis', bare));
    out(`    CPU per message: ${cpuMs(bare.cpuMs / bare.messages)} (driver and both workers, one process)`);
    const parts = await runPartitionedBaseline({ redisUrl: opts.redisUrl, chats: opts.chats, perChat: opts.perChat, concurrency: opts.concurrency, warmUp: opts.warmUp, partitions: DEFAULT_PARTITIONS });
    out(line(`Kömek's queue layer alone (${DEFAULT_PARTITIONS} partitions per direction for per-chat order), no work, same Redis`, parts));
    out(`    CPU per message: ${cpuMs(parts.cpuMs / parts.messages)} (driver and both workers, one process)`);
    const echo = await runTelegramEchoBaseline(emu, opts.redisUrl, load(400_000), opts.concurrency);
    out(line('bare BullMQ with Telegram both ways (grammY long polling → inbound → outbound → sendMessage), no work', echo));
    out(`    CPU per message: ${cpuMs(echo.cpuMs / echo.messages)} (bot, driver and both workers, one process), emulator not counted`);

    const many = await withWorkers(emu, services, env, prefixes[1]!, load(200_000), opts.workers);
    out(line(`Kömek, Redis + Postgres, ${opts.workers} × komek worker`, many, 'worker RSS'));

    await services.close();
    services = undefined;
    // The same database and trained model, no Redis at all: every process queues in Postgres.
    const pgEnv: Record<string, string | undefined> = { ...env, REDIS_URL: undefined, KOMEK_QUEUE_PREFIX: pgPrefixes[0], KOMEK_QUEUE: 'postgres' };
    out('Postgres alone: the same database, no REDIS_URL, KOMEK_QUEUE=postgres (model loaded, not timed)…');
    services = await trainedServices(pgEnv, out);
    const pgOne = await timed(emu, services, load(500_000), 'all');
    out(line('Kömek, Postgres alone, 1 process', pgOne, 'process RSS (adapter + worker)'));
    const pgMany = await withWorkers(emu, services, pgEnv, pgPrefixes[1]!, load(600_000), opts.workers);
    out(line(`Kömek, Postgres alone, ${opts.workers} × komek worker`, pgMany, 'worker RSS'));
    await services.close();
    services = undefined;
    const embedded = await withEmbedded(emu, load(300_000), opts, out);
    out(line('Kömek, embedded (PGlite + in-process queue)', embedded, 'process RSS (adapter + worker)'));

    const ratio = one.perSecond / bare.perSecond;
    return {
      ratio,
      lines: [
        `Kömek's queue layer alone ÷ bare queue: ${(parts.perSecond / bare.perSecond).toFixed(2)} (what per-chat order and durability cost before any work)`,
        `bare queue with Telegram both ways ÷ bare queue: ${(echo.perSecond / bare.perSecond).toFixed(2)} (the channel alone: the ceiling of any pipeline's ratio here)`,
        `Kömek ÷ echo bot: ${(one.perSecond / echo.perSecond).toFixed(2)} (Kömek end to end over the same Telegram round trip with no work, same load and warm-up)`,
        `Kömek on Postgres alone ÷ on Redis + Postgres: 1 process ${(pgOne.perSecond / one.perSecond).toFixed(2)}, ${opts.workers} × komek worker ${(pgMany.perSecond / many.perSecond).toFixed(2)} (msg/s); CPU per message ${cpuMs(sum(pgOne.cpu.komekMs))} vs ${cpuMs(sum(one.cpu.komekMs))}`,
        `Kömek ${one.perSecond.toFixed(1)} msg/s ÷ bare queue ${bare.perSecond.toFixed(1)} round trips/s`,
        `ratio ${ratio.toFixed(2)}`,
      ],
    };
  } finally {
    await services?.close();
    await db.drop();
    for (const prefix of prefixes) await dropPrefix(opts.redisUrl, prefix);
  }
}

/** A database and model of its own, then bench/worker-memory.ts under the end-to-end load. */
async function workerMemory(emu: Emulator, opts: BenchOptions): Promise<void> {
  const prefix = `komek-bench-${Date.now().toString(36)}-m`;
  const db = await freshDatabase(opts.postgresUrl);
  const env = benchEnv(emu, { DATABASE_URL: db.url, REDIS_URL: opts.redisUrl, KOMEK_QUEUE_PREFIX: prefix, KOMEK_WORKER_CONCURRENCY: String(opts.concurrency) });
  let services: AppServices | undefined;
  try {
    opts.out('importing the demo knowledge base, training the model (not timed)…');
    services = await trainedServices(env, opts.out);
    const questions = await answerable(services, await devQuestions());
    const { runWorkerMemory } = await import('./worker-memory.ts');
    await runWorkerMemory(emu, services, env, prefix, { chats: opts.chats, perChat: opts.perChat, firstChatId: 600_000, questions, warmUp: opts.warmUp }, opts.out);
  } finally {
    await services?.close();
    await db.drop();
    await dropPrefix(opts.redisUrl, prefix);
  }
}

/** CPU time per answered message: each Kömek process (this one first), and the emulator. */
interface CpuPerMessage {
  komekMs: number[];
  emulatorMs: number;
}

type Measured = LoadResult & { rssMb: number[]; duplicates: number; stages?: string; cpu: CpuPerMessage };

/** Warm-up passes (chats of their own), then the measured load against a runtime of `role`. */
async function timed(emu: Emulator, services: AppServices, load: TelegramLoad, role: 'all' | 'bots', prefix?: string, pids = [process.pid]): Promise<Measured> {
  const runtime = await startBenchRuntime(services, role, prefix);
  try {
    await warmUpTelegram(emu, load, pids);
    const before = emu.duplicates();
    const stagesBefore = await stageTotals(services);
    // This process runs the adapter (and with role 'all' the worker); `pids` adds the workers.
    const komekPids = [...new Set([process.pid, ...pids])];
    const emulatorBefore = await emu.cpuMs();
    const komekBefore = komekPids.map(cpuMsOf);
    const result = await driveTelegram(emu, load, pids);
    const komekAfter = komekPids.map(cpuMsOf);
    const emulatorAfter = await emu.cpuMs();
    const cpu = {
      komekMs: komekAfter.map((after, i) => (after - komekBefore[i]!) / result.messages),
      emulatorMs: (emulatorAfter - emulatorBefore) / result.messages,
    };
    const stages = role === 'all' ? describeStages(stagesBefore, await stageTotals(services)) : undefined;
    // Anything answered twice would arrive within moments of the first answer.
    await new Promise((r) => setTimeout(r, 500));
    return { ...result, duplicates: emu.duplicates() - before, stages, cpu };
  } finally {
    await runtime.close();
  }
}

/**
 * The closed loop shows the most one process can do, where every message waits behind the
 * others; a service lives below that, with citizens arriving on their own. So: the same warm-up,
 * then a fixed offered rate, one chat per message a second (Telegram's per-chat pace).
 */
async function openLoopRun(emu: Emulator, services: AppServices, load: TelegramLoad, rate: number, seconds: number): Promise<OpenLoopResult> {
  const runtime = await startBenchRuntime(services, 'all');
  try {
    await warmUpTelegram(emu, load, [process.pid]);
    return await openLoop(emu, { ratePerSecond: rate, seconds, chats: rate, firstChatId: load.firstChatId, questions: load.questions });
  } finally {
    await runtime.close();
  }
}

async function withWorkers(emu: Emulator, services: AppServices, env: Record<string, string | undefined>, prefix: string, load: TelegramLoad, count: number): Promise<Measured> {
  const workerEnv = { ...env, KOMEK_QUEUE_PREFIX: prefix, NODE_ENV: 'production' };
  const children = await Promise.all(Array.from({ length: count }, () => startWorkerProcess(workerEnv)));
  try {
    return await timed(emu, services, load, 'bots', prefix, children.map((c) => c.pid!));
  } finally {
    await Promise.all(children.map((c) => stopProcess(c)));
  }
}

async function withEmbedded(emu: Emulator, load: TelegramLoad, opts: BenchOptions, out: (line: string) => void): Promise<Measured> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'komek-bench-'));
  out('embedded: PGlite in a temporary folder, demo knowledge base, training the model (not timed)…');
  const services = await trainedServices(benchEnv(emu, { KOMEK_DATA_DIR: dir, KOMEK_WORKER_CONCURRENCY: String(opts.concurrency) }), out);
  try {
    return await timed(emu, services, load, 'all');
  } finally {
    await services.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Sums and counts of the pipeline and retrieval histograms (this process's worker only). */
async function stageTotals(services: AppServices): Promise<Record<string, { sum: number; count: number }>> {
  const totals: Record<string, { sum: number; count: number }> = {};
  for (const [name, histogram] of [['pipeline', services.metrics.pipelineSeconds], ['retrieval', services.metrics.inferenceSeconds]] as const) {
    const t = { sum: 0, count: 0 };
    for (const v of (await histogram.get()).values) {
      if (v.metricName?.endsWith('_sum')) t.sum += v.value;
      if (v.metricName?.endsWith('_count')) t.count += v.value;
    }
    totals[name] = t;
  }
  return totals;
}

function describeStages(before: Awaited<ReturnType<typeof stageTotals>>, after: Awaited<ReturnType<typeof stageTotals>>): string {
  return Object.keys(after)
    .map((k) => {
      const n = after[k]!.count - before[k]!.count;
      return `${k} ${n > 0 ? (((after[k]!.sum - before[k]!.sum) / n) * 1000).toFixed(1) : '–'} ms`;
    })
    .join(', ');
}

function line(label: string, r: LoadResult & { rssMb?: number[]; duplicates?: number; stages?: string; cpu?: CpuPerMessage }, rssLabel = 'RSS'): string {
  const rss = r.rssMb?.length ? `, ${rssLabel} ${r.rssMb.map((m) => m.toFixed(0)).join(' / ')} MB` : '';
  const faults = `${r.unanswered} unanswered${r.duplicates === undefined ? '' : `, ${r.duplicates} answered twice`}`;
  const stages = r.stages ? `\n    mean time per message in the worker: ${r.stages}` : '';
  const cpu = r.cpu ? `\n    ${describeCpu(r.cpu)}` : '';
  return `${label}: ${r.perSecond.toFixed(1)} msg/s (${r.messages} in ${r.seconds.toFixed(1)} s), latency p50 ${ms(r.p50Ms)} p95 ${ms(r.p95Ms)} p99 ${ms(r.p99Ms)}${rss}; ${faults}${stages}${cpu}`;
}

function describeCpu({ komekMs, emulatorMs }: CpuPerMessage): string {
  const total = komekMs.reduce((a, b) => a + b, 0);
  const [adapter, ...workers] = komekMs;
  const split = workers.length > 0 ? ` (adapter process ${cpuMs(adapter!)}, komek worker ${workers.map(cpuMs).join(' / ')})` : '';
  return `CPU per message: Kömek ${cpuMs(total)}${split}, emulator ${cpuMs(emulatorMs)}`;
}

const ms = (v: number) => `${v.toFixed(0)} ms`;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const cpuMs = (v: number) => `${v.toFixed(2)} ms`;

function describeMachine(): string {
  const cpus = os.cpus();
  return `machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** Fails early, naming the service, its address and how to start it, as .ci/run does. */
async function checkServices(opts: BenchOptions): Promise<void> {
  const redis = new Redis(opts.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new BenchSetupError(
      `Redis at ${opts.redisUrl} is unreachable (${(err as Error).message}). Start it, e.g. \`redis-server --daemonize yes --port 6379 --save "" --appendonly no\`, or pass --redis-url.`,
    );
  } finally {
    redis.disconnect();
  }
  const sql = postgres(opts.postgresUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (err) {
    throw new BenchSetupError(
      `Postgres at ${opts.postgresUrl} is unreachable (${(err as Error).message}). Start it, e.g. \`pg_ctlcluster <version> main start\`, or pass --postgres-url (the benchmark creates and drops a database there).`,
    );
  } finally {
    await sql.end({ timeout: 1 });
  }
}
