/**
 * A worker process killed (SIGKILL) while its chat is held: reply 0 got a 429, the chat's
 * replies 1 and 2 were parked behind it, and the process died right after the platform accepted
 * reply 0 and its delivery mark was written, before the queue heard of it. The next process takes
 * the dead one's job over once its lock expires: reply 0 is not sent again (the mark), and
 * replies 1 and 2 follow, once each, in order. Real Redis and processes; the platform and the
 * marks are files (queue-holds-crash-worker.ts).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { OutboundMessage } from '../../core/envelopes.ts';
import { createBullmqQueue } from '../../queue/bullmq-queue.ts';
import { chatKey, outboundJobId } from '../../queue/job-ids.ts';
import { recordingLogger } from '../helpers/fakes.ts';
import { dropPrefix, redisAvailable, REDIS_TEST_URL as REDIS_URL } from './queue-redis.ts';

const WORKER = fileURLToPath(new URL('./queue-holds-crash-worker.ts', import.meta.url));
const available = await redisAvailable();

function startWorker(env: Record<string, string>, until: string): { child: ChildProcess; reached: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const reached = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(until)) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before printing "${until}"`)));
  });
  return { child, reached };
}

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a worker killed while its chat is held', { skip: available ? false : `no Redis at ${REDIS_URL}` }, () => {
  test('the next worker sends nothing twice and the chat goes on in order', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'komek-hold-crash-'));
    const prefix = `komek-holdcrash-${randomBytes(4).toString('hex')}`;
    const env = { DIR: dir, PREFIX: prefix, REDIS_URL };
    const children: ChildProcess[] = [];
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const producer = createBullmqQueue<OutboundMessage>({ connection, prefix, name: 'outbound', partitions: 4, logger: recordingLogger() });
    const sent = () => (existsSync(path.join(dir, 'sent.txt')) ? readFileSync(path.join(dir, 'sent.txt'), 'utf8').split('\n').filter(Boolean) : []);
    try {
      for (let n = 0; n < 3; n++) {
        const reply: OutboundMessage = { channel: 'telegram', chatId: '42', text: `reply ${n}`, inReplyTo: `m${n}`, traceId: `t${n}` };
        await producer.add(reply, { id: outboundJobId(reply, 0), key: chatKey('telegram', '42') });
      }
      const first = startWorker({ ...env, HANG_AFTER_MARK: '1' }, 'marked');
      children.push(first.child);
      await first.reached;
      assert.deepEqual(sent(), ['reply 0'], 'the later replies are parked while reply 0 backs off');
      first.child.kill('SIGKILL');

      const second = startWorker(env, 'ready');
      children.push(second.child);
      await second.reached;
      await until(() => sent().length >= 3, 30_000, 'replies 1 and 2');
      await new Promise((r) => setTimeout(r, 1_000)); // a reply sent twice would show up now
      assert.deepEqual(sent(), ['reply 0', 'reply 1', 'reply 2']);
      const exited = new Promise<number | null>((resolve) => second.child.once('exit', (code) => resolve(code)));
      second.child.kill('SIGTERM');
      assert.equal(await exited, 0, 'the second worker closes cleanly');
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await producer.close();
      connection.disconnect();
      await dropPrefix(prefix);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
