import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { createWhatsAppAdapter } from '../../bots/whatsapp/adapter.ts';
import { drawQr } from '../../bots/whatsapp/qr.ts';
import { createBaileysSocketFactory, toBaileysLogger } from '../../bots/whatsapp/socket.ts';
import { createPostgresAuthState } from '../../db/whatsapp-auth-store.ts';
import { memoryDatabase } from '../helpers/databases.ts';
import { recordingLogger } from '../helpers/fakes.ts';

/** A TCP port that accepts and hangs up at once: the WebSocket handshake fails, fast and offline. */
async function hangingUpServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}/ws/chat`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('whatsapp real socket factory', () => {
  it('makes a Baileys socket on the Postgres session; a failed connection is retried, stop ends it', async () => {
    const t = await memoryDatabase();
    const server = await hangingUpServer();
    try {
      const auth = await createPostgresAuthState(t.database.db);
      const logger = recordingLogger();
      const factory = createBaileysSocketFactory({ logger, webSocketUrl: server.url, connectTimeoutMs: 2_000 });
      let made = 0;
      const sleeps: number[] = [];
      const adapter = createWhatsAppAdapter({
        socketFactory: (a) => (made++, factory(a)),
        authState: auth,
        logger,
        reconnect: { baseMs: 10, maxMs: 20 },
        sleep: async (ms) => void sleeps.push(ms),
        printQr: () => assert.fail('no QR without a server'),
      });
      await adapter.start({ push: async () => undefined });
      const deadline = Date.now() + 10_000;
      while (made < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(made >= 2, 'reconnected after the handshake failed');
      assert.ok(sleeps.length >= 1);
      assert.ok(logger.lines.some((l) => /WhatsApp connection closed; reconnecting/.test(l.msg ?? '')));
      await adapter.stop();
      const after = made;
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(made, after, 'no reconnect after stop');
    } finally {
      await server.close();
      await t.drop();
    }
  });

  it('filters Baileys logs below the chosen level', () => {
    const logger = recordingLogger();
    const b = toBaileysLogger(logger, 'warn');
    b.trace({ a: 1 });
    b.debug({ a: 1 });
    b.info({ a: 1 }, 'info');
    b.warn({ a: 1 }, 'warn');
    b.child({ class: 'x' }).error('plain string', 'error');
    assert.deepEqual(logger.lines.map((l) => [l.level, l.msg]), [['warn', 'warn'], ['error', 'error']]);
    assert.deepEqual(logger.lines[1]!.obj, { class: 'x', detail: 'plain string' });
  });

  it('draws a QR for the terminal', () => {
    const art = drawQr('2@abcdefghijklmnop,qrstuvwxyz,0123456789');
    assert.ok(art.split('\n').length > 10);
    assert.match(art, /[█▀▄]/);
  });
});
