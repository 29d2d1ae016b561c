/**
 * Trained encoders and their entry vectors in Postgres. Vectors are stored as float32 bytes: the
 * `vector` extension is not on every Postgres, and workers search them in memory anyway.
 */
import type { PGlite } from '@electric-sql/pglite';
import { and, desc, eq } from 'drizzle-orm';
import type { Sql } from 'postgres';
import type { Lang } from '../core/lang.ts';
import type { ModelStore, StoredModel } from '../core/ports.ts';
import type { Db } from './client.ts';
import { models, modelVectors } from './schema.ts';

const BATCH = 500;

export function createModelStore(db: Db): ModelStore {
  // PGlite is one process's own database: a lock within the process is the whole story there.
  const heldHere = new Set<string>();

  return {
    async latest(kind) {
      const rows = await db.select().from(models).where(eq(models.kind, kind)).orderBy(desc(models.createdAt)).limit(1);
      return rows[0] ? toModel(rows[0]) : undefined;
    },

    async newest(kind) {
      const rows = await db.select({ id: models.id, kbVersion: models.kbVersion }).from(models).where(eq(models.kind, kind)).orderBy(desc(models.createdAt)).limit(1);
      return rows[0];
    },

    async exclusively(kind, fn) {
      const client = (db as unknown as { $client: Sql | PGlite }).$client;
      if (!('reserve' in client)) {
        if (heldHere.has(kind)) return { ran: false };
        heldHere.add(kind);
        try {
          return { ran: true, value: await fn() };
        } finally {
          heldHere.delete(kind);
        }
      }
      // A session-level advisory lock on a connection of its own, kept for the whole training:
      // Postgres releases it when that connection ends, also when this process dies.
      const conn = await client.reserve();
      try {
        const key = `komek:train:${kind}`;
        const [row] = await conn<{ ok: boolean }[]>`select pg_try_advisory_lock(hashtext(${key})) as ok`;
        if (!row?.ok) return { ran: false };
        try {
          return { ran: true, value: await fn() };
        } finally {
          await conn`select pg_advisory_unlock(hashtext(${key}))`.catch(() => undefined);
        }
      } finally {
        conn.release();
      }
    },

    async save(model) {
      const rows = await db
        .insert(models)
        .values({ kind: model.kind, kbVersion: model.kbVersion, onnx: Buffer.from(model.onnx), meta: model.meta })
        .returning();
      return toModel(rows[0]!);
    },

    async vectors(modelId) {
      const rows = await db.select().from(modelVectors).where(eq(modelVectors.modelId, modelId));
      return rows.map((r) => ({ faqId: r.faqId, lang: r.lang as Lang, field: r.field, vector: toFloat32(r.vector) }));
    },

    async saveVectors(modelId, rows) {
      await db.transaction(async (tx) => {
        await tx.delete(modelVectors).where(and(eq(modelVectors.modelId, modelId)));
        for (let i = 0; i < rows.length; i += BATCH) {
          await tx.insert(modelVectors).values(
            rows.slice(i, i + BATCH).map((r) => ({
              modelId,
              faqId: r.faqId,
              lang: r.lang,
              field: r.field,
              vector: Buffer.from(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength),
            })),
          );
        }
      });
    },
  };
}

function toModel(row: typeof models.$inferSelect): StoredModel {
  return {
    id: row.id,
    kind: row.kind,
    kbVersion: row.kbVersion,
    onnx: new Uint8Array(row.onnx),
    meta: row.meta as Record<string, unknown>,
    createdAt: row.createdAt,
  };
}

/** Copies into an aligned buffer: driver buffers may start at any byte offset. */
function toFloat32(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
