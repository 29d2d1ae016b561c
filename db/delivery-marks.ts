/**
 * Delivery marks in Postgres (or PGlite): one row per reply a platform accepted, keyed by its
 * outbound job id. They outlive Redis, which is the point: a job whose completion Redis lost is
 * recognised as delivered when it runs again.
 */
import { lt } from 'drizzle-orm';
import type { DeliveryMarks } from '../core/ports.ts';
import type { Db } from './client.ts';
import { query } from './raw-sql.ts';
import { deliveryMarks } from './schema.ts';

/** A {@link DeliveryMarks} on the `delivery_marks` table. */
export function createDeliveryMarks(db: Db): DeliveryMarks {
  return {
    // Plain SQL rather than the query builder: both run for every reply sent.
    async has(id) {
      return (await query(db, 'select 1 from delivery_marks where job_id = $1', [id])).length > 0;
    },
    async mark(id) {
      await query(db, 'insert into delivery_marks (job_id) values ($1) on conflict do nothing', [id]);
    },
  };
}

/**
 * Deletes marks older than `before`; returns how many. Job ids name the chat, so they go with
 * the rest of a conversation's data; a mark is only needed while its job could still run again
 * (hours, not months).
 */
export async function pruneDeliveryMarks(db: Db, before: Date): Promise<number> {
  const gone = await db.delete(deliveryMarks).where(lt(deliveryMarks.deliveredAt, before)).returning({ id: deliveryMarks.jobId });
  return gone.length;
}
