/**
 * End-to-end benchmark of one Telegram deployment: citizens in `telegram-test-api` (an emulator
 * of the Bot API) → the grammY adapter → the inbound queue → the worker pipeline with the real
 * hybrid inference → the outbound queue → sendMessage back to the emulator.
 *
 * Load shape: `chats` citizens at once, each sending `perChat` questions and waiting for the
 * answer before asking the next one (a closed loop, as people do in a chat). Latency is from the
 * moment the question reaches Telegram to the moment the answer does.
 *
 * Telegram's own send limits (30 messages/s per bot, 1/s per chat) are switched off in the
 * adapter's throttle here: the benchmark measures Kömek, not the limits Telegram imposes on
 * every bot; see the report for what they mean for sizing.
 *
 * The emulator runs in a process of its own, as Telegram is a remote server in production, so
 * the CPU its HTTP stack and getUpdates take is not charged to Kömek; both are reported.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { parseConfig, type Config } from '../app/config.ts';
import type { Role } from '../app/roles.ts';
import { startRuntime, type Runtime } from '../app/runtime.ts';
import { buildServices, readDemoKb, type AppServices } from '../app/services.ts';
import { decide } from '../core/decide.ts';
import type { Lang } from '../core/lang.ts';
import { detectPersonRequest } from '../core/person-request.ts';
import { detectSmallTalk } from '../core/small-talk.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEV_SETS = ['test/fixtures/dev-set-a.jsonl', 'test/fixtures/dev-set-b.jsonl'];

/** Throughput and latency of one run. */
export interface LoadResult {
  messages: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Messages that got no reply within the per-message timeout. */
  unanswered: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/**
 * `chats` loops at once, each running `send(chat, i)` for i = 0..perChat-1 in turn; `send`
 * resolves when the round trip is complete. A round trip slower than `timeoutMs` counts as
 * unanswered and the loop moves on, so one lost message cannot hang the benchmark.
 */
export async function closedLoop(
  chats: number,
  perChat: number,
  send: (chat: number, i: number) => Promise<void>,
  timeoutMs = 30_000,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let unanswered = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: chats }, async (_, chat) => {
      for (let i = 0; i < perChat; i++) {
        const t0 = performance.now();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
        // The timer is cleared on failure too: a pending 30 s timer would hold a failed run open.
        const outcome = await Promise.race([send(chat, i).then(() => 'ok' as const), timedOut]).finally(() => clearTimeout(timer));
        if (outcome === 'timeout') unanswered++;
        else latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    messages: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    p99Ms: percentile(latencies, 0.99),
    unanswered,
  };
}

/**
 * telegram-test-api in a child process (bench/emulator-process.mjs), as Telegram is a remote
 * server in production: its CPU is not charged to the Kömek process under test.
 */
export interface Emulator {
  token: string;
  apiRoot: string;
  /** Puts a citizen's message into Telegram; resolves with its message id. */
  send(chatId: number, text: string): Promise<number>;
  /** Resolves when the bot has replied to message `messageId`. */
  reply(messageId: number): Promise<void>;
  /** Replies per answered message beyond the first: should stay 0. */
  duplicates(): number;
  /** CPU time (user + system) the emulator's process has used so far, in milliseconds. */
  cpuMs(): Promise<number>;
  /** Ends the child; rejects if it had exited on its own before. */
  stop(): Promise<void>;
}

const EMULATOR_PROCESS = fileURLToPath(new URL('./emulator-process.mjs', import.meta.url));

type FromEmulator =
  | { t: 'ready'; token: string; apiRoot: string }
  | { t: 'sent'; seq: number; id: number }
  | { t: 'cpu'; seq: number; ms: number }
  | { t: 'replied'; to: number };

interface Pending<T> {
  resolve: (value: T) => void;
  reject: (err: Error) => void;
}

/**
 * Starts the emulator's process; resolves once it listens. If the child exits before `stop()`,
 * every pending and later call rejects with its stderr, so a crash fails the benchmark instead
 * of leaving the closed loop to time out message by message.
 */
export function startEmulator(): Promise<Emulator> {
  // No execArgv: the child is plain JavaScript and must not inherit tsx or an inspector port.
  const child = fork(EMULATOR_PROCESS, [], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const calls = new Map<number, Pending<number>>();
  const waiters = new Map<number, Pending<void>>();
  const answered = new Map<number, number>();
  let seq = 0;
  let stopping = false;
  let failure: Error | undefined;
  let ready!: Pending<{ token: string; apiRoot: string }>;
  const started = new Promise<{ token: string; apiRoot: string }>((resolve, reject) => (ready = { resolve, reject }));
  // A benchmark that exits without stop() (process.exit, an uncaught error) takes the child along.
  const killChild = () => void child.kill('SIGKILL');
  process.once('exit', killChild);

  const fail = (err: Error) => {
    failure ??= err;
    for (const pending of [...calls.values(), ...waiters.values()]) pending.reject(failure);
    calls.clear();
    waiters.clear();
    ready.reject(failure);
  };
  child.on('error', (err) => fail(new Error(`the Telegram emulator process failed: ${err.message}`, { cause: err })));
  // 'close', not 'exit': by then its stderr has been read to the end.
  child.once('close', (code, signal) => {
    process.removeListener('exit', killChild);
    fail(
      stopping
        ? new Error('the Telegram emulator has been stopped')
        : new Error(`the Telegram emulator (bench/emulator-process.mjs) exited with ${signal ?? `code ${code}`}: ${stderr.trim() || 'no stderr'}`),
    );
  });
  child.on('message', (msg: FromEmulator) => {
    if (msg.t === 'ready') ready.resolve(msg);
    else if (msg.t === 'replied') {
      answered.set(msg.to, (answered.get(msg.to) ?? 0) + 1);
      waiters.get(msg.to)?.resolve();
      waiters.delete(msg.to);
    } else {
      calls.get(msg.seq)?.resolve(msg.t === 'sent' ? msg.id : msg.ms);
      calls.delete(msg.seq);
    }
  });
  const call = (msg: { t: 'send'; chatId: number; text: string } | { t: 'cpu' }): Promise<number> => {
    if (failure) return Promise.reject(failure);
    const id = ++seq;
    return new Promise((resolve, reject) => {
      calls.set(id, { resolve, reject });
      // A closed channel means the child is gone; 'close' then rejects the call with its stderr.
      child.send({ ...msg, seq: id }, () => {});
    });
  };

  return started.then(({ token, apiRoot }) => ({
    token,
    apiRoot,
    send: (chatId, text) => call({ t: 'send', chatId, text }),
    reply(messageId) {
      if (answered.has(messageId)) return Promise.resolve();
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => waiters.set(messageId, { resolve, reject }));
    },
    duplicates: () => [...answered.values()].reduce((n, c) => n + c - 1, 0),
    cpuMs: () => call({ t: 'cpu' }),
    async stop() {
      if (failure && !stopping) throw failure;
      stopping = true;
      await stopProcess(child, 5_000);
    },
  }));
}

/** Kazakh and Russian questions of the development sets that should get an answer. */
export async function devQuestions(): Promise<Record<'kk' | 'ru', string[]>> {
  const out: Record<'kk' | 'ru', string[]> = { kk: [], ru: [] };
  for (const file of DEV_SETS) {
    for (const line of (await readFile(`${ROOT}${file}`, 'utf8')).split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { text: string; lang: Lang; expect: string };
      if (row.expect === 'answer' && (row.lang === 'kk' || row.lang === 'ru')) out[row.lang].push(row.text);
    }
  }
  return out;
}

/**
 * Keeps the questions the trained model answers or clarifies. Two fallbacks in a row hand a
 * chat to the operators' queue, where the bot only answers what it is confident of and
 * acknowledges the rest: a different load from the one measured.
 */
export async function answerable(services: AppServices, questions: Record<'kk' | 'ru', string[]>): Promise<Record<'kk' | 'ru', string[]>> {
  const { detector, retriever, thresholds } = services.inference;
  const keep = async (text: string) => {
    if (detectPersonRequest(text) || detectSmallTalk(text)) return false;
    const candidates = await retriever.retrieve(text, { lang: detector.detect(text).lang, limit: 5 });
    return decide(candidates, thresholds).action !== 'fallback';
  };
  const filter = async (list: string[]) => {
    const out: string[] = [];
    for (const q of list) if (await keep(q)) out.push(q);
    return out;
  };
  return { kk: await filter(questions.kk), ru: await filter(questions.ru) };
}

/** A fresh, empty database on the Postgres at `adminUrl`, dropped by `drop()`. */
export async function freshDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `komek_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 1 });
    },
  };
}

/** The variables a Kömek process of the benchmark runs with. */
export function benchEnv(emu: Emulator, extra: Record<string, string | undefined>): Record<string, string | undefined> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    TELEGRAM_BOT_TOKEN: emu.token,
    TELEGRAM_API_ROOT: emu.apiRoot,
    // Every chat asks `perChat` questions within seconds; the limit is for floods, not this.
    KOMEK_RATE_LIMIT_PER_MINUTE: '10000',
    ...extra,
  };
}

/** Services for `env`, with the demo knowledge base imported and the model trained. */
export async function trainedServices(env: Record<string, string | undefined>, log: (line: string) => void): Promise<AppServices> {
  const config: Config = parseConfig(env);
  const services = await buildServices(config);
  if ((await services.kb.version()) === 0) await services.kb.import(await readDemoKb(), { changedBy: 'bench' });
  const t0 = performance.now();
  await services.inference.ensureCurrent();
  log(`  model ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return services;
}

