/**
 * The bare BullMQ round trip, the yardstick for Kömek's own throughput: an inbound job whose
 * worker adds an outbound job whose worker completes, with no work in between. Run with the
 * same load shape as the end-to-end benchmark (chats × messages, each chat waiting for the
 * previous round trip before the next), on the same Redis, so the ratio of the two is what the
 * pipeline costs above the queue itself.
 */
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { closedLoop, type LoadResult } from './e2e.ts';

export interface QueueBaselineOptions {
  redisUrl: string;
  chats: number;
  perChat: number;
  /** Jobs each of the two workers runs at once (Kömek's KOMEK_WORKER_CONCURRENCY). */
  concurrency: number;
}

/**
 * Runs `chats × perChat` bare round trips; removes its keys afterwards. `cpuMs` is this
 * process's CPU time (the driver and both workers) during the round trips.
 */
export async function runQueueBaseline(opts: QueueBaselineOptions): Promise<LoadResult & { cpuMs: number }> {
  const prefix = `komek-bench-bare-${randomBytes(4).toString('hex')}`;
  const connection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const inbound = new Queue('inbound', { connection, prefix });
  const outbound = new Queue('outbound', { connection, prefix });
  const inConnection = connection.duplicate();
  const outConnection = connection.duplicate();
  const waiting = new Map<string, () => void>();
  const jobOpts = { removeOnComplete: true, removeOnFail: true };
  const inWorker = new Worker(
    'inbound',
    async function relay(job) {
      await outbound.add('reply', job.data, { ...jobOpts, jobId: job.id });
    },
    { connection: inConnection, prefix, concurrency: opts.concurrency },
  );
  const outWorker = new Worker(
    'outbound',
    async function complete(job) {
      waiting.get(job.id!)?.();
      waiting.delete(job.id!);
    },
    { connection: outConnection, prefix, concurrency: opts.concurrency },
  );
  try {
    await Promise.all([inWorker.waitUntilReady(), outWorker.waitUntilReady()]);
    const cpuBefore = process.cpuUsage();
    const result = await closedLoop(opts.chats, opts.perChat, (chat, i) => {
      const id = `c${chat}-m${i}`;
      const done = new Promise<void>((resolve) => waiting.set(id, resolve));
      return inbound.add('message', { chat, i }, { ...jobOpts, jobId: id }).then(() => done);
    });
    const cpu = process.cpuUsage(cpuBefore);
    return { ...result, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    await Promise.all([inWorker.close(), outWorker.close()]);
    await Promise.all([inbound.obliterate({ force: true }), outbound.obliterate({ force: true })]).catch(() => {});
    await Promise.all([inbound.close(), outbound.close()]);
    for (const c of [connection, inConnection, outConnection]) c.disconnect();
  }
}
