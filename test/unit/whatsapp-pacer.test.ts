import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TransientError } from '../../core/errors.ts';
import { createPacer, realSleep } from '../../bots/whatsapp/pacer.ts';

/** Virtual time: sleeping moves the clock. */
function virtualTime() {
  let now = Date.parse('2025-01-01T10:00:00Z');
  const sleeps: number[] = [];
  return {
    clock: { now: () => new Date(now) },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => (now += ms),
    now: () => now,
    sleeps,
  };
}

describe('whatsapp pacing', () => {
  it('spaces sends by the minimum delay plus jitter, in order', async () => {
    const vt = virtualTime();
    const pacer = createPacer({ minDelayMs: 1000, jitterMs: 500, perChatPerMinute: 100, clock: vt.clock, sleep: vt.sleep, random: () => 0.5 });
    const at: [string, number][] = [];
    await Promise.all(['a', 'b', 'a', 'c'].map((chat) => pacer.run(chat, async () => at.push([chat, vt.now()]))));
    const t0 = at[0]![1];
    assert.deepEqual(
      at.map(([c, t]) => [c, t - t0]),
      [['a', 0], ['b', 1250], ['a', 2500], ['c', 3750]],
    );
    assert.deepEqual(vt.sleeps, [1250, 1250, 1250]);
  });

  it('does not wait when the last send is long past', async () => {
    const vt = virtualTime();
    const pacer = createPacer({ minDelayMs: 1000, jitterMs: 0, perChatPerMinute: 100, clock: vt.clock, sleep: vt.sleep });
    await pacer.run('a', async () => undefined);
    vt.advance(5000);
    await pacer.run('a', async () => undefined);
    assert.deepEqual(vt.sleeps, []);
  });

  it('refuses a chat over its per-minute limit with retryAfterMs, without holding up other chats', async () => {
    const vt = virtualTime();
    const pacer = createPacer({ minDelayMs: 0, jitterMs: 0, perChatPerMinute: 3, clock: vt.clock, sleep: vt.sleep });
    const sent: string[] = [];
    const send = (chat: string) => pacer.run(chat, async () => sent.push(chat));
    await send('a');
    vt.advance(10_000);
    await send('a');
    await send('a');
    await assert.rejects(send('a'), (err: unknown) => err instanceof TransientError && err.retryAfterMs === 50_000);
    await send('b');
    assert.deepEqual(sent, ['a', 'a', 'a', 'b']);
    vt.advance(50_000);
    await send('a');
    assert.equal(sent.length, 5, 'the oldest send left the window');
  });

  it('keeps going after a failed send', async () => {
    const vt = virtualTime();
    const pacer = createPacer({ minDelayMs: 10, jitterMs: 0, perChatPerMinute: 10, clock: vt.clock, sleep: vt.sleep });
    const failed = pacer.run('a', async () => {
      throw new Error('boom');
    });
    const ok = pacer.run('a', async () => 'ok');
    await assert.rejects(failed, /boom/);
    assert.equal(await ok, 'ok');
  });

  it('real sleep waits, and an abort cuts it short', async () => {
    const t = Date.now();
    await realSleep(30);
    assert.ok(Date.now() - t >= 25);
    const ac = new AbortController();
    const t2 = Date.now();
    const p = realSleep(10_000, ac.signal);
    ac.abort();
    await p;
    assert.ok(Date.now() - t2 < 1000);
  });
});
