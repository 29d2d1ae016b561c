/**
 * Small helpers for the console's raw SQL: the postgres-js and PGlite drivers return `execute`
 * results in different shapes and types (timestamps as strings or Dates, bigints as strings).
 */
import type { SQL } from 'drizzle-orm';
import type { Db } from './client.ts';

/** Runs `query` and returns its rows, whichever driver is underneath. */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
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
