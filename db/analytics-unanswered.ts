/**
 * Reads the questions the bot did not answer in a period: each fallback or escalation with the
 * citizen messages just before it and the first operator message after it.
 */
import { sql } from 'drizzle-orm';
import { LANGS, type Lang } from '../core/lang.ts';
import { groupUnanswered, pickQuestion, type UnansweredGroup, type UnansweredQuestion } from '../core/operator-unanswered.ts';
import type { KnowledgeBase } from '../core/ports.ts';
import { t } from '../core/texts.ts';
import type { Db } from './client.ts';
import { rows, toDate } from './raw-sql.ts';

const BUTTON_LABELS = new Set(LANGS.flatMap((l) => [t('operatorButton', l), t('usefulButton', l), t('notUsefulButton', l)]));

export interface UnansweredOptions {
  from: Date;
  to: Date;
  /** At most this many fallbacks/escalations are read (newest first). */
  limit?: number;
}

export function createUnansweredReport(db: Db, kb: Pick<KnowledgeBase, 'list'>) {
  async function questions(opts: UnansweredOptions): Promise<UnansweredQuestion[]> {
    const found = await rows<Record<string, unknown>>(
      db,
      sql`select b.conversation_id, b.action, b.created_at, coalesce(b.lang, c.lang) as lang,
            array(select m.text from messages m where m.conversation_id = b.conversation_id and m.author = 'citizen'
                    and m.id < b.id and m.kind = 'text' order by m.id desc limit 3) as before,
            (select m.text from messages m where m.conversation_id = b.conversation_id and m.author = 'operator'
               and m.id > b.id order by m.id limit 1) as operator_answer
          from messages b join conversations c on c.id = b.conversation_id
          where b.author = 'bot' and b.action in ('fallback', 'escalate')
            and b.created_at >= ${opts.from.toISOString()} and b.created_at < ${opts.to.toISOString()}
          order by b.id desc limit ${opts.limit ?? 2000}`,
    );
    const out: UnansweredQuestion[] = [];
    for (const r of found) {
      const question = pickQuestion(arrayOf(r.before), BUTTON_LABELS);
      if (!question) continue;
      out.push({
        conversationId: String(r.conversation_id),
        question,
        lang: (r.lang as Lang | null) ?? null,
        action: String(r.action),
        at: toDate(r.created_at),
        operatorAnswer: (r.operator_answer as string | null) ?? null,
      });
    }
    return out;
  }

  /** Groups of similar unanswered questions, leaving out wordings the knowledge base now has. */
  async function groups(opts: UnansweredOptions): Promise<UnansweredGroup[]> {
    const known = new Set<string>();
    for (const e of await kb.list()) for (const q of [e.question, ...e.altQuestions]) known.add(fold(q));
    return groupUnanswered((await questions(opts)).filter((q) => !known.has(fold(q.question))));
  }

  return { questions, groups };
}

function fold(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** postgres-js returns arrays; PGlite may too, but be lenient with a Postgres array literal. */
function arrayOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [];
}
