/**
 * Which queue backend a process gets (app/roles.ts) and what KOMEK_QUEUE accepts (app/config.ts).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError, parseConfig } from '../../app/config.ts';
import { assertRoleRunnable, queueBackendFor, RuntimeConfigError, type Role } from '../../app/roles.ts';

const PG = 'postgres://u@h:5432/d';
const REDIS = 'redis://127.0.0.1:6379';
const roles: Role[] = ['all', 'worker', 'bots'];
const backends = (env: Record<string, string>) => roles.map((r) => queueBackendFor(r, parseConfig(env)));

it('with REDIS_URL every role queues in Redis', () => {
  assert.deepEqual(backends({ REDIS_URL: REDIS }), ['redis', 'redis', 'redis']);
  assert.deepEqual(backends({ REDIS_URL: REDIS, DATABASE_URL: PG }), ['redis', 'redis', 'redis']);
});

it('with only DATABASE_URL the processes of a split deployment queue in Postgres; komek start stays in process', () => {
  assert.deepEqual(backends({ DATABASE_URL: PG }), ['memory', 'postgres', 'postgres']);
});

it('with nothing configured everything is in process, and a worker or bots process is refused', () => {
  assert.deepEqual(backends({}), ['memory', 'memory', 'memory']);
  assert.doesNotThrow(() => assertRoleRunnable('all', parseConfig({})));
  assert.throws(() => assertRoleRunnable('worker', parseConfig({})), RuntimeConfigError);
  assert.throws(() => assertRoleRunnable('bots', parseConfig({})), RuntimeConfigError);
  assert.doesNotThrow(() => assertRoleRunnable('worker', parseConfig({ DATABASE_URL: PG })));
});

it('KOMEK_QUEUE wins over the rule, for every role', () => {
  assert.deepEqual(backends({ DATABASE_URL: PG, REDIS_URL: REDIS, KOMEK_QUEUE: 'postgres' }), ['postgres', 'postgres', 'postgres']);
  assert.deepEqual(backends({ DATABASE_URL: PG, KOMEK_QUEUE: 'postgres' }), ['postgres', 'postgres', 'postgres']);
  assert.deepEqual(backends({ DATABASE_URL: PG, KOMEK_QUEUE: 'memory' }), ['memory', 'memory', 'memory']);
  assert.throws(() => assertRoleRunnable('worker', parseConfig({ DATABASE_URL: PG, KOMEK_QUEUE: 'memory' })), RuntimeConfigError);
});

it('KOMEK_QUEUE must name a backend whose server is configured', () => {
  assert.throws(() => parseConfig({ KOMEK_QUEUE: 'kafka' }), (e: ConfigError) => e.problems.some((p) => p.startsWith('KOMEK_QUEUE')));
  assert.throws(() => parseConfig({ KOMEK_QUEUE: 'redis' }), /KOMEK_QUEUE: "redis" needs REDIS_URL/);
  assert.throws(() => parseConfig({ KOMEK_QUEUE: 'postgres' }), /KOMEK_QUEUE: "postgres" needs DATABASE_URL/);
});