/** The runtime of `role` against the emulator, without Telegram's send limits. */
export function startBenchRuntime(services: AppServices, role: Role, prefix?: string): Promise<Runtime> {
  const config = prefix ? { ...services.config, queuePrefix: prefix } : services.config;
  return startRuntime(
    { ...services, config },
    { role, mounts: [], telegram: { polling: { idleDelayMs: 5 }, throttle: { perSecond: 1_000_000, perChatMs: 0, groupChatMs: 0 } } },
  );
}

export interface TelegramLoad {
  chats: number;
  perChat: number;
  /** Chat ids start here; each scenario uses its own so that dedupe never sees old ids. */
  firstChatId: number;
  questions: Record<'kk' | 'ru', string[]>;
  /** Unmeasured passes of this load before the measured one (bench/run.ts); 0 for none. */
  warmUp?: number;
}

/** Runs the closed loop through the emulator while sampling the peak RSS of `pids`. */
export async function driveTelegram(emu: Emulator, load: TelegramLoad, pids: number[]): Promise<LoadResult & { rssMb: number[] }> {
  const peak = pids.map(() => 0);
  const sample = () => pids.forEach((pid, i) => (peak[i] = Math.max(peak[i]!, rssOf(pid))));
  const sampler = setInterval(sample, 250);
  try {
    const result = await closedLoop(load.chats, load.perChat, (chat, i) => {
      const lang = chat % 2 === 0 ? 'kk' : 'ru';
      const pool = load.questions[lang];
      return emu.send(load.firstChatId + chat, pool[(chat * 7 + i) % pool.length]!).then((id) => emu.reply(id));
    });
    sample();
    return { ...result, rssMb: peak.map((b) => b / 2 ** 20) };
  } finally {
    clearInterval(sampler);
  }
}

