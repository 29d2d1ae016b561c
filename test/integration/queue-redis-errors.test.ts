/**
 * Redis going away under running queues, workers and the web-chat relay: every connection Kömek
 * made (including the ones duplicated for BullMQ workers and pub/sub) has an error listener, so
 * ioredis never prints "Unhandled error event", and the outage is a few throttled warn lines.
 * Runs a redis-server of its own on a free port, killed and restarted by the test.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import { openRedis } from '../../app/connections.ts';
import { createQueues, type Queues } from '../../app/queues.ts';
import type { QueueConsumer } from '../../core/ports.ts';
import { createRedisWebHub } from '../../queue/redis-web-hub.ts';
import { createMemoryHub, type WebHub } from '../../bots/web/hub.ts';
import { recordingLogger } from '../helpers/fakes.ts';
import { freePort, hasRedisServer, startRedisServer, stopProcess } from '../helpers/redis-server.ts';
import { sleep, testConfig, until } from '../e2e/telegram-harness.ts';





describe('Redis errors are handled and throttled', { skip: hasRedisServer ? false : 'redis-server is not installed' }, () => {
  const log = recordingLogger();
  const printed: string[] = [];
  const consoleError = console.error;
  let port: number;
  let redis: ChildProcess;
  let queues: Queues;
  let client: Redis;
  let consumer: QueueConsumer;
  let hub: WebHub;
  const handled: string[] = [];
  const message = (id: string) => ({
    channel: 'web' as const,
    chatId: 'c',
    userId: 'c',
    messageId: id,
    text: 'hi',
    kind: 'text' as const,
    receivedAt: new Date().toISOString(),
    traceId: `t-${id}`,
  });

  before(async () => {
    port = await freePort();
    redis = await startRedisServer(port, ['--appendonly', 'no']);
    const config = testConfig({ REDIS_URL: `redis://127.0.0.1:${port}`, KOMEK_QUEUE_PREFIX: `komek-err-${randomBytes(3).toString('hex')}` });
    client = openRedis(config.redisUrl!, log);
    queues = createQueues(config, { backend: 'redis', redis: client, logger: log }, { partitions: 4 });
    consumer = queues.inbound.process(async (m) => void handled.push(m.messageId), { concurrency: 2 });
    hub = await createRedisWebHub({ connection: queues.redis!, prefix: config.queuePrefix, logger: log, local: createMemoryHub() });
    await queues.inbound.add(message('m1'), { id: 'in-1', key: 'web|c' });
    await until(() => handled.length === 1, 10_000, 'the job to run');
    console.error = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  });

  after(async () => {
    console.error = consoleError;
    await consumer?.close();
    await hub?.close();
    await queues?.close();
    client?.disconnect();
    if (redis) await stopProcess(redis);
  });

  test('no "Unhandled error event" while Redis is down; a few warn lines', { timeout: 30_000 }, async () => {
    await stopProcess(redis);
    await sleep(3_000);
    const unhandled = printed.filter((p) => p.includes('Unhandled error event'));
    assert.deepEqual(unhandled, [], 'errors printed by ioredis without a listener');
    const warned = log.lines.filter((l) => l.level === 'warn' && /error$/.test(l.msg ?? ''));
    assert.ok(warned.length >= 1, 'the outage is logged');
    // One reporter per connection group (queue connection, each queue, the workers, the relay).
    assert.ok(warned.length <= 8, `throttled: ${warned.length} warn lines in 3 s`);
    assert.equal(log.lines.filter((l) => l.level === 'error').length, 0, 'connection errors are warnings');
    redis = await startRedisServer(port, ['--appendonly', 'no']);
    // Processing resumes on the restarted (empty) server.
    await queues.inbound.add(message('m2'), { id: 'in-2', key: 'web|c' });
    await until(() => handled.includes('m2'), 20_000, 'a job after the restart');
    // BullMQ 6.7's Worker.close() does not return when called while a worker's blocking
    // connection is still reconnecting (ioredis waits up to 2 s between tries), so let every
    // partition's worker reconnect before the suite closes them.
    await sleep(3_000);
  });
});
