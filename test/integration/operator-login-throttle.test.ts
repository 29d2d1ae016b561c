/**
 * The console's login throttle on the database (PGlite, and Postgres when it answers): the
 * window, the reset, pruning, one count shared by several processes, and exact counting under
 * concurrent attempts (counted before the password is checked).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemClock } from '../../core/ports.ts';
import { createHttpApp } from '../../app/http.ts';
import { createConsoleStores } from '../../app/operator-console.ts';
import { createConsoleMount } from '../../console/index.ts';
import { createLoginThrottle } from '../../console/login-throttle.ts';
import { openDatabase } from '../../db/client.ts';
import { createLoginFailures } from '../../db/login-failures.ts';
import { loginFailures } from '../../db/schema.ts';
import { databaseKinds, type TestDatabase } from '../helpers/databases.ts';
import { fixedClock, recordingLogger } from '../helpers/fakes.ts';
import { consoleHarness, PASSWORD, recordingSink } from './console-harness.ts';

/** A second connection to the same database where there can be one (Postgres), as another process would have. */
async function secondConnection(t: TestDatabase) {
  if (!t.url) return { db: t.database.db, close: async () => {} };
  const other = await openDatabase({ kind: 'postgres', url: t.url, max: 4 });
  return { db: other.db, close: () => other.close() };
}

