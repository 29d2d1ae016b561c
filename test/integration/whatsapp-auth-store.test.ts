import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { like, sql } from 'drizzle-orm';
import { proto } from '@whiskeysockets/baileys';
import { whatsappAuth } from '../../db/schema.ts';
import { createPostgresAuthState } from '../../db/whatsapp-auth-store.ts';
import { databaseKinds, type TestDatabase } from '../helpers/databases.ts';

for (const [label, open] of await databaseKinds()) {
  describe(`whatsapp auth store on ${label}`, () => {
    // One database per kind; each test works in its own namespace, as several numbers would.
    let t: TestDatabase;
    before(async () => {
      t = await open();
    });
    after(async () => {
      await t.drop();
    });
    it('persists credentials so a restart needs no new QR', async () => {
      const db = t.database.db;
      const first = await createPostgresAuthState(db, 'restart');
      // Baileys mutates creds in place on creds.update, then the app calls saveCreds().
      Object.assign(first.state.creds, { registered: true, me: { id: '77001234567:3@s.whatsapp.net', name: 'Kömek' } });
      await first.saveCreds();

      const again = await createPostgresAuthState(db, 'restart');
      const a = first.state.creds;
      const b = again.state.creds;
      assert.equal(b.registered, true);
      assert.equal(b.me?.id, '77001234567:3@s.whatsapp.net');
      assert.ok(Buffer.isBuffer(b.noiseKey.private), 'keys come back as buffers');
      assert.ok(Buffer.from(a.noiseKey.private).equals(b.noiseKey.private));
      assert.ok(Buffer.from(a.signedIdentityKey.public).equals(b.signedIdentityKey.public));
      assert.ok(Buffer.from(a.signedPreKey.signature).equals(b.signedPreKey.signature));
      assert.equal(b.registrationId, a.registrationId);
      assert.equal(b.advSecretKey, a.advSecretKey);

      const rows = await db
        .select({ type: sql<string>`jsonb_typeof(${whatsappAuth.value})` })
        .from(whatsappAuth)
        .where(like(whatsappAuth.key, 'restart:%'));
      assert.deepEqual(rows, [{ type: 'object' }], 'one row, a JSON object rather than a double-encoded string');
    });

    it('stores, reads and deletes signal keys by type and id', async () => {
      const { state } = await createPostgresAuthState(t.database.db, 'keys');
      const preKey = { public: new Uint8Array([1, 2, 3]), private: new Uint8Array([4, 5, 6]) };
      await state.keys.set({
        'pre-key': { '1': preKey, '2': preKey },
        session: { '77001234567.0': new Uint8Array([9, 9]) },
        'lid-mapping': { '77001234567': '123456789012345' },
        'app-state-sync-key': { AAAA: { keyData: new Uint8Array([7]), timestamp: 5 } },
      });
      const got = await state.keys.get('pre-key', ['1', '2', '3']);
      assert.deepEqual(Object.keys(got).sort(), ['1', '2'], 'a missing id is left out');
      assert.ok(Buffer.from(got['1']!.private).equals(Buffer.from([4, 5, 6])));
      const lid = await state.keys.get('lid-mapping', ['77001234567']);
      assert.equal(lid['77001234567'], '123456789012345', 'a numeric string stays a string');
      const sync = await state.keys.get('app-state-sync-key', ['AAAA']);
      assert.ok(sync.AAAA instanceof proto.Message.AppStateSyncKeyData);
      assert.ok(Buffer.from(sync.AAAA.keyData!).equals(Buffer.from([7])));

      await state.keys.set({ 'pre-key': { '1': null } });
      assert.deepEqual(Object.keys(await state.keys.get('pre-key', ['1', '2'])), ['2']);
      // Same id under another type is another key.
      assert.deepEqual(await state.keys.get('sender-key', ['77001234567.0']), {});
    });

    it('writes large batches (pre-key upload) in one go', async () => {
      const { state } = await createPostgresAuthState(t.database.db, 'batch');
      const many: Record<string, { public: Uint8Array; private: Uint8Array }> = {};
      for (let i = 0; i < 1200; i++) many[String(i)] = { public: new Uint8Array([i & 255]), private: new Uint8Array([1]) };
      await state.keys.set({ 'pre-key': many });
      const ids = Object.keys(many);
      const got = await state.keys.get('pre-key', ids);
      assert.equal(Object.keys(got).length, 1200);
      assert.equal(Buffer.from(got['1199']!.public)[0], 1199 & 255);
    });

    it('keeps namespaces apart; clear() removes only its own session', async () => {
      const db = t.database.db;
      const a = await createPostgresAuthState(db, 'num_a');
      const b = await createPostgresAuthState(db, 'num%b');
      await a.saveCreds();
      await b.saveCreds();
      await a.state.keys.set({ session: { x: new Uint8Array([1]) } });
      await b.state.keys.set({ session: { x: new Uint8Array([2]) } });
      assert.equal(Buffer.from((await b.state.keys.get('session', ['x'])).x!)[0], 2);

      await b.clear();
      assert.deepEqual(await b.state.keys.get('session', ['x']), {});
      assert.equal(Buffer.from((await a.state.keys.get('session', ['x'])).x!)[0], 1);
      const fresh = await createPostgresAuthState(db, 'num%b');
      assert.notEqual(fresh.state.creds.advSecretKey, b.state.creds.advSecretKey, 'cleared session starts over');
      const kept = await createPostgresAuthState(db, 'num_a');
      assert.equal(kept.state.creds.advSecretKey, a.state.creds.advSecretKey);

      // The key store's own clear() drops keys but keeps the login.
      await a.state.keys.clear!();
      assert.deepEqual(await a.state.keys.get('session', ['x']), {});
      assert.equal((await createPostgresAuthState(db, 'num_a')).state.creds.advSecretKey, a.state.creds.advSecretKey);
    });
  });
}
