/**
 * Whether operators are at the console, from their sessions: a session that has not expired and
 * was used recently. An open console checks its session every 15 seconds (the live event stream),
 * so a console left open counts as present; a laptop closed at six without signing out stops
 * counting after {@link RECENT_MS}, though its cookie would still be valid until it expires.
 */
import { and, eq, gt, sql } from 'drizzle-orm';
import type { OperatorPresence } from '../core/ports.ts';
import type { Db } from './client.ts';
import { operators, operatorSessions } from './schema.ts';

/** A session used within this long counts as someone at the console. */
export const RECENT_MS = 10 * 60_000;

/** Creates the Postgres-backed {@link OperatorPresence}. */
export function createOperatorPresence(db: Db, opts: { recentMs?: number } = {}): OperatorPresence {
  const recentMs = opts.recentMs ?? RECENT_MS;
  return {
    async anyOnline(now) {
      const found = await db
        .select({ one: sql<number>`1` })
        .from(operatorSessions)
        .innerJoin(operators, eq(operators.id, operatorSessions.operatorId))
        .where(
          and(
            gt(operatorSessions.expiresAt, now),
            gt(operatorSessions.lastSeenAt, new Date(now.getTime() - recentMs)),
            eq(operators.disabled, false),
          ),
        )
        .limit(1);
      return found.length > 0;
    },
  };
}
