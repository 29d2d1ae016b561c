/**
 * Labelled evaluation questions, JSON Lines:
 * `{"text", "lang", "expect": "answer"|"no-answer"|"escalate", "faq_id"}` (faq_id for answers).
 */
import { z } from 'zod';
import type { Lang } from '../../core/lang.ts';

export type Expectation = 'answer' | 'no-answer' | 'escalate';

export interface EvalQuestion {
  text: string;
  lang: Lang;
  expect: Expectation;
  faqId: string | null;
}

const lineSchema = z.object({
  text: z.string().min(1),
  lang: z.enum(['kk', 'ru', 'en']),
  expect: z.enum(['answer', 'no-answer', 'escalate']),
  faq_id: z.string().nullable().optional(),
});

/** Parses a dataset; throws naming the first bad line. Answer questions must name their entry. */
export function parseEvalJsonl(text: string, source = 'dataset'): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new Error(`${source}:${i + 1}: not valid JSON (${(err as Error).message})`);
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      throw new Error(`${source}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    }
    const { text: q, lang, expect, faq_id } = parsed.data;
    if (expect === 'answer' && !faq_id) throw new Error(`${source}:${i + 1}: an "answer" question needs faq_id`);
    out.push({ text: q, lang, expect, faqId: faq_id ?? null });
  });
  return out;
}