/** An open-loop run: what was offered, and latency from each message's scheduled send time. */
export interface OpenLoopResult {
  /** Messages a second offered: the schedule, not what came back. */
  offeredPerSecond: number;
  seconds: number;
  sent: number;
  answered: number;
  p50Ms: number;
  p99Ms: number;
  /** Messages with no reply within the timeout. */
  unanswered: number;
}

/**
 * Offers `ratePerSecond` messages for `seconds`, each at its scheduled moment whether or not the
 * earlier ones have been answered (an open loop: citizens do not wait for each other), spread
 * over `chats` chats in turn. Latency runs from the scheduled moment, not from when the timer
 * actually fired, so a driver or an event loop that falls behind shows up in the figures
 * instead of quietly lowering the rate (no coordinated omission).
 */
export async function openLoop(
  emu: Emulator,
  opts: { ratePerSecond: number; seconds: number; chats: number; firstChatId: number; questions: Record<'kk' | 'ru', string[]>; timeoutMs?: number },
): Promise<OpenLoopResult> {
  const total = Math.max(1, Math.round(opts.ratePerSecond * opts.seconds));
  const intervalMs = 1000 / opts.ratePerSecond;
  const latencies: number[] = [];
  let unanswered = 0;
  const inFlight: Promise<void>[] = [];
  const began = performance.now();
  for (let i = 0; i < total; i++) {
    const due = began + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const chat = i % opts.chats;
    const lang = chat % 2 === 0 ? 'kk' : 'ru';
    const pool = opts.questions[lang];
    const text = pool[(chat * 7 + Math.floor(i / opts.chats)) % pool.length]!;
    inFlight.push(roundTrip(emu, opts.firstChatId + chat, text, opts.timeoutMs ?? 30_000).then((ok) => {
      if (ok) latencies.push(performance.now() - due);
      else unanswered++;
    }));
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  return {
    offeredPerSecond: opts.ratePerSecond,
    seconds: (total * intervalMs) / 1000,
    sent: total,
    answered: latencies.length,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    unanswered,
  };
}

/** One question into Telegram and its answer back; false when none came within `timeoutMs`. */
async function roundTrip(emu: Emulator, chatId: number, text: string, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
  const answered = emu.send(chatId, text).then((id) => emu.reply(id)).then(() => true as const);
  return Promise.race([answered, timedOut]).finally(() => clearTimeout(timer));
}

/**
 * `load.warmUp` unmeasured passes of the load (default 1), each on chats of its own above the
 * measured ones, so that dedupe and conversations never meet the measured run's.
 */
export async function warmUpTelegram(emu: Emulator, load: TelegramLoad, pids: number[]): Promise<void> {
  for (let pass = 0; pass < (load.warmUp ?? 1); pass++) {
    await driveTelegram(emu, { ...load, firstChatId: load.firstChatId + 50_000 + pass * load.chats }, pids);
  }
}

/** Resident memory of a process in bytes (Linux /proc; this process through node). */
export function rssOf(pid: number): number {
  if (pid === process.pid) return process.memoryUsage.rss();
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** /proc counts CPU time in clock ticks: USER_HZ, 100 a second on Linux (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; this process through node). */
export function cpuMsOf(pid: number): number {
  if (pid === process.pid) {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces; utime and stime are the 12th and 13th
    // fields after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** A `komek worker` process; resolves once it takes jobs. */
export function startWorkerProcess(env: Record<string, string | undefined>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [`${ROOT}bin/komek.js`, 'worker'], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('is running')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`komek worker exited early with ${code}: ${stderr.trim()}`)));
  });
}

/** SIGTERM, then the exit code (SIGKILL after `graceMs`). */
export function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}
