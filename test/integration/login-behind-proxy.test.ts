/**
 * The login throttle behind a reverse proxy, over real sockets: without trusted proxies every
 * request from the proxy's address shares one allowance whatever X-Forwarded-For says; with the
 * proxy trusted (KOMEK_TRUSTED_PROXIES), each client behind it has its own, and a client cannot
 * escape its count by writing the header itself.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listen } from '../../app/http.ts';
import { memoryDatabase } from '../helpers/databases.ts';
import { consoleHarness, PASSWORD } from './console-harness.ts';

async function served(trustedProxies: string[] | undefined) {
  const t = await memoryDatabase();
  const h = await consoleHarness(t, { throttle: { maxAttempts: 3, windowMs: 60_000 } }, { config: { http: { port: 0, host: '127.0.0.1', trustedProxies } } });
  const server = await listen(h.app, 0, '127.0.0.1');
  return {
    h,
    /** Signs in through the socket, as a proxy on 127.0.0.1 forwarding for `forwardedFor` would. */
    async login(password: string, forwardedFor: string): Promise<number> {
      const res = await fetch(`${server.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
        body: JSON.stringify({ username: 'aigerim', password }),
      });
      await res.body?.cancel();
      return res.status;
    },
    async close() {
      await server.close();
      await h.console.close();
      await t.drop();
    },
  };
}

const failedFrom = (h: Awaited<ReturnType<typeof served>>['h']) =>
  h.logger.lines.filter((l) => l.msg === 'console login failed').map((l) => (l.obj as { ip: string }).ip);

describe('login throttle behind a reverse proxy', () => {
  it('without trusted proxies, X-Forwarded-For is ignored and everyone behind the proxy shares its count', async () => {
    const s = await served(undefined);
    try {
      for (let i = 0; i < 3; i++) assert.equal(await s.login(`wrong ${i}`, '203.0.113.1'), 401);
      assert.equal(await s.login(PASSWORD, '203.0.113.2'), 429, 'another client behind the same proxy is locked out too');
      assert.deepEqual(failedFrom(s.h), ['127.0.0.1', '127.0.0.1', '127.0.0.1']);
    } finally {
      await s.close();
    }
  });

  it('with the proxy trusted, each client has its own count, and a forged header does not escape it', async () => {
    const s = await served(['127.0.0.1']);
    try {
      for (let i = 0; i < 3; i++) assert.equal(await s.login(`wrong ${i}`, '203.0.113.1'), 401);
      assert.deepEqual(failedFrom(s.h), ['203.0.113.1', '203.0.113.1', '203.0.113.1']);
      assert.equal(await s.login(PASSWORD, '203.0.113.1'), 429, 'the guessing client is throttled');
      // The guesser prepends an address of its choice; the proxy appends the one it saw.
      assert.equal(await s.login(PASSWORD, '203.0.113.2, 203.0.113.1'), 429, 'the rightmost untrusted hop counts, not the forged one');
      assert.equal(await s.login(PASSWORD, '203.0.113.2'), 200, 'the account owner behind the same proxy signs in');
    } finally {
      await s.close();
    }
  });
});
