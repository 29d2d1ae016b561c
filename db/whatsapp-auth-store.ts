/**
 * The WhatsApp (Baileys) session kept in Postgres instead of a folder of JSON files, so a restart
 * (or a new container) reconnects without a new QR scan and the session is backed up with the
 * rest of the data. Same layout as Baileys' `useMultiFileAuthState`: one row for the credentials
 * and one row per signal key, values serialised with `BufferJSON` so buffers survive as base64.
 */
import { and, inArray, sql } from 'drizzle-orm';
import { BufferJSON, initAuthCreds, proto } from '@whiskeysockets/baileys';
import type { AuthenticationCreds, AuthenticationState, SignalDataSet, SignalDataTypeMap } from '@whiskeysockets/baileys';
import type { Db } from './client.ts';
import { whatsappAuth } from './schema.ts';

/** A Baileys auth state backed by the `whatsapp_auth` table. */
export interface PostgresAuthState {
  /** Hand to `makeWASocket({ auth })`; `creds` is mutated by Baileys in place. */
  state: AuthenticationState;
  /** Persists `state.creds`; call on every `creds.update`. */
  saveCreds(): Promise<void>;
  /**
   * Deletes the stored session of this namespace (credentials and keys). The `state` object in
   * memory is stale afterwards: create a new auth state to log in again with a fresh QR.
   */
  clear(): Promise<void>;
}

// Pre-key uploads write hundreds of keys at once; keep each statement well under the
// 65 535-parameter limit of the Postgres protocol.
const CHUNK = 500;

/**
 * Loads (or initialises) the session stored under `namespace`. One namespace is one linked
 * WhatsApp number; several can share the table.
 */
export async function createPostgresAuthState(db: Db, namespace = 'default'): Promise<PostgresAuthState> {
  const prefix = `${namespace}:`;
  const credsKey = `${prefix}creds`;
  const keyOf = (type: string, id: string) => `${prefix}${type}:${id}`;

  const stored = await readRows(db, [credsKey]);
  const raw = stored.get(credsKey);
  const creds: AuthenticationCreds = raw === undefined ? initAuthCreds() : (raw as AuthenticationCreds);

  const state: AuthenticationState = {
    creds,
    keys: {
      async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
        const rows = await readRows(db, ids.map((id) => keyOf(type, id)));
        const out: { [id: string]: SignalDataTypeMap[T] } = {};
        for (const id of ids) {
          let value = rows.get(keyOf(type, id));
          if (value === undefined || value === null) continue;
          // Baileys expects this one as a protobuf object, exactly as its file store returns it.
          if (type === 'app-state-sync-key') value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
          out[id] = value as SignalDataTypeMap[T];
        }
        return out;
      },
      async set(data: SignalDataSet) {
        const writes: { key: string; json: string }[] = [];
        const deletes: string[] = [];
        for (const type of Object.keys(data) as (keyof SignalDataSet)[]) {
          for (const [id, value] of Object.entries(data[type] ?? {})) {
            if (value === null || value === undefined) deletes.push(keyOf(type, id));
            else writes.push({ key: keyOf(type, id), json: serialise(value) });
          }
        }
        await db.transaction(async (tx) => {
          for (let i = 0; i < writes.length; i += CHUNK) await upsert(tx as unknown as Db, writes.slice(i, i + CHUNK));
          for (let i = 0; i < deletes.length; i += CHUNK) {
            await tx.delete(whatsappAuth).where(inArray(whatsappAuth.key, deletes.slice(i, i + CHUNK)));
          }
        });
      },
      async clear() {
        await deleteNamespace(db, prefix, credsKey);
      },
    },
  };

  return {
    state,
    saveCreds: () => upsert(db, [{ key: credsKey, json: serialise(creds) }]),
    clear: () => deleteNamespace(db, prefix),
  };
}

function serialise(value: unknown): string {
  return JSON.stringify(value, BufferJSON.replacer);
}

/**
 * The JSON travels as text, cast in SQL, and is read back as text: drizzle's jsonb mapping
 * re-parses string values, which would turn a stored numeric string (a `lid-mapping` value such
 * as "123456789012345") into a number. Text in, text out, parsed once with BufferJSON's reviver.
 */
async function upsert(db: Db, rows: { key: string; json: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(whatsappAuth)
    .values(rows.map((r) => ({ key: r.key, value: sql`${r.json}::text::jsonb`, updatedAt: sql`now()` })))
    .onConflictDoUpdate({ target: whatsappAuth.key, set: { value: sql`excluded.value`, updatedAt: sql`now()` } });
}

async function readRows(db: Db, keys: string[]): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await db
      .select({ key: whatsappAuth.key, json: sql<string>`${whatsappAuth.value}::text` })
      .from(whatsappAuth)
      .where(inArray(whatsappAuth.key, keys.slice(i, i + CHUNK)));
    for (const r of rows) out.set(r.key, JSON.parse(r.json, BufferJSON.reviver));
  }
  return out;
}

/** Deletes every row of the namespace, optionally keeping one key (the credentials). */
async function deleteNamespace(db: Db, prefix: string, keep?: string): Promise<void> {
  // starts_with, not LIKE: a namespace may contain % or _.
  const inNamespace = sql`starts_with(${whatsappAuth.key}, ${prefix})`;
  await db.delete(whatsappAuth).where(keep === undefined ? inNamespace : and(inNamespace, sql`${whatsappAuth.key} <> ${keep}`));
}
