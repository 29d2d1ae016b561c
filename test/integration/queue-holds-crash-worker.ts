/**
 * An outbound worker process for the chat-hold crash test: the real BullMQ queue and outbound
 * handler, with a "platform" and delivery marks kept in files of `DIR` so that the test and the
 * next process see what an earlier one did. The platform answers the first try of reply 0 with a
 * 429. With HANG_AFTER_MARK set, the process stops dead right after recording the mark of reply
 * 0's delivery (before the queue hears of it), and prints "marked": the test kills it there.
 * Prints "ready" once it takes jobs; SIGTERM closes it gracefully.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { OutboundMessage } from '../../core/envelopes.ts';
import { TransientError } from '../../core/errors.ts';
import type { ChannelAdapter, DeliveryMarks } from '../../core/ports.ts';
import { createBullmqQueue } from '../../queue/bullmq-queue.ts';
import { createOutboundHandler } from '../../queue/outbound-handler.ts';
import { recordingLogger } from '../helpers/fakes.ts';

const dir = process.env.DIR!;
const sentFile = path.join(dir, 'sent.txt');
const marksFile = path.join(dir, 'marks.txt');
const hang = process.env.HANG_AFTER_MARK === '1';
const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
let refusedOnce = false;

const platform: Pick<ChannelAdapter, 'deliver'> = {
  async deliver(out: OutboundMessage) {
    if (out.text === 'reply 0' && !refusedOnce && lines(sentFile).length === 0) {
      refusedOnce = true;
      throw new TransientError('429 too many requests', { retryAfterMs: 300 });
    }
    appendFileSync(sentFile, `${out.text}\n`);
  },
};

const marks: DeliveryMarks = {
  has: async (id) => lines(marksFile).includes(id),
  async mark(id) {
    appendFileSync(marksFile, `${id}\n`);
    if (hang && lines(sentFile).length === 1) {
      process.stdout.write('marked\n');
      // A process frozen here: its lock is no longer renewed once the test kills it.
      await new Promise(() => {});
    }
  },
};

const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const queue = createBullmqQueue<OutboundMessage>({
  connection,
  prefix: process.env.PREFIX!,
  name: 'outbound',
  partitions: 4,
  logger: recordingLogger(),
  lockDurationMs: 1_000,
  stalledIntervalMs: 500,
});
const consumer = queue.process(createOutboundHandler({ adapters: new Map([['telegram', platform]]), marks, logger: recordingLogger() }), { concurrency: 2 });
process.stdout.write('ready\n');
process.once('SIGTERM', async function stopGracefully() {
  await consumer.close();
  await queue.close();
  connection.disconnect();
  process.exit(0);
});
