/**
 * Numbers for a chosen period: citizen messages by channel and language, how the bot decided
 * (answer / clarify / fallback / escalation rates), how long citizens waited for an operator
 * (median and p90, from the claim entries of the audit log), ratings and 👍/👎, and a daily
 * series for the charts. Days are counted in the deployment's time zone.
 */
import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { rows, toNumber } from './raw-sql.ts';

export interface AnalyticsPeriod {
  from: Date;
  to: Date;
  /** IANA time zone for daily buckets (default Asia/Almaty). */
  timezone?: string;
}

export interface AnalyticsReport {
  period: { from: string; to: string; timezone: string };
  messages: { total: number; byChannel: Record<string, number>; byLang: Record<string, number>; byChannelLang: { channel: string; lang: string; count: number }[] };
  decisions: { total: number; counts: Record<'answer' | 'clarify' | 'fallback' | 'escalate', number>; rates: Record<'answer' | 'clarify' | 'fallback' | 'escalate', number> };
  wait: { claims: number; medianSeconds: number | null; p90Seconds: number | null };
  ratings: { count: number; average: number | null; distribution: Record<'1' | '2' | '3' | '4' | '5', number> };
  feedback: { up: number; down: number };
  conversations: { started: number; escalated: number };
  daily: { day: string; messages: number; escalations: number; fallbacks: number }[];
}

const DECISIONS = ['answer', 'clarify', 'fallback', 'escalate'] as const;

export function createAnalytics(db: Db) {
  async function report(period: AnalyticsPeriod): Promise<AnalyticsReport> {
    const tz = period.timezone ?? 'Asia/Almaty';
    const from = period.from.toISOString();
    const to = period.to.toISOString();
    const [byChannelLang, decisions, wait, ratings, feedback, started, daily] = await Promise.all([
      rows<{ channel: string; lang: string; n: unknown }>(
        db,
        sql`select c.channel, coalesce(m.lang, 'unknown') as lang, count(*) as n
            from messages m join conversations c on c.id = m.conversation_id
            where m.author = 'citizen' and m.created_at >= ${from} and m.created_at < ${to}
            group by 1, 2 order by 1, 2`,
      ),
      rows<{ action: string; n: unknown }>(
        db,
        sql`select action, count(*) as n from messages
            where author = 'bot' and action in ('answer', 'clarify', 'fallback', 'escalate')
              and created_at >= ${from} and created_at < ${to} group by 1`,
      ),
      rows<{ claims: unknown; p50: unknown; p90: unknown }>(
        db,
        sql`select count(*) as claims,
              percentile_cont(0.5) within group (order by (details->>'waitedMs')::float8) as p50,
              percentile_cont(0.9) within group (order by (details->>'waitedMs')::float8) as p90
            from audit_log where action = 'claim' and (details->>'waitedMs') is not null
              and created_at >= ${from} and created_at < ${to}`,
      ),
      rows<{ score: unknown; n: unknown }>(db, sql`select score, count(*) as n from ratings where created_at >= ${from} and created_at < ${to} group by 1`),
      rows<{ useful: boolean; n: unknown }>(db, sql`select useful, count(*) as n from feedback where created_at >= ${from} and created_at < ${to} group by 1`),
      rows<{ n: unknown }>(db, sql`select count(*) as n from conversations where created_at >= ${from} and created_at < ${to}`),
      rows<{ day: string; messages: unknown; escalations: unknown; fallbacks: unknown }>(
        db,
        sql`select to_char(created_at at time zone ${tz}, 'YYYY-MM-DD') as day,
              count(*) filter (where author = 'citizen') as messages,
              count(*) filter (where author = 'bot' and action = 'escalate') as escalations,
              count(*) filter (where author = 'bot' and action = 'fallback') as fallbacks
            from messages where created_at >= ${from} and created_at < ${to}
            group by 1 order by 1`,
      ),
    ]);

    const byChannel: Record<string, number> = {};
    const byLang: Record<string, number> = {};
    let total = 0;
    const cells = byChannelLang.map((r) => ({ channel: r.channel, lang: r.lang, count: toNumber(r.n) }));
    for (const c of cells) {
      byChannel[c.channel] = (byChannel[c.channel] ?? 0) + c.count;
      byLang[c.lang] = (byLang[c.lang] ?? 0) + c.count;
      total += c.count;
    }
    const counts = Object.fromEntries(DECISIONS.map((d) => [d, 0])) as AnalyticsReport['decisions']['counts'];
    for (const r of decisions) counts[r.action as keyof typeof counts] = toNumber(r.n);
    const decided = DECISIONS.reduce((s, d) => s + counts[d], 0);
    const rates = Object.fromEntries(DECISIONS.map((d) => [d, decided ? counts[d] / decided : 0])) as AnalyticsReport['decisions']['rates'];
    const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
    let ratingSum = 0;
    let ratingCount = 0;
    for (const r of ratings) {
      const score = toNumber(r.score);
      const n = toNumber(r.n);
      if (score >= 1 && score <= 5) distribution[String(score) as keyof typeof distribution] = n;
      ratingSum += score * n;
      ratingCount += n;
    }
    const w = wait[0];
    const claims = toNumber(w?.claims);
    return {
      period: { from, to, timezone: tz },
      messages: { total, byChannel, byLang, byChannelLang: cells },
      decisions: { total: decided, counts, rates },
      wait: {
        claims,
        medianSeconds: claims && w?.p50 !== null ? toNumber(w?.p50) / 1000 : null,
        p90Seconds: claims && w?.p90 !== null ? toNumber(w?.p90) / 1000 : null,
      },
      ratings: { count: ratingCount, average: ratingCount ? ratingSum / ratingCount : null, distribution },
      feedback: { up: toNumber(feedback.find((f) => f.useful)?.n), down: toNumber(feedback.find((f) => !f.useful)?.n) },
      conversations: { started: toNumber(started[0]?.n), escalated: counts.escalate },
      daily: daily.map((d) => ({ day: d.day, messages: toNumber(d.messages), escalations: toNumber(d.escalations), fallbacks: toNumber(d.fallbacks) })),
    };
  }

  return { report };
}
