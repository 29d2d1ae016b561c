import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLoginThrottle } from '../../console/login-throttle.ts';
import { fixedClock } from '../helpers/fakes.ts';

describe('login throttle', () => {
  it('blocks a username+address pair after repeated failures until the window passes', () => {
    const clock = fixedClock('2026-12-01T06:00:00Z');
    const throttle = createLoginThrottle(clock, { maxFailures: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      assert.equal(throttle.retryAfterMs('aigerim', '10.0.0.1'), 0);
      throttle.failed('Aigerim', '10.0.0.1');
    }
    assert.equal(throttle.retryAfterMs('aigerim', '10.0.0.1'), 60_000);
    assert.equal(throttle.retryAfterMs('aigerim', '10.0.0.2'), 0, 'another address');
    assert.equal(throttle.retryAfterMs('daniyar', '10.0.0.1'), 0, 'another user');
    clock.set('2026-12-01T06:00:45Z');
    assert.equal(throttle.retryAfterMs('aigerim', '10.0.0.1'), 15_000);
    clock.set('2026-12-01T06:01:00Z');
    assert.equal(throttle.retryAfterMs('aigerim', '10.0.0.1'), 0);
  });

  it('forgets failures after a success and bounds what it tracks', () => {
    const clock = fixedClock('2026-12-01T06:00:00Z');
    const throttle = createLoginThrottle(clock, { maxFailures: 2, maxTracked: 10 });
    throttle.failed('a', 'ip');
    throttle.succeeded('a', 'ip');
    throttle.failed('a', 'ip');
    assert.equal(throttle.retryAfterMs('a', 'ip'), 0);
    for (let i = 0; i < 100; i++) throttle.failed(`u${i}`, 'ip');
    throttle.failed('u99', 'ip');
    assert.ok(throttle.retryAfterMs('u99', 'ip') > 0);
    assert.equal(throttle.retryAfterMs('u0', 'ip'), 0, 'oldest pairs are dropped first');
  });
});
