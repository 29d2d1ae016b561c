/**
 * Postgres unreachable for 10 seconds in the middle of a Telegram burst. The runtime reaches
 * Postgres through a small TCP proxy (node:net) that, when paused, cuts every open connection
 * and refuses new ones. Jobs fail with connection errors, back off and retry; once Postgres is
 * back every message is answered exactly once, in order per chat. The retry policy is the
 * default one (tries spanning about two minutes); a message that failed for good would end with
 * an apology to the citizen — which this test would catch. Cutting connections mid-transaction
 * is also what exposed the postgres driver's null-socket crash (patches/postgres+3.4.9.patch).
 *
 * Run twice: with the queues in Redis, and on Postgres alone (KOMEK_QUEUE=postgres, no Redis),
 * where the outage — to the process, what a Postgres restart is: every connection dropped, none
 * accepted for a while, the data kept — takes the queues, the rate limit and the delivery marks
 * down together. Jobs whose outcome could not be recorded keep an expired lock and are taken
 * back afterwards; their dedupe rows and delivery marks stop a second answer.
 */
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startRuntime, type Runtime } from '../../app/runtime.ts';
import { openDatabase, type Database } from '../../db/client.ts';
import { postgresAvailable, postgresDatabase, type TestDatabase } from '../helpers/databases.ts';
import { dropPrefix, redisAvailable, REDIS_TEST_URL as REDIS_URL } from '../integration/queue-redis.ts';
import { assertAnsweredInOrder, burst, countReplies, makeChats, startEmulator, type Emulator } from './telegram-emulator.ts';
import { demoKb, sleep, testConfig, testServices, until, type TestServices } from './telegram-harness.ts';

const hasPostgres = await postgresAvailable();
const hasRedis = await redisAvailable();
const entries = await demoKb();

const layouts: { name: string; env: Record<string, string>; skip: string | false }[] = [
  { name: 'queues in Redis', env: { REDIS_URL }, skip: hasPostgres && hasRedis ? false : 'needs Postgres and Redis' },
  { name: 'Postgres alone', env: { KOMEK_QUEUE: 'postgres' }, skip: hasPostgres ? false : 'needs Postgres' },
];

/** A TCP proxy to `target` that can drop its connections and refuse new ones. */
async function startProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let paused = false;
  const server: Server = createServer((client) => {
    if (paused) return client.destroy();
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    pause() {
      paused = true;
      for (const s of sockets) s.destroy();
    },
    resume() {
      paused = false;
    },
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

for (const layout of layouts) describe(`Postgres unreachable for 10 s during a burst, ${layout.name}`, { skip: layout.skip }, () => {
  let emu: Emulator;
  let db: TestDatabase;
  let proxied: Database;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let runtime: Runtime;
  let services: TestServices;
  const prefix = `komek-pgout-${randomBytes(3).toString('hex')}`;

  before(async () => {
    // Postgres alone: a fetched update the queue could not take must be fetched again.
    emu = await startEmulator({ confirmByOffset: true });
    db = await postgresDatabase();
    const direct = new URL(db.url!);
    proxy = await startProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const through = new URL(db.url!);
    through.port = String(proxy.port);
    proxied = await openDatabase({ kind: 'postgres', url: through.toString(), max: 4 });
    const config = testConfig({
      TELEGRAM_BOT_TOKEN: emu.token,
      TELEGRAM_API_ROOT: emu.apiRoot,
      DATABASE_URL: through.toString(),
      ...layout.env,
      KOMEK_QUEUE_PREFIX: prefix,
      KOMEK_WORKER_CONCURRENCY: '8',
    });
    services = await testServices({ database: proxied, drop: async () => {} }, config, entries);
    runtime = await startRuntime(services, {
      role: 'all',
      telegram: { polling: { idleDelayMs: 30 }, throttle: { perChatMs: 100 } },
    });
  });

  after(async () => {
    await runtime?.close();
    await services?.close();
    await proxied?.close().catch(() => {});
    await proxy?.close();
    await emu?.server.stop();
    await db?.drop();
    if (layout.env.REDIS_URL) await dropPrefix(prefix);
  });

  test('processing resumes; nothing lost, nothing answered twice', { timeout: 90_000 }, async () => {
    const chats = makeChats(8000, 10);
    await burst(emu, chats, 3, entries);
    await until(() => countReplies(emu, chats) >= 5, 30_000, 'the first replies');
    proxy.pause();
    const pausedAt = Date.now();
    await burst(emu, chats, 2, entries);
    await sleep(10_000 - (Date.now() - pausedAt));
    proxy.resume();
    await burst(emu, chats, 1, entries);
    await until(() => countReplies(emu, chats) >= 60, 60_000, '60 replies after Postgres is back');
    await sleep(1_500); // anything answered twice would show up now
    assertAnsweredInOrder(emu, chats, entries);
  });
});
