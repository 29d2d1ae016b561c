/**
 * The Postgres stand-ins for Redis's other jobs, each between two clients as two processes
 * would hold them: the web-chat relay over LISTEN/NOTIFY (events too large for a notification go
 * through a table, and keep their place in line), and the shared rate limit. Real Postgres
 * (TEST_DATABASE_URL); under CI=true a missing one fails instead of skipping.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import postgres, { type Sql } from 'postgres';
import { createMemoryHub, type WebEvent } from '../../bots/web/hub.ts';
import { createPostgresRateLimiter } from '../../queue/postgres-rate-limiter.ts';
import { createPostgresWebHub } from '../../queue/postgres-web-hub.ts';
import { postgresAvailable, postgresDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/databases.ts';
import { recordingLogger } from '../helpers/fakes.ts';

const available = await postgresAvailable();

async function until(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Postgres relay and rate limit between processes', { skip: available ? false : `no Postgres at ${TEST_DATABASE_URL}` }, () => {
  let db: TestDatabase;
  let a: Sql;
  let b: Sql;
  before(async () => {
    db = await postgresDatabase();
    a = postgres(db.url!, { max: 2, onnotice: () => {} });
    b = postgres(db.url!, { max: 2, onnotice: () => {} });
  });
  after(async () => {
    await a.end({ timeout: 1 });
    await b.end({ timeout: 1 });
    await db.drop();
  });

  test('an event published by one process reaches the subscriber of another, large ones included, in order', async () => {
    const prefix = `t${randomBytes(3).toString('hex')}`;
    const logger = recordingLogger();
    const publisher = await createPostgresWebHub({ sql: a, prefix, logger, local: createMemoryHub(), maxNotifyBytes: 200 });
    const server = await createPostgresWebHub({ sql: b, prefix, logger, local: createMemoryHub() });
    const other = await createPostgresWebHub({ sql: b, prefix: `${prefix}x`, logger, local: createMemoryHub() });
    try {
      const got: WebEvent[] = [];
      const strays: WebEvent[] = [];
      server.subscribe('s1', (e) => got.push(e));
      other.subscribe('s1', (e) => strays.push(e));
      const texts = ['short', 'қ'.repeat(5_000), 'after the long one', 'ж'.repeat(300), 'last'];
      for (const text of texts) await publisher.publish('s1', { text, buttons: [] });
      await publisher.publish('s2', { text: 'another session', buttons: [] });
      await until(() => got.length === texts.length);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(got.map((e) => e.text), texts);
      assert.deepEqual(strays, [], 'another prefix hears nothing');
      const [row] = await a.unsafe<{ n: string }[]>('select count(*) as n from web_relay_events');
      assert.equal(Number(row!.n), 2, 'only the two events above 200 bytes went through the table');
      assert.equal(logger.lines.filter((l) => l.level === 'warn').length, 0);
    } finally {
      await publisher.close();
      await server.close();
      await other.close();
    }
  });

  test('the rate limit is one count across processes, per window', async () => {
    let now = 1_000 * 60_000;
    const opts = { limit: 3, prefix: `t${randomBytes(3).toString('hex')}`, now: () => now };
    const one = createPostgresRateLimiter(a, opts);
    const two = createPostgresRateLimiter(b, opts);
    const takes = [];
    for (let i = 0; i < 6; i++) takes.push(await (i % 2 === 0 ? one : two).take('telegram:42'));
    assert.deepEqual(takes.map((t) => t.allowed), [true, true, true, false, false, false]);
    assert.deepEqual(takes.map((t) => t.first), [false, false, false, true, false, false], 'the notice is sent once a window');
    assert.equal((await two.take('telegram:43')).allowed, true, 'another citizen has a count of their own');
    const parallel = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).take('telegram:44')));
    assert.equal(parallel.filter((t) => t.allowed).length, 3, 'a burst in parallel counts in full');
    now += 60_000;
    assert.equal((await one.take('telegram:42')).allowed, true, 'the next window starts afresh');
    now += 120_000;
    await one.take('telegram:45');
    await new Promise((r) => setTimeout(r, 100));
    const [row] = await a.unsafe<{ n: string }[]>('select count(*) as n from rate_limit_counts where "window" < $1', [Math.floor(now / 60_000) - 1]);
    assert.equal(Number(row!.n), 0, 'windows gone by are pruned');
  });
});
