/**
 * The bare BullMQ round trip, the yardstick for Kömek's own throughput: an inbound job whose
 * worker adds an outbound job whose worker completes, with no work in between. Run with the
 * same load shape as the end-to-end benchmark (chats × messages, each chat waiting for the
 * previous round trip before the next), on the same Redis, so the ratio of the two is what the
 * pipeline costs above the queue itself.
 */
import { randomBytes } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import { Bot } from 'grammy';
import { Redis } from 'ioredis';
import type { Logger } from '../core/ports.ts';
import { createBullmqQueue } from '../queue/bullmq-queue.ts';
import { closedLoop, driveTelegram, warmUpTelegram, type Emulator, type LoadResult, type TelegramLoad } from './e2e.ts';

export interface QueueBaselineOptions {
  redisUrl: string;
  chats: number;
  perChat: number;
  /** Jobs each of the two workers runs at once (Kömek's KOMEK_WORKER_CONCURRENCY). */
  concurrency: number;
  /** Unmeasured passes of the same load first, as the Kömek runs get (see bench/run.ts). */
  warmUp: number;
}

/**
 * Runs `chats × perChat` bare round trips; removes its keys afterwards. `cpuMs` is this
 * process's CPU time (the driver and both workers) during the round trips.
 */
export async function runQueueBaseline(opts: QueueBaselineOptions): Promise<LoadResult & { cpuMs: number }> {
  const waiting = new Map<string, () => void>();
  const relay = bareRelay<{ chat: number }>(opts.redisUrl, 'bare', opts.concurrency, async (job) => {
    waiting.get(job.id!)?.();
    waiting.delete(job.id!);
  });
  try {
    await relay.ready();
    return await warmThenMeasure(opts, (id, chat) => {
      const done = new Promise<void>((resolve) => waiting.set(id, resolve));
      return relay.inbound.add('message', { chat }, { ...BARE_JOB, jobId: id }).then(() => done);
    });
  } finally {
    await relay.close();
  }
}

/**
 * The bare round trip with Telegram at both ends and still no work: an echo bot. grammY's long
 * polling takes citizens' messages from the emulator and adds each as an inbound job; the inbound
 * worker adds an outbound job; the outbound worker sends a reply with `sendMessage`. This is the
 * most any pipeline between Telegram and this queue could reach on the machine: what the channel
 * itself costs, before per-chat order, durability or an answer. Same load as Kömek's runs (its
 * warm-up passes included); `cpuMs` is this process's CPU time (bot, driver and both workers).
 */
export async function runTelegramEchoBaseline(emu: Emulator, redisUrl: string, load: TelegramLoad, concurrency: number): Promise<LoadResult & { cpuMs: number }> {
  type Echo = { chatId: number; messageId: number };
  const bot = new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });
  const relay = bareRelay<Echo>(redisUrl, 'echo', concurrency, async (job) => {
    await bot.api.sendMessage(job.data.chatId, 'ok', { reply_parameters: { message_id: job.data.messageId } });
  });
  bot.on('message', async (ctx) => {
    // A custom id, as Kömek's jobs have (BullMQ refuses integer-like custom ids: hence the letters).
    await relay.inbound.add('message', { chatId: ctx.chat.id, messageId: ctx.message.message_id }, { ...BARE_JOB, jobId: `c${ctx.chat.id}-m${ctx.message.message_id}` });
  });
  let polling: Promise<void> | undefined;
  try {
    await bot.init();
    polling = bot.start({ timeout: 30 });
    await relay.ready();
    await warmUpTelegram(emu, load, []);
    const cpuBefore = process.cpuUsage();
    const result = await driveTelegram(emu, load, []);
    const cpu = process.cpuUsage(cpuBefore);
    return { ...result, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    if (polling) {
      await bot.stop();
      await polling;
    }
    await relay.close();
  }
}

const BARE_JOB = { removeOnComplete: true, removeOnFail: true };

/**
 * Two plain BullMQ queues on a prefix of their own: the inbound worker relays each job to the
 * outbound queue, whose worker runs `complete`. Each worker has its own connection, as BullMQ
 * wants for its blocking reads; `close()` removes the keys.
 */
