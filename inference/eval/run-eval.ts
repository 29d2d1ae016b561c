/**
 * Runs labelled questions through one or more retrievers the way the pipeline would: small talk
 * and requests for a person first, then retrieval and the decision. Every system sees the same
 * questions in the same run, so their figures compare directly.
 */
import type { Decision, Thresholds } from '../../core/decide.ts';
import type { Lang } from '../../core/lang.ts';
import type { Candidate, Retriever } from '../../core/ports.ts';
import type { EvalQuestion } from './dataset.ts';
import { metricsByLanguage, type Metrics, type Outcome } from './metrics.ts';

export interface EvalSystem {
  name: string;
  retriever: Retriever;
  thresholds: Thresholds;
}

/** The pipeline's pre-retrieval rules and decision, passed in so eval mirrors core exactly. */
export interface PipelineRules {
  detectPersonRequest(text: string): boolean;
  detectSmallTalk(text: string): string | undefined;
  decide(candidates: Candidate[], thresholds: Thresholds): Decision;
  /** Language used for retrieval; default: the question's label. */
  language?(text: string, labelled: Lang): Lang;
}

export interface SystemResult {
  name: string;
  outcomes: Outcome[];
  metrics: Record<string, Metrics>;
  /** Mean retrieval latency per question, ms. */
  meanMs: number;
}

export async function evaluateSystems(questions: readonly EvalQuestion[], systems: readonly EvalSystem[], rules: PipelineRules): Promise<SystemResult[]> {
  const results: SystemResult[] = [];
  for (const system of systems) {
    const outcomes: Outcome[] = [];
    let ms = 0;
    let retrieved = 0;
    for (const q of questions) {
      const base = { lang: q.lang, expect: q.expect, faqId: q.faqId };
      const lang = rules.language ? rules.language(q.text, q.lang) : q.lang;
      // Ranking is measured on every question (even ones a rule would catch first), the action as the pipeline would take it.
      const started = performance.now();
      const candidates = await system.retriever.retrieve(q.text, { lang, limit: 5 });
      ms += performance.now() - started;
      retrieved++;
      const ranked = candidates.map((c) => c.faqId);
      if (rules.detectSmallTalk(q.text)) {
        outcomes.push({ ...base, ranked, action: 'small-talk', answered: null });
        continue;
      }
      if (rules.detectPersonRequest(q.text)) {
        outcomes.push({ ...base, ranked, action: 'escalate', answered: null });
        continue;
      }
      const d = rules.decide(candidates, system.thresholds);
      outcomes.push({
        ...base,
        ranked,
        action: d.action,
        answered: d.action === 'answer' ? d.faqId : null,
        offered: d.action === 'clarify' ? d.choices : undefined,
      });
    }
    results.push({ name: system.name, outcomes, metrics: metricsByLanguage(outcomes), meanMs: ms / Math.max(1, retrieved) });
  }
  return results;
}
