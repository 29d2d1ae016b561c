/** Delivery marks in the database (PGlite, and Postgres when it answers): mark, check, prune. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { createDeliveryMarks, pruneDeliveryMarks } from '../../db/delivery-marks.ts';
import { databaseKinds } from '../helpers/databases.ts';

for (const [kind, open] of await databaseKinds()) {
  describe(`delivery marks (${kind})`, () => {
    test('a job id is unmarked until marked; marking twice is harmless', async () => {
      const db = await open();
      try {
        const marks = createDeliveryMarks(db.database.db);
        const id = 'out|telegram|42|7|0';
        assert.equal(await marks.has(id), false);
        await marks.mark(id);
        await marks.mark(id);
        assert.equal(await marks.has(id), true);
        assert.equal(await marks.has('out|telegram|42|7|1'), false);
      } finally {
        await db.drop();
      }
    });

    test('old marks are pruned, recent ones kept', async () => {
      const db = await open();
      try {
        const marks = createDeliveryMarks(db.database.db);
        await marks.mark('old');
        await marks.mark('new');
        await db.database.db.execute(sql`update delivery_marks set delivered_at = now() - interval '3 days' where job_id = 'old'`);
        assert.equal(await pruneDeliveryMarks(db.database.db, new Date(Date.now() - 24 * 3600_000)), 1);
        assert.equal(await marks.has('old'), false);
        assert.equal(await marks.has('new'), true);
      } finally {
        await db.drop();
      }
    });
  });
}
