import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError, parseConfig } from '../../app/config.ts';

it('defaults to the embedded database and port 3000', () => {
  const c = parseConfig({});
  assert.deepEqual(c.database, { kind: 'pglite', dataDir: './.komek' });
  assert.equal(c.http.port, 3000);
  assert.equal(c.redisUrl, undefined);
  assert.equal(c.telegram, undefined);
});

it('uses Postgres and Redis when given', () => {
  const c = parseConfig({ DATABASE_URL: 'postgres://u@h:5432/d', REDIS_URL: 'redis://127.0.0.1:6379', TELEGRAM_BOT_TOKEN: '123:abc' });
  assert.equal(c.database.kind, 'postgres');
  assert.equal(c.redisUrl, 'redis://127.0.0.1:6379');
  assert.equal(c.telegram?.mode, 'polling');
});

it('fails naming each unknown or malformed variable', () => {
  assert.throws(
    () => parseConfig({ PORT: 'eighty', KOMEK_DATADIR: 'x', DATABASE_URL: 'mysql://x', KOMEK_OFFICE_HOURS: '9-18' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      const text = err.message;
      for (const name of ['PORT', 'KOMEK_DATADIR', 'DATABASE_URL', 'KOMEK_OFFICE_HOURS']) assert.match(text, new RegExp(name));
      return true;
    },
  );
});

it('treats empty strings as unset', () => {
  assert.equal(parseConfig({ DATABASE_URL: '' }).database.kind, 'pglite');
});

it('reads trusted proxies as a list of addresses and CIDR ranges, and names a malformed one', () => {
  assert.deepEqual(parseConfig({}).http.trustedProxies, []);
  assert.deepEqual(parseConfig({ KOMEK_TRUSTED_PROXIES: ' 10.0.0.1, 172.16.0.0/12,fd00::/8 ' }).http.trustedProxies, ['10.0.0.1', '172.16.0.0/12', 'fd00::/8']);
  for (const bad of ['proxy.local', '10.0.0.0/33', '10.0.0.1/8/1', 'fd00::/129']) {
    assert.throws(
      () => parseConfig({ KOMEK_TRUSTED_PROXIES: `127.0.0.1,${bad}` }),
      (err: unknown) => err instanceof ConfigError && /KOMEK_TRUSTED_PROXIES/.test(err.message) && err.message.includes(`"${bad}"`),
      bad,
    );
  }
});

it('checks URLs as before zod’s z.url(): parseable, and of the right scheme', () => {
  assert.equal(parseConfig({ KOMEK_PUBLIC_URL: ' https://komek.example.kz ' }).http.publicUrl, 'https://komek.example.kz');
  assert.equal(parseConfig({ REDIS_URL: 'rediss://cache:6380' }).redisUrl, 'rediss://cache:6380');
  const problems = (env: Record<string, string>) => {
    try {
      parseConfig(env);
      return [];
    } catch (err) {
      return (err as ConfigError).problems;
    }
  };
  assert.deepEqual(problems({ KOMEK_PUBLIC_URL: 'https://' }), ['KOMEK_PUBLIC_URL: Invalid URL']);
  assert.deepEqual(problems({ DATABASE_URL: 'mysql://db/x' }), ['DATABASE_URL: must start with postgres:// or postgresql://']);
  assert.deepEqual(problems({ REDIS_URL: 'not a url' }), ['REDIS_URL: Invalid URL', 'REDIS_URL: must start with redis:// or rediss://']);
});
