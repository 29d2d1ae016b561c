/**
 * The audit log of operator and admin actions: written by the use cases, read by admins.
 */
import { and, desc, eq, lt } from 'drizzle-orm';
import type { AuditTrail } from '../core/ports.ts';
import type { Db } from './client.ts';
import { auditLog, operators } from './schema.ts';

export interface AuditRow {
  id: number;
  operatorId: string | null;
  operatorName: string | null;
  action: string;
  target: string | null;
  details: unknown;
  createdAt: Date;
}

/** Creates the audit trail (write) and its reader. */
export function createOperatorAudit(db: Db): AuditTrail & {
  list(opts?: { limit?: number; before?: number; action?: string }): Promise<AuditRow[]>;
} {
  return {
    async record(entry) {
      await db.insert(auditLog).values({ operatorId: entry.operatorId, action: entry.action, target: entry.target ?? null, details: entry.details ?? null });
    },
    async list(opts = {}) {
      const found = await db
        .select({ a: auditLog, name: operators.displayName })
        .from(auditLog)
        .leftJoin(operators, eq(operators.id, auditLog.operatorId))
        .where(and(opts.before ? lt(auditLog.id, opts.before) : undefined, opts.action ? eq(auditLog.action, opts.action) : undefined))
        .orderBy(desc(auditLog.id))
        .limit(Math.min(opts.limit ?? 100, 500));
      return found.map(({ a, name }) => ({ id: a.id, operatorId: a.operatorId, operatorName: name, action: a.action, target: a.target, details: a.details, createdAt: a.createdAt }));
    },
  };
}
