/**
 * The figures `komek eval` prints, from per-question outcomes: ranking quality on answerable
 * questions (top-1, recall@3, MRR), the decision on them (answered correctly), out-of-scope
 * questions not answered, and requests for a person escalated.
 */
import type { Lang } from '../../core/lang.ts';
import type { Expectation } from './dataset.ts';

/** What the system did with one question. */
export interface Outcome {
  lang: Lang;
  expect: Expectation;
  faqId: string | null;
  /** Ranked entry ids from the retriever (empty when retrieval was skipped). */
  ranked: string[];
  action: 'answer' | 'clarify' | 'fallback' | 'escalate' | 'small-talk';
  /** The answered entry when action is 'answer'. */
  answered: string | null;
  /** The choices offered when action is 'clarify'. */
  offered?: string[];
}

export interface Metrics {
  answerable: number;
  top1: number;
  recall3: number;
  mrr: number;
  /** Answerable questions answered with the right entry (decision included). */
  answeredCorrectly: number;
  /** Answerable questions answered with a wrong entry. */
  answeredWrongly: number;
  /** Answerable questions answered right or whose entry is among the offered choices. */
  answeredOrOffered: number;
  outOfScope: number;
  /** Out-of-scope questions not answered (fallback, clarify, small talk or escalation). */
  oosRejected: number;
  escalations: number;
  /** Requests for a person that were escalated. */
  escalationAccuracy: number;
  /** Share of other questions escalated by mistake. */
  falseEscalations: number;
}

function ratio(n: number, d: number): number {
  return d === 0 ? Number.NaN : n / d;
}

export function computeMetrics(outcomes: readonly Outcome[]): Metrics {
  const answerable = outcomes.filter((o) => o.expect === 'answer');
  const oos = outcomes.filter((o) => o.expect === 'no-answer');
  const esc = outcomes.filter((o) => o.expect === 'escalate');
  const others = outcomes.filter((o) => o.expect !== 'escalate');
  let top1 = 0;
  let recall3 = 0;
  let mrr = 0;
  let right = 0;
  let wrong = 0;
  let offered = 0;
  for (const o of answerable) {
    if ((o.action === 'answer' && o.answered === o.faqId) || (o.action === 'clarify' && (o.offered ?? []).includes(o.faqId!))) offered++;
    const at = o.ranked.indexOf(o.faqId!);
    if (at === 0) top1++;
    if (at >= 0 && at < 3) recall3++;
    if (at >= 0) mrr += 1 / (at + 1);
    if (o.action === 'answer') {
      if (o.answered === o.faqId) right++;
      else wrong++;
    }
  }
  return {
    answerable: answerable.length,
    top1: ratio(top1, answerable.length),
    recall3: ratio(recall3, answerable.length),
    mrr: ratio(mrr, answerable.length),
    answeredCorrectly: ratio(right, answerable.length),
    answeredWrongly: ratio(wrong, answerable.length),
    answeredOrOffered: ratio(offered, answerable.length),
    outOfScope: oos.length,
    oosRejected: ratio(oos.filter((o) => o.action !== 'answer').length, oos.length),
    escalations: esc.length,
    escalationAccuracy: ratio(esc.filter((o) => o.action === 'escalate').length, esc.length),
    falseEscalations: ratio(others.filter((o) => o.action === 'escalate').length, others.length),
  };
}

/** Metrics overall and per language present in the outcomes. */
export function metricsByLanguage(outcomes: readonly Outcome[]): Record<string, Metrics> {
  const out: Record<string, Metrics> = {};
  for (const lang of ['kk', 'ru', 'en'] as const) {
    const part = outcomes.filter((o) => o.lang === lang);
    if (part.length > 0) out[lang] = computeMetrics(part);
  }
  out.all = computeMetrics(outcomes);
  return out;
}
