/**
 * Data retention: conversations whose last activity is older than a cut-off are deleted (with
 * their messages, feedback and ratings) or anonymised (texts and platform ids removed, so the
 * statistics survive without personal data). Dedupe marks and login failures older than the
 * cut-off go too.
 */
import { and, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { pruneDeliveryMarks } from './delivery-marks.ts';
import { pruneLoginFailures } from './login-failures.ts';
import { conversations, deliveryMarks, loginFailures, messages, seenMessages } from './schema.ts';

export interface RetentionReport {
  conversations: number;
  messages: number;
  dedupeMarks: number;
  /** Console login failures (username and address pairs); the throttle drops them after a window anyway. */
  loginFailures: number;
  mode: 'delete' | 'anonymise';
  dryRun: boolean;
}

const BATCH = 500;

export async function applyRetention(db: Db, opts: { before: Date; mode: 'delete' | 'anonymise'; dryRun: boolean }): Promise<RetentionReport> {
  const old = and(
    lt(conversations.updatedAt, opts.before),
    sql`${conversations.owner} in ('bot', 'closed')`,
    // Already anonymised conversations are done for anonymising, but can still be deleted.
    opts.mode === 'anonymise' ? sql`${conversations.chatId} not like 'anon-%'` : undefined,
  );
  const ids = (await db.select({ id: conversations.id }).from(conversations).where(old)).map((r) => r.id);
  let messageCount = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const rows = await db.select({ n: sql<number>`count(*)::int` }).from(messages).where(inArray(messages.conversationId, ids.slice(i, i + BATCH)));
    messageCount += Number(rows[0]?.n ?? 0);
  }
  const marks = await db.select({ n: sql<number>`count(*)::int` }).from(seenMessages).where(lt(seenMessages.seenAt, opts.before));
  const deliveries = await db.select({ n: sql<number>`count(*)::int` }).from(deliveryMarks).where(lt(deliveryMarks.deliveredAt, opts.before));
  const failures = await db.select({ n: sql<number>`count(*)::int` }).from(loginFailures).where(lt(loginFailures.firstAt, opts.before));
  const report: RetentionReport = {
    conversations: ids.length,
    messages: messageCount,
    // Dedupe marks (inbound) and delivery marks (outbound) hold chat ids: they go with the rest.
    dedupeMarks: Number(marks[0]?.n ?? 0) + Number(deliveries[0]?.n ?? 0),
    loginFailures: Number(failures[0]?.n ?? 0),
    mode: opts.mode,
    dryRun: opts.dryRun,
  };
  if (opts.dryRun) return report;
  await db.transaction(async (tx) => {
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      if (opts.mode === 'delete') {
        await tx.delete(conversations).where(inArray(conversations.id, batch));
      } else {
        await tx.update(messages).set({ text: '', platformMessageId: null }).where(inArray(messages.conversationId, batch));
        await tx
          .update(conversations)
          .set({ chatId: sql`'anon-' || ${conversations.id}::text`, userId: 'anon' })
          .where(inArray(conversations.id, batch));
      }
    }
    await tx.delete(seenMessages).where(lt(seenMessages.seenAt, opts.before));
    await pruneDeliveryMarks(tx as unknown as Db, opts.before);
    await pruneLoginFailures(tx as unknown as Db, opts.before);
  });
  return report;
}
