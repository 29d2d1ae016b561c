/**
 * The model store on PGlite and Postgres: newest() names what latest() returns, without the bytes;
 * latest() returns the stored bytes exactly although it reads them in slices;
 * the training lock admits one holder across processes and is released when its holder's
 * connection dies.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import postgres from 'postgres';
import { openDatabase } from '../../db/client.ts';
import { createModelStore } from '../../db/model-store.ts';
import { databaseKinds } from '../helpers/databases.ts';

const model = (kbVersion: number) => ({ kind: 'komek-hashed-v1', kbVersion, onnx: new Uint8Array([1, 2, 3]), meta: { dim: 4 } });

for (const [kind, open] of await databaseKinds()) {
  describe(`model store (${kind})`, () => {
    test('newest names the model latest returns', async () => {
      const t = await open();
      try {
        const store = createModelStore(t.database.db);
        assert.equal(await store.newest('komek-hashed-v1'), undefined);
        await store.save(model(1));
        await new Promise((r) => setTimeout(r, 5));
        const second = await store.save(model(2));
        assert.deepEqual(await store.newest('komek-hashed-v1'), { id: second.id, kbVersion: 2 });
        assert.equal((await store.latest('komek-hashed-v1'))?.id, second.id);
        assert.equal(await store.newest('other-kind'), undefined);
      } finally {
        await t.drop();
      }
    });

    test('latest returns the model bytes exactly, across and at the ends of its 1 MiB read slices', async () => {
      const t = await open();
      try {
        const store = createModelStore(t.database.db);
        // Two whole slices and a part: every byte position distinct enough that a slice read
        // off by one, twice or not at all changes the result.
        const onnx = new Uint8Array(2 * 2 ** 20 + 12_345);
        for (let i = 0; i < onnx.length; i++) onnx[i] = (i * 31 + (i >>> 20) * 7) & 0xff;
        const saved = await store.save({ ...model(1), onnx });
        const loaded = await store.latest('komek-hashed-v1');
        assert.equal(loaded?.id, saved.id);
        assert.equal(loaded.onnx.byteLength, onnx.byteLength);
        assert.ok(Buffer.from(loaded.onnx).equals(Buffer.from(onnx)), 'bytes differ');
        assert.deepEqual(loaded.meta, { dim: 4 });
        assert.equal(loaded.kbVersion, 1);
        assert.ok(loaded.createdAt instanceof Date);
      } finally {
        await t.drop();
      }
    });

    test('one holder of the training lock at a time; released when it is done or fails', async () => {
      const t = await open();
      // On Postgres a second pool, as another worker process would have; PGlite is one process's.
      const other = t.url ? await openDatabase({ kind: 'postgres', url: t.url, max: 2 }) : undefined;
      try {
        const a = createModelStore(t.database.db);
        const b = createModelStore(other?.db ?? t.database.db);
        const shared = other ? b : a;
        let release!: () => void;
        const holding = a.exclusively('komek-hashed-v1', () => new Promise<string>((r) => (release = () => r('trained'))));
        await new Promise((r) => setTimeout(r, 100));
        assert.deepEqual(await shared.exclusively('komek-hashed-v1', async () => 'second'), { ran: false });
        assert.deepEqual(await shared.exclusively('other-kind', async () => 'other'), { ran: true, value: 'other' }, 'locks are per kind');
        release();
        assert.deepEqual(await holding, { ran: true, value: 'trained' });
        await assert.rejects(shared.exclusively('komek-hashed-v1', async () => Promise.reject(new Error('training failed'))), /training failed/);
        assert.deepEqual(await a.exclusively('komek-hashed-v1', async () => 'after'), { ran: true, value: 'after' }, 'a failure releases the lock');
      } finally {
        await other?.close();
        await t.drop();
      }
    });

    if (kind === 'postgres') {
      test('a trainer whose connection dies (process killed) does not keep the lock', async () => {
        const t = await open();
        const other = await openDatabase({ kind: 'postgres', url: t.url!, max: 2 });
        const admin = postgres(t.url!, { max: 1, onnotice: () => {} });
        try {
          const a = createModelStore(t.database.db);
          const b = createModelStore(other.db);
          const holding = a.exclusively('komek-hashed-v1', () => new Promise<never>(() => {}));
          void holding.catch(() => undefined);
          await new Promise((r) => setTimeout(r, 100));
          assert.deepEqual(await b.exclusively('komek-hashed-v1', async () => 'x'), { ran: false });
          // What a SIGKILL of the trainer leaves: its sessions end. Only this test database's:
          // other test files running at the same time hold training locks of their own.
          await admin`
            select pg_terminate_backend(pid) from pg_locks
            where locktype = 'advisory' and granted
              and database = (select oid from pg_database where datname = current_database())`;
          await new Promise((r) => setTimeout(r, 200));
          assert.deepEqual(await b.exclusively('komek-hashed-v1', async () => 'took over'), { ran: true, value: 'took over' });
        } finally {
          await admin.end({ timeout: 1 });
          await other.close();
          await t.drop().catch(() => undefined);
        }
      });
    }
  });
}
