/**
 * Wrong console passwords in Postgres (or PGlite), one row per username and address: the store
 * behind the console's login throttle, shared by every process on the database so running more
 * processes does not multiply the allowance. Times come from the caller's clock, never the
 * database's now(), so every process (and a test's fake clock) judges windows the same way.
 */
import { eq, lt, lte, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { loginFailures } from './schema.ts';

/** A pair's failures within its current window. */
export interface LoginFailureCount {
  failures: number;
  /** When the window began: the first failure of the window. */
  firstAt: Date;
}

/** The failure counts the login throttle needs. */
export interface LoginFailures {
  /** What is recorded for `key`, expired or not; undefined when nothing is. */
  get(key: string): Promise<LoginFailureCount | undefined>;
  /**
   * Counts one failure in one statement, so concurrent failures from any number of processes
   * all count. A window that began at or before `windowStart` has ended: the failure starts a
   * new window at `now`.
   */
  record(key: string, now: Date, windowStart: Date): Promise<LoginFailureCount>;
  /** Forgets `key` (after a successful login). */
  clear(key: string): Promise<void>;
  /** Deletes every row whose window began at or before `windowStart`; returns how many. */
  pruneEnded(windowStart: Date): Promise<number>;
}

/** A {@link LoginFailures} on the `login_failures` table. */
export function createLoginFailures(db: Db): LoginFailures {
  return {
    async get(key) {
      const [row] = await db.select({ failures: loginFailures.failures, firstAt: loginFailures.firstAt }).from(loginFailures).where(eq(loginFailures.key, key));
      return row;
    },
    async record(key, now, windowStart) {
      // The SET expressions read the row as it was before this statement, and the conflicting
      // row is locked while they run: a read-then-write here would lose concurrent failures.
      const ended = sql`${loginFailures.firstAt} <= ${windowStart.toISOString()}::timestamptz`;
      const [row] = await db
        .insert(loginFailures)
        .values({ key, failures: 1, firstAt: now })
        .onConflictDoUpdate({
          target: loginFailures.key,
          set: {
            failures: sql`case when ${ended} then 1 else ${loginFailures.failures} + 1 end`,
            firstAt: sql`case when ${ended} then excluded.first_at else ${loginFailures.firstAt} end`,
          },
        })
        .returning({ failures: loginFailures.failures, firstAt: loginFailures.firstAt });
      return row!;
    },
    async clear(key) {
      await db.delete(loginFailures).where(eq(loginFailures.key, key));
    },
    async pruneEnded(windowStart) {
      const gone = await db.delete(loginFailures).where(lte(loginFailures.firstAt, windowStart)).returning({ key: loginFailures.key });
      return gone.length;
    },
  };
}

/**
 * Deletes failures recorded before `before`; returns how many. Keys hold usernames (sometimes a
 * password typed into the wrong field) and addresses, so they go with the rest of the old data;
 * the throttle itself forgets them after one window.
 */
export async function pruneLoginFailures(db: Db, before: Date): Promise<number> {
  const gone = await db.delete(loginFailures).where(lt(loginFailures.firstAt, before)).returning({ key: loginFailures.key });
  return gone.length;
}
