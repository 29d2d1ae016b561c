/**
 * A worker process killed (SIGKILL) in the middle of a burst: the Telegram side keeps taking
 * messages into the queue, a second worker takes over the jobs of the dead one once its locks
 * expire, and in the end every message is answered exactly once, in order per chat. The second
 * worker then stops gracefully on SIGTERM. Run twice: queues in Redis (with Postgres), and
 * Postgres alone (no REDIS_URL: the queues, the rate limit and the web-chat relay in Postgres).
 * A worker process shares the servers with the test.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { queueBackendFor } from '../../app/roles.ts';
import { startRuntime, type Runtime } from '../../app/runtime.ts';
import { createConversationStore } from '../../db/conversation-store.ts';
import { postgresAvailable, postgresDatabase, type TestDatabase } from '../helpers/databases.ts';
import { dropPrefix, redisAvailable, REDIS_TEST_URL as REDIS_URL } from '../integration/queue-redis.ts';
import { assertAnsweredInOrder, burst, countReplies, makeChats, startEmulator, type Emulator } from './telegram-emulator.ts';
import { demoKb, testConfig, testServices, until, type TestServices } from './telegram-harness.ts';

const WORKER = fileURLToPath(new URL('./telegram-worker-process.ts', import.meta.url));
const hasPostgres = await postgresAvailable();
const hasRedis = await redisAvailable();
const entries = await demoKb();

const layouts: { name: string; redisUrl?: string; skip: string | false }[] = [
  { name: 'Redis + Postgres', redisUrl: REDIS_URL, skip: hasPostgres && hasRedis ? false : 'needs Redis and Postgres' },
  { name: 'Postgres alone', skip: hasPostgres ? false : 'needs Postgres' },
];

for (const layout of layouts) describe(`Telegram with a worker killed mid-burst, ${layout.name}`, { skip: layout.skip }, () => {
  let emu: Emulator;
  let db: TestDatabase;
  let bots: Runtime;
  let services: TestServices;
  const prefix = `komek-kill-${randomBytes(4).toString('hex')}`;
  const children: ChildProcess[] = [];
  const redisEnv = layout.redisUrl ? { REDIS_URL: layout.redisUrl } : {};

  function startWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      env: { ...withoutRedis(process.env), DATABASE_URL: db.url, ...redisEnv, KOMEK_QUEUE_PREFIX: prefix, KOMEK_WORKER_CONCURRENCY: '4' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('worker running')) resolve(child);
      });
      child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
    });
  }

  before(async () => {
    emu = await startEmulator();
    db = await postgresDatabase();
    const config = testConfig({ TELEGRAM_BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: emu.apiRoot, DATABASE_URL: db.url, ...redisEnv, KOMEK_QUEUE_PREFIX: prefix });
    assert.equal(queueBackendFor('bots', config), layout.redisUrl ? 'redis' : 'postgres');
    services = await testServices(db, config, entries);
    bots = await startRuntime(services, { role: 'bots', telegram: { polling: { idleDelayMs: 30 } } });
  });

  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await bots?.close();
    await services?.close();
    await emu?.server.stop();
    await db?.drop();
    if (layout.redisUrl) await dropPrefix(prefix);
  });

  test('no message lost, none answered twice', async () => {
    const store = createConversationStore(db.database.db);
    const botReplies = async () => {
      let n = 0;
      for (let i = 0; i < 10; i++) {
        const conv = await store.open('telegram', String(3000 + i), String(3000 + i));
        n += (await store.messages(conv.id)).filter((m) => m.author === 'bot').length;
      }
      return n;
    };
    const first = await startWorker();
    const chats = makeChats(3000, 10);
    await burst(emu, chats, 3, entries);
    // Killed as soon as it has answered a few: the rest of its work is in flight or waiting.
    await until(async () => (await botReplies()) >= 5, 30_000, 'the first worker to answer');
    first.kill('SIGKILL');
    await burst(emu, chats, 3, entries);
    const second = await startWorker();
    await until(() => countReplies(emu, chats) >= 60, 90_000, '60 replies');
    await new Promise((r) => setTimeout(r, 1500));
    assertAnsweredInOrder(emu, chats, entries);
    if (!layout.redisUrl) {
      // The kill came while the first worker held jobs: the second one took them back.
      const [row] = await db.database.sql!.unsafe<{ n: string }[]>('select count(*) as n from queue_jobs where stalls > 0');
      assert.ok(Number(row?.n) >= 1, 'jobs of the killed worker were taken back by the stalled sweep');
    }
    const exited = new Promise<number | null>((resolve) => second.once('exit', (code) => resolve(code)));
    second.kill('SIGTERM');
    assert.equal(await exited, 0, 'the second worker shuts down cleanly on SIGTERM');
  });
});

/** The environment without a Redis of the caller's, so that "Postgres alone" has none. */
function withoutRedis(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { REDIS_URL: _redis, KOMEK_QUEUE: _queue, ...rest } = env;
  return rest;
}
