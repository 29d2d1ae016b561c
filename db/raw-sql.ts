/**
 * Small helpers for raw SQL: the postgres-js and PGlite drivers return `execute` results in
 * different shapes and types (timestamps as strings or Dates, bigints as strings).
 */
import type { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { Sql } from 'postgres';
import type { Db } from './client.ts';

/** Runs `query` and returns its rows, whichever driver is underneath. */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}

/**
 * Runs a fixed statement with positional parameters ($1, $2…) straight on the driver, as a
 * prepared statement: for the few statements every message runs, where building the query
 * through drizzle cost more CPU than Postgres spent executing it. Not inside a drizzle
 * transaction (it uses the pool, not the transaction's connection).
 */
export async function query<T>(db: Db, text: string, params: readonly unknown[]): Promise<T[]> {
  const client = (db as unknown as { $client: Sql | PGlite }).$client;
  if ('unsafe' in client) return (await client.unsafe(text, params as never[], { prepare: true })) as unknown as T[];
  return (await client.query<T>(text, params as unknown[])).rows;
}

/** A timestamp from either driver as a Date. */
export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

/** A number from either driver (int, bigint, numeric string). */
export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` can be compared with a uuid column without Postgres raising an error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
