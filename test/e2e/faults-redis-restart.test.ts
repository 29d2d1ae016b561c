/**
 * Redis killed (SIGKILL) and restarted in the middle of a Telegram burst. The test runs a Redis
 * of its own on a free port, with the append-only file fsynced on every write
 * (`--appendonly yes --appendfsync always`), because a Redis without persistence comes back
 * empty and every queued job would be gone — production Redis for Kömek needs the same setting.
 * While Redis is down the poller leaves updates unconfirmed at Telegram and workers wait;
 * afterwards processing resumes: every message answered exactly once, in order per chat.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startRuntime, type Runtime } from '../../app/runtime.ts';
import { freePort, hasRedisServer, startRedisServer, stopProcess } from '../helpers/redis-server.ts';
import { memoryDatabase, postgresAvailable, postgresDatabase, type TestDatabase } from '../helpers/databases.ts';
import { assertAnsweredInOrder, burst, countReplies, makeChats, repliesIn, startEmulator, type Chat, type Emulator } from './telegram-emulator.ts';
import { demoKb, sleep, testConfig, testServices, until, type TestServices } from './telegram-harness.ts';

const entries = await demoKb();


/** A redis-server with an fsynced append-only file in `dir`; resolves once it answers PING. */


describe('Redis restarted during a burst', { skip: hasRedisServer ? false : 'redis-server is not installed' }, () => {
  let emu: Emulator;
  let db: TestDatabase;
  let runtime: Runtime;
  let services: TestServices;
  let redis: ChildProcess;
  let port: number;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'komek-redis-'));

  before(async () => {
    port = await freePort();
    redis = await startRedisServer(port, ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]);
    emu = await startEmulator();
    db = (await postgresAvailable()) ? await postgresDatabase() : await memoryDatabase();
    const config = testConfig({
      TELEGRAM_BOT_TOKEN: emu.token,
      TELEGRAM_API_ROOT: emu.apiRoot,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      KOMEK_QUEUE_PREFIX: `komek-restart-${randomBytes(3).toString('hex')}`,
      KOMEK_WORKER_CONCURRENCY: '8',
    });
    services = await testServices(db, config, entries);
    runtime = await startRuntime(services, {
      role: 'all',
      telegram: { polling: { idleDelayMs: 30 }, throttle: { perChatMs: 100 } },
      lockDurationMs: 4_000,
      stalledIntervalMs: 1_000,
    });
  });

  after(async () => {
    await runtime?.close();
    await services?.close();
    await emu?.server.stop();
    await db?.drop();
    if (redis) await stopProcess(redis, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  let chats: Chat[];

  test('processing resumes: every message answered, in order per chat', { timeout: 90_000 }, async () => {
    chats = makeChats(7000, 10);
    await burst(emu, chats, 3, entries);
    await until(() => countReplies(emu, chats) >= 5, 30_000, 'the first replies');
    await stopProcess(redis, 'SIGKILL');
    // Citizens keep writing while Redis is down: Telegram holds their messages.
    await burst(emu, chats, 2, entries);
    // Down for longer than the job locks last (4 s), as a real crash and restart would be: jobs
    // whose reply went out just before the crash lose their lock and run again afterwards.
    await sleep(5_000);
    redis = await startRedisServer(port, ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]);
    await burst(emu, chats, 1, entries);
    await until(() => chats.every((c) => new Set(repliesIn(emu, c.id).map((r) => r.to)).size >= c.sent.length), 60_000, 'every message answered');
    await sleep(1_500); // anything answered twice would show up now
    for (const chat of chats) {
      // Order and completeness; a repeated reply (checked below) is folded here.
      const answered = repliesIn(emu, chat.id).map((r) => r.to).filter((to, i, all) => all.indexOf(to) === i);
      assert.deepEqual(answered, chat.sent, `chat ${chat.id}: every message answered, in order`);
    }
  });

  // A reply sent to Telegram while Redis is going down cannot be marked complete there; its job
  // runs again after the restart and finds the delivery mark kept in Postgres instead.
  test('no reply sent twice', () => {
    assert.ok(chats, 'the burst ran');
    assertAnsweredInOrder(emu, chats, entries);
  });
});
