/**
 * Groups the questions the bot could not answer (fallbacks and escalations) by similarity, so an
 * admin sees "42 people asked about X" once instead of 42 rows. Similarity is word-stem overlap
 * (Jaccard on 5-letter prefixes): crude, but language-neutral and good enough to spot a topic the
 * knowledge base lacks.
 */
import type { Lang } from './lang.ts';
import { detectPersonRequest } from './person-request.ts';
import { detectSmallTalk } from './small-talk.ts';

export interface UnansweredQuestion {
  conversationId: string;
  question: string;
  lang: Lang | null;
  /** What the bot did: 'fallback' or 'escalate'. */
  action: string;
  at: Date;
  /** The first thing an operator wrote afterwards, if one did. */
  operatorAnswer: string | null;
}

export interface UnansweredGroup {
  /** The most frequent wording in the group (the one to turn into an entry). */
  question: string;
  lang: Lang | null;
  count: number;
  fallbacks: number;
  escalations: number;
  lastAt: Date;
  operatorAnswer: string | null;
  examples: UnansweredQuestion[];
}

const STEM = 5;
const MIN_SIMILARITY = 0.34;

/** Word stems of a text, the same for Cyrillic and Latin, upper or lower case. */
export function stems(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => [...w].length >= 3);
  return new Set(words.map((w) => [...w].slice(0, STEM).join('')));
}

export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * The citizen's actual question among the messages before a fallback or escalation (latest
 * first): a bare "operator, please" or a button label says nothing about the topic.
 */
export function pickQuestion(candidates: string[], buttonLabels: ReadonlySet<string>): string | null {
  for (const text of candidates) {
    const trimmed = text.trim();
    if (!trimmed || buttonLabels.has(trimmed)) continue;
    if (detectPersonRequest(trimmed) && trimmed.split(/\s+/).length <= 4) continue;
    if (stems(trimmed).size === 0) continue;
    return trimmed;
  }
  return null;
}

/**
 * Whether an unanswered text may be offered as another phrasing of an existing entry. A request
 * for a person ("можно с живым человеком поговорить?") or small talk ("рахмет") names no service:
 * added to an entry, it would make the bot answer that entry whenever someone asks for an operator
 * or says thanks. Such groups stay in the report (they tell how often people want a person) but
 * get no suggestion.
 */
export function canBePhrasing(text: string): boolean {
  const trimmed = text.trim();
  return trimmed !== '' && !detectPersonRequest(trimmed) && detectSmallTalk(trimmed) === undefined && stems(trimmed).size > 0;
}

/** Greedy single-pass clustering; biggest groups first, then the most recent. */
export function groupUnanswered(questions: UnansweredQuestion[], opts: { minSimilarity?: number } = {}): UnansweredGroup[] {
  const min = opts.minSimilarity ?? MIN_SIMILARITY;
  const groups: { stems: Set<string>; members: UnansweredQuestion[] }[] = [];
  for (const q of questions) {
    const s = stems(q.question);
    let best: (typeof groups)[number] | undefined;
    let bestScore = 0;
    for (const g of groups) {
      const score = similarity(s, g.stems);
      if (score > bestScore) [best, bestScore] = [g, score];
    }
    if (best && bestScore >= min) best.members.push(q);
    else groups.push({ stems: s, members: [q] });
  }
  return groups
    .map(({ members }) => {
      const sorted = [...members].sort((a, b) => b.at.getTime() - a.at.getTime());
      return {
        question: mostFrequent(members.map((m) => m.question)),
        lang: mostFrequent(members.map((m) => m.lang)),
        count: members.length,
        fallbacks: members.filter((m) => m.action === 'fallback').length,
        escalations: members.filter((m) => m.action === 'escalate').length,
        lastAt: sorted[0]!.at,
        operatorAnswer: sorted.find((m) => m.operatorAnswer)?.operatorAnswer ?? null,
        examples: sorted.slice(0, 10),
      };
    })
    .sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime());
}

function mostFrequent<T>(values: T[]): T {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T = values[0] as T;
  for (const [v, n] of counts) if (n > (counts.get(best) as number)) best = v;
  return best;
}
