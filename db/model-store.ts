/**
 * Trained encoders and their entry vectors in Postgres. Vectors are stored as float32 bytes: the
 * `vector` extension is not on every Postgres, and workers search them in memory anyway.
 */
import type { PGlite } from '@electric-sql/pglite';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Sql } from 'postgres';
import type { Lang } from '../core/lang.ts';
import type { ModelStore, StoredModel } from '../core/ports.ts';
import type { Db } from './client.ts';
import { models, modelVectors } from './schema.ts';

const BATCH = 500;

/**
 * The model's bytes are read this many at a time. Read in one piece, a 13.5 MB model arrives
 * from the `postgres` driver as 27 MB of hex in one protocol message, and the socket chunks, the
 * joined message, the decoded bytes and their copy — about 80 MB of buffers — outlived the load
 * as garbage that a worker's idle or lightly loaded heap had no reason to collect for minutes.
 * Slices this size die young instead, in the next scavenge.
 */
const ONNX_SLICE = 1 << 20;

export function createModelStore(db: Db): ModelStore {
  // PGlite is one process's own database: a lock within the process is the whole story there.
  const heldHere = new Set<string>();

  return {
    async latest(kind) {
      const [row] = await db
        .select({ id: models.id, kind: models.kind, kbVersion: models.kbVersion, meta: models.meta, createdAt: models.createdAt, size: sql<number>`octet_length(${models.onnx})` })
        .from(models)
        .where(eq(models.kind, kind))
        .orderBy(desc(models.createdAt))
        .limit(1);
      if (!row) return undefined;
      const onnx = new Uint8Array(Number(row.size));
      for (let at = 0; at < onnx.byteLength; at += ONNX_SLICE) {
        const [slice] = await db
          .select({ bytes: sql<Uint8Array>`substring(${models.onnx} from ${at + 1} for ${ONNX_SLICE})` })
          .from(models)
          .where(eq(models.id, row.id));
        if (!slice) throw new Error(`model ${row.id} was deleted while it was being read`);
        onnx.set(slice.bytes, at);
      }
      return { id: row.id, kind: row.kind, kbVersion: row.kbVersion, onnx, meta: row.meta as Record<string, unknown>, createdAt: row.createdAt };
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