function bareRelay<T>(redisUrl: string, tag: string, concurrency: number, complete: (job: Job<T>) => Promise<void>) {
  const prefix = `komek-bench-${tag}-${randomBytes(4).toString('hex')}`;
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const inbound = new Queue('inbound', { connection, prefix });
  const outbound = new Queue('outbound', { connection, prefix });
  const workerConnections = [connection.duplicate(), connection.duplicate()] as const;
  const workers = [
    new Worker<T>(
      'inbound',
      async function relay(job) {
        // The same id both ways, as Kömek's outbound job is named after its inbound one.
        await outbound.add('reply', job.data, { ...BARE_JOB, jobId: job.id });
      },
      { connection: workerConnections[0], prefix, concurrency },
    ),
    new Worker<T>('outbound', complete, { connection: workerConnections[1], prefix, concurrency }),
  ];
  return {
    inbound,
    ready: () => Promise.all(workers.map((w) => w.waitUntilReady())),
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([inbound.obliterate({ force: true }), outbound.obliterate({ force: true })]).catch(() => {});
      await Promise.all([inbound.close(), outbound.close()]);
      for (const c of [connection, ...workerConnections]) c.disconnect();
    },
  };
}

/**
 * The same round trips through Kömek's own queue layer (queue/bullmq-queue.ts: each direction
 * split into partition queues run one job at a time, for per-chat order across processes, with
 * completed jobs kept for a day), still with no work: what the ordering and durability choices
 * cost before the pipeline adds anything. Keys are removed afterwards.
 */
export async function runPartitionedBaseline(opts: QueueBaselineOptions & { partitions: number }): Promise<LoadResult & { cpuMs: number }> {
  const prefix = `komek-bench-parts-${randomBytes(4).toString('hex')}`;
  const connection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const logger = silentLogger();
  const inbound = createBullmqQueue<{ id: string; key: string }>({ connection, prefix, name: 'inbound', partitions: opts.partitions, logger });
  const outbound = createBullmqQueue<{ id: string; key: string }>({ connection, prefix, name: 'outbound', partitions: opts.partitions, logger });
  const waiting = new Map<string, () => void>();
  const consumers = [
    inbound.process(async (data) => outbound.add(data, { id: `${data.id}-out`, key: data.key }), { concurrency: opts.concurrency }),
    outbound.process(
      async (data) => {
        waiting.get(data.id)?.();
        waiting.delete(data.id);
      },
      { concurrency: opts.concurrency },
    ),
  ];
  try {
    // The partition workers start once their global concurrency is set: one warm-up round trip.
    await new Promise<void>((resolve) => {
      waiting.set('warm-up', resolve);
      void inbound.add({ id: 'warm-up', key: 'bench:warm-up' }, { id: 'warm-up', key: 'bench:warm-up' });
    });
    return await warmThenMeasure(opts, (id, chat) => {
      const done = new Promise<void>((resolve) => waiting.set(id, resolve));
      return inbound.add({ id, key: `telegram:${chat}` }, { id, key: `telegram:${chat}` }).then(() => done);
    });
  } finally {
    await Promise.all(consumers.map((c) => c.close()));
    await Promise.all([inbound.close(), outbound.close()]);
    connection.disconnect();
    await dropPrefix(opts.redisUrl, prefix);
  }
}

/**
 * `opts.warmUp` unmeasured passes of the closed loop, then the measured one, with this process's
 * CPU time during it. Job ids are unique across passes (Kömek's layer keeps completed ids).
 */
async function warmThenMeasure(opts: QueueBaselineOptions, roundTrip: (id: string, chat: number) => Promise<void>): Promise<LoadResult & { cpuMs: number }> {
  for (let pass = 0; pass < opts.warmUp; pass++) {
    await closedLoop(opts.chats, opts.perChat, (chat, i) => roundTrip(`w${pass}-c${chat}-m${i}`, chat));
  }
  const cpuBefore = process.cpuUsage();
  const result = await closedLoop(opts.chats, opts.perChat, (chat, i) => roundTrip(`c${chat}-m${i}`, chat));
  const cpu = process.cpuUsage(cpuBefore);
  return { ...result, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function silentLogger(): Logger {
  const logger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => logger };
  return logger;
}

/** Deletes every key under `prefix` (queues of a benchmark run). */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