for (const [kind, open] of await databaseKinds()) {
  describe(`login throttle on ${kind}`, () => {
    it('refuses a username+address pair after too many attempts until the window passes', async () => {
      const t = await open();
      try {
        const clock = fixedClock('2026-12-01T06:00:00Z');
        const throttle = createLoginThrottle(createLoginFailures(t.database.db), clock, { maxAttempts: 3, windowMs: 60_000 });
        for (let i = 0; i < 3; i++) assert.equal(await throttle.attempt('Aigerim', '10.0.0.1'), 0, `attempt ${i + 1} of 3`);
        assert.equal(await throttle.attempt('aigerim', '10.0.0.1'), 60_000);
        assert.equal(await throttle.attempt('AIGERIM', '10.0.0.1'), 60_000, 'usernames are case-insensitive');
        assert.equal(await throttle.attempt('aigerim', '10.0.0.2'), 0, 'another address');
        assert.equal(await throttle.attempt('daniyar', '10.0.0.1'), 0, 'another user');
        clock.set('2026-12-01T06:00:45Z');
        assert.equal(await throttle.attempt('aigerim', '10.0.0.1'), 15_000);
        clock.set('2026-12-01T06:01:00Z');
        assert.equal(await throttle.attempt('aigerim', '10.0.0.1'), 0, 'the window has passed');
      } finally {
        await t.drop();
      }
    });

    it('forgets attempts after a success, and an attempt after the window starts a new one', async () => {
      const t = await open();
      try {
        const clock = fixedClock('2026-12-01T06:00:00Z');
        const throttle = createLoginThrottle(createLoginFailures(t.database.db), clock, { maxAttempts: 2, windowMs: 60_000 });
        await throttle.attempt('a', 'ip');
        await throttle.attempt('a', 'ip');
        await throttle.succeeded('a', 'ip');
        assert.equal(await throttle.attempt('a', 'ip'), 0, 'the attempts before the success are forgotten');
        clock.set('2026-12-01T06:00:30Z');
        assert.equal(await throttle.attempt('a', 'ip'), 0);
        assert.equal(await throttle.attempt('a', 'ip'), 30_000, 'the window runs from its first attempt');
        clock.set('2026-12-01T06:01:10Z');
        assert.equal(await throttle.attempt('a', 'ip'), 0, 'one attempt in the new window');
        clock.set('2026-12-01T06:01:20Z');
        assert.equal(await throttle.attempt('a', 'ip'), 0);
        assert.equal(await throttle.attempt('a', 'ip'), 50_000, 'the new window began at 06:01:10');
      } finally {
        await t.drop();
      }
    });

    it('drops ended windows on the next attempt, so random usernames do not pile up', async () => {
      const t = await open();
      try {
        const db = t.database.db;
        const clock = fixedClock('2026-12-01T06:00:00Z');
        const throttle = createLoginThrottle(createLoginFailures(db), clock, { windowMs: 60_000 });
        for (let i = 0; i < 50; i++) await throttle.attempt(`random-${i}`, '203.0.113.9');
        assert.equal((await db.select().from(loginFailures)).length, 50);
        clock.set('2026-12-01T06:00:30Z');
        await throttle.attempt('late', '203.0.113.9');
        assert.equal((await db.select().from(loginFailures)).length, 51, 'windows still open are kept');
        clock.set('2026-12-01T06:01:00Z');
        await throttle.attempt('last', '203.0.113.9');
        const left = (await db.select({ key: loginFailures.key }).from(loginFailures)).map((r) => JSON.parse(r.key)[0]).sort();
        assert.deepEqual(left, ['last', 'late']);
      } finally {
        await t.drop();
      }
    });

    it('shares one count between two processes on the same database', async () => {
      const t = await open();
      const other = await secondConnection(t);
      try {
        const clock = fixedClock('2026-12-01T06:00:00Z');
        const a = createLoginThrottle(createLoginFailures(t.database.db), clock);
        const b = createLoginThrottle(createLoginFailures(other.db), clock);
        for (let i = 0; i < 3; i++) assert.equal(await a.attempt('aigerim', '10.0.0.1'), 0);
        assert.equal(await b.attempt('aigerim', '10.0.0.1'), 0, 'four of five');
        assert.equal(await b.attempt('aigerim', '10.0.0.1'), 0, 'five of five');
        assert.equal(await a.attempt('aigerim', '10.0.0.1'), 15 * 60_000);
        assert.equal(await b.attempt('aigerim', '10.0.0.1'), 15 * 60_000);
        await b.succeeded('aigerim', '10.0.0.1');
        assert.equal(await a.attempt('aigerim', '10.0.0.1'), 0, 'a success anywhere resets it everywhere');
      } finally {
        await other.close();
        await t.drop();
      }
    });

    it('counts every one of many concurrent attempts, also when they start a new window', async () => {
      const t = await open();
      const other = await secondConnection(t);
      try {
        const clock = fixedClock('2026-12-01T06:00:00Z');
        const store = createLoginFailures(t.database.db);
        const throttles = [createLoginThrottle(store, clock, { maxAttempts: 40 }), createLoginThrottle(createLoginFailures(other.db), clock, { maxAttempts: 40 })];
        const burst = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => throttles[i % 2]!.attempt('aigerim', '10.0.0.1')));
        const waits = await burst(45);
        assert.equal((await store.get(JSON.stringify(['aigerim', '10.0.0.1'])))?.failures, 45);
        assert.equal(waits.filter((w) => w === 0).length, 40, 'exactly the allowance goes ahead, however parallel the burst');
        clock.set('2026-12-01T06:15:00Z');
        await burst(30);
        const row = await store.get(JSON.stringify(['aigerim', '10.0.0.1']));
        assert.equal(row?.failures, 30, 'one attempt opened the new window, the others counted in it');
        assert.equal(row?.firstAt.toISOString(), '2026-12-01T06:15:00.000Z');
      } finally {
        await other.close();
        await t.drop();
      }
    });

    it('through the console: two processes share the allowance, and a throttle that fails lets no login through', async () => {
      const t = await open();
      const h = await consoleHarness(t);
      const second = createConsoleMount({
        stores: createConsoleStores(t.database.db, h.kb),
        kb: h.kb,
        conversations: h.conversations,
        outbound: recordingSink(),
        logger: recordingLogger(),
        config: { http: { port: 0, host: '127.0.0.1' } },
        clock: systemClock,
        options: { pollMs: 100, seedCanned: false },
      });
      const secondApp = createHttpApp({ logger: recordingLogger(), ready: async () => {}, mounts: [second.mount] });
      const login = (app: typeof secondApp, username: string, password: string) =>
        app.request('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      try {
        // Five wrong passwords at once, from both processes: all counted before any was checked.
        const statuses = await Promise.all(Array.from({ length: 5 }, (_, i) => login(i % 2 ? secondApp : h.app, 'aigerim', `wrong ${i}`)));
        assert.deepEqual(statuses.map((r) => r.status), [401, 401, 401, 401, 401]);
        assert.equal((await login(h.app, 'aigerim', PASSWORD)).status, 429);
        assert.equal((await login(secondApp, 'aigerim', PASSWORD)).status, 429);
        assert.equal((await login(secondApp, 'daniyar', PASSWORD)).status, 200);
        // Only the throttle's table goes missing: the accounts still answer, so a 200 here would
        // be a password let through unthrottled.
        await t.database.db.execute(`alter table login_failures rename to login_failures_gone`);
        const res = await login(h.app, 'daniyar', PASSWORD);
        assert.equal(res.status, 500);
        assert.equal(res.headers.get('set-cookie'), null);
        assert.ok(h.logger.lines.some((l) => l.level === 'error' && l.msg === 'http request failed'));
      } finally {
        await second.close();
        await h.console.close();
        await t.drop();
      }
    });
  });
}
