/**
 * Ownership transitions for operators, each a single conditional UPDATE … RETURNING: Postgres
 * re-checks the WHERE clause on the row it locks, so of two operators claiming the same chat
 * exactly one gets a row back.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { OperatorConversations } from '../core/ports.ts';
import type { Db } from './client.ts';
import { toConversation } from './conversation-store.ts';
import { isUuid } from './raw-sql.ts';
import { conversations } from './schema.ts';

/** Creates the Postgres-backed {@link OperatorConversations}. */
export function createOperatorConversations(db: Db): OperatorConversations {
  const byOperator = (id: string | null) => (id === null ? isNull(conversations.operatorId) : eq(conversations.operatorId, id));
  return {
    async get(id) {
      if (!isUuid(id)) return undefined;
      const found = await db.select().from(conversations).where(eq(conversations.id, id));
      return found[0] ? toConversation(found[0]) : undefined;
    },

    async claim(id, operatorId, now) {
      if (!isUuid(id)) return undefined;
      const won = await db
        .update(conversations)
        .set({ owner: 'operator', operatorId, updatedAt: sql`now()` })
        .where(and(eq(conversations.id, id), eq(conversations.owner, 'waiting')))
        .returning();
      const row = won[0];
      if (!row) return undefined;
      const waitedMs = row.escalatedAt ? Math.max(0, now.getTime() - row.escalatedAt.getTime()) : 0;
      return { conversation: toConversation(row), waitedMs };
    },

    async transfer(id, toOperatorId, fromOperatorId) {
      if (!isUuid(id)) return undefined;
      const moved = await db
        .update(conversations)
        .set({ operatorId: toOperatorId, updatedAt: sql`now()` })
        .where(and(eq(conversations.id, id), eq(conversations.owner, 'operator'), byOperator(fromOperatorId)))
        .returning();
      return moved[0] ? toConversation(moved[0]) : undefined;
    },

    async release(id, owner, fromOperatorId) {
      if (!isUuid(id)) return undefined;
      const done = await db
        .update(conversations)
        .set({ owner, operatorId: null, fallbackStreak: 0, escalatedAt: null, updatedAt: sql`now()` })
        .where(and(eq(conversations.id, id), inArray(conversations.owner, ['waiting', 'operator']), byOperator(fromOperatorId)))
        .returning();
      return done[0] ? toConversation(done[0]) : undefined;
    },
  };
}

