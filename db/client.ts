/**
 * Opens the database: a real Postgres through the `postgres` driver when a URL is given, else the
 * embedded PGlite in a data folder. Both get the same drizzle schema and migrations, so the rest of
 * the code never knows which one it talks to.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { lockDataFolder } from './data-folder-lock.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; max?: number }
  | { kind: 'pglite'; dataDir: string }
  /** PGlite in memory: for tests and throw-away runs. */
  | { kind: 'memory' };

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /**
   * The driver's client on a real Postgres (absent on PGlite): for what drizzle does not do —
   * LISTEN/NOTIFY and the queue's statements (queue/postgres-*.ts).
   */
  sql?: postgres.Sql;
  /** The embedded database's folder (absolute), which this process holds while open. */
  dataDir?: string;
  /** Applies the committed migrations; safe to call on every start. */
  migrate(): Promise<void>;
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/** Opens a database connection pool (Postgres) or the embedded database (PGlite). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === 'postgres') return openPostgres(options.url, options.max);
  return openPglite(options.kind === 'pglite' ? options.dataDir : undefined);
}

function openPostgres(url: string, max = 10): Database {
  // Notices (e.g. "extension already exists") are expected on every start and are not news.
  const client = postgres(url, { max, onnotice: () => {}, connect_timeout: 10 });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  let closed: Promise<void> | undefined;
  return {
    db,
    kind: 'postgres',
    sql: client,
    migrate: () => migratePostgres(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: async () => {
      await client`select 1`;
    },
    close: () => (closed ??= client.end({ timeout: 5 })),
  };
}

/**
 * PGlite in `dataDir` (or in memory). A folder is opened by one process at a time: the lock is
 * taken before PGlite reads a page and dropped after it wrote its last (see data-folder-lock.ts);
 * a folder another process holds throws DataFolderLockedError.
 */
async function openPglite(dataDir: string | undefined): Promise<Database> {
  // Loaded here, not at the top: a process on a real Postgres (every `komek worker`) would
  // otherwise carry PGlite's code, about 26 MB of resident memory, for nothing.
  const [{ PGlite }, { pg_trgm }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const lock = dataDir ? await lockDataFolder(dataDir) : undefined;
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir ? `file://${dataDir}` : undefined, { extensions: { pg_trgm } });
  } catch (err) {
    await lock?.release();
    throw err;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  let closed: Promise<void> | undefined;
  return {
    db,
    kind: 'pglite',
    dataDir: lock?.dir,
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: async () => {
      await client.query('select 1');
    },
    close: () =>
      (closed ??= (async () => {
        try {
          await client.close();
        } finally {
          await lock?.release();
        }
      })()),
  };
}
