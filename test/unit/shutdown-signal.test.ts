/** Shutdown on signals: the first starts it, a second or the deadline ends the process. */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { untilSignal } from '../../app/signals.ts';
import { recordingLogger } from '../helpers/fakes.ts';

afterEach(() => {
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
});

test('the first signal resolves; a second one exits at once', async () => {
  const exits: number[] = [];
  const logger = recordingLogger();
  const signalled = untilSignal(logger, { exit: (code) => exits.push(code) });
  process.emit('SIGTERM', 'SIGTERM');
  assert.equal(await signalled, 'SIGTERM');
  assert.deepEqual(exits, []);
  process.emit('SIGINT', 'SIGINT');
  assert.deepEqual(exits, [1]);
});

test('a shutdown that outlives the deadline exits the process', async () => {
  const exits: number[] = [];
  const logger = recordingLogger();
  const signalled = untilSignal(logger, { deadlineMs: 50, exit: (code) => exits.push(code) });
  process.emit('SIGINT', 'SIGINT');
  await signalled;
  assert.deepEqual(exits, []);
  await new Promise((r) => setTimeout(r, 120));
  assert.deepEqual(exits, [1]);
  assert.ok(logger.lines.some((l) => l.msg === 'shutdown did not finish in time; exiting without waiting further'));
});
