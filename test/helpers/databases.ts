/**
 * Test databases: a fresh in-memory PGlite, or a fresh database on a real Postgres
 * (TEST_DATABASE_URL, default the local server). Each call gets its own database, dropped after.
 * Under CI=true a missing Postgres fails the test instead of skipping it.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../db/client.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let available: Promise<boolean> | undefined;

/** Whether the real Postgres answers; in CI it must. */
export function postgresAvailable(): Promise<boolean> {
  return (available ??= (async () => {
    const sql = postgres(TEST_DATABASE_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
    try {
      await sql`select 1`;
      return true;
    } catch (err) {
      if (process.env.CI === 'true') throw new Error(`CI=true but Postgres at ${TEST_DATABASE_URL} is unreachable: ${(err as Error).message}`);
      return false;
    } finally {
      await sql.end({ timeout: 1 });
    }
  })());
}

export interface TestDatabase {
  database: Database;
  url?: string;
  drop(): Promise<void>;
}

/** A migrated in-memory PGlite. */
export async function memoryDatabase(): Promise<TestDatabase> {
  const database = await openDatabase({ kind: 'memory' });
  await database.migrate();
  return { database, drop: () => database.close() };
}

/** A migrated, uniquely named database on the real Postgres. */
export async function postgresDatabase(): Promise<TestDatabase> {
  const name = `komek_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), max: 4 });
  await database.migrate();
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 1 });
    },
  };
}

/** Both kinds, for tests that must hold on each: [label, factory]. */
export async function databaseKinds(): Promise<[string, () => Promise<TestDatabase>][]> {
  const kinds: [string, () => Promise<TestDatabase>][] = [['pglite', memoryDatabase]];
  if (await postgresAvailable()) kinds.push(['postgres', postgresDatabase]);
  return kinds;
}
