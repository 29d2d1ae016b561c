/** Throttled reports of Redis errors: the first at once, then one per interval with a count. */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { reportRedisErrors, throttledErrorReporter } from '../../queue/redis-errors.ts';
import { recordingLogger } from '../helpers/fakes.ts';

test('one warn line at once, then at most one per interval with the number left out', () => {
  const log = recordingLogger();
  let now = 1_000;
  const report = throttledErrorReporter({ logger: log, message: 'redis connection error', fields: { connection: 'queues' }, everyMs: 10_000, now: () => now });
  for (let i = 0; i < 50; i++) {
    report(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    now += 100; // 50 errors over 5 s
  }
  assert.equal(log.lines.length, 1);
  now = 11_500;
  report(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
  assert.equal(log.lines.length, 2);
  assert.ok(log.lines.every((l) => l.level === 'warn' && l.msg === 'redis connection error'));
  assert.deepEqual(log.lines[0]!.obj, { connection: 'queues', err: 'connect ECONNREFUSED 127.0.0.1:6379' });
  assert.deepEqual(log.lines[1]!.obj, { connection: 'queues', err: 'connect ECONNREFUSED 127.0.0.1:6379', suppressed: 49 });
});

test('every source gets a listener, so an error event never goes unhandled', () => {
  const log = recordingLogger();
  const sources = [new EventEmitter(), new EventEmitter()];
  reportRedisErrors(sources, { logger: log, message: 'queue worker error', everyMs: 0 });
  for (const s of sources) assert.doesNotThrow(() => s.emit('error', new Error('Connection is closed.')));
  assert.equal(log.lines.length, 2);
});
