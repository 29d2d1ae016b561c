/**
 * Dialogue evaluation: conversations of two to four turns, each turn marked first / follow /
 * switch, run through the real pipeline (core/pipeline.ts, with the memory conversation store),
 * so what is measured is what a citizen gets — the topic kept between turns, clarifications
 * picked, follow-ups resolved. JSON Lines, one dialogue per line:
 *
 *   {"id": "d001", "turns": [{"text", "lang", "kind": "first"|"follow"|"switch",
 *                             "expect": "answer"|"no-answer"|"escalate", "faq_id"}]}
 *
 * A clarification is answered the way a citizen would: by choosing the expected entry when it
 * is offered (counted as a turn answered right after one extra step), otherwise the turn is not
 * answered.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { KbEntry, StoredKbEntry } from '../../core/kb.ts';
import type { Lang } from '../../core/lang.ts';
import { createMemoryConversationStore } from '../../memory/conversation-store.ts';
import { createPipeline, type PipelineResult } from '../../core/pipeline.ts';
import type { KnowledgeBase, LanguageDetector, Logger, Retriever } from '../../core/ports.ts';
import type { Thresholds } from '../../core/decide.ts';
import { encodeButton } from '../../core/envelopes.ts';
import { createOnnxEncoder } from '../encoder/onnx-encoder.ts';
import type { Analyzer } from '../encoder/featurize.ts';
import type { CorpusLike } from '../training/training-data.ts';
import { createLanguageDetector } from '../language.ts';
import { trainedEmbedder } from '../retrieval/embedder.ts';
import { backgroundIndex, fitRetrieval, type FitOptions } from '../training/fit-retrieval.ts';
import { buildHybridScorer } from '../retrieval/hybrid-retriever.ts';
import { calibratedRetriever } from '../retrieval/scorer.ts';
import type { Expectation } from './dataset.ts';

export type TurnKind = 'first' | 'follow' | 'switch';

export interface DialogueTurn {
  text: string;
  lang: Lang;
  kind: TurnKind;
  expect: Expectation;
  faqId: string | null;
}

export interface Dialogue {
  id: string;
  turns: DialogueTurn[];
}

const turnSchema = z.object({
  text: z.string().min(1),
  lang: z.enum(['kk', 'ru', 'en']),
  kind: z.enum(['first', 'follow', 'switch']),
  expect: z.enum(['answer', 'no-answer', 'escalate']),
  faq_id: z.string().nullable().optional(),
});
const dialogueSchema = z.object({ id: z.string().min(1), turns: z.array(turnSchema).min(1) });

/** Whether a JSON Lines text holds dialogues (its first object has `turns`) rather than questions. */
export function isDialogueFile(text: string): boolean {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '');
  if (!first) return false;
  try {
    return Array.isArray((JSON.parse(first) as { turns?: unknown }).turns);
  } catch {
    return false;
  }
}

/** Parses a dialogue file; throws naming the first bad line. */
export function parseDialoguesJsonl(text: string, source = 'dialogues'): Dialogue[] {
  const out: Dialogue[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new Error(`${source}:${i + 1}: not valid JSON (${(err as Error).message})`);
    }
    const parsed = dialogueSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${source}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    const turns = parsed.data.turns.map((t, j) => {
      if (t.expect === 'answer' && !t.faq_id) throw new Error(`${source}:${i + 1}: turn ${j + 1} expects an answer and needs faq_id`);
      return { text: t.text, lang: t.lang, kind: t.kind, expect: t.expect, faqId: t.faq_id ?? null };
    });
    out.push({ id: parsed.data.id, turns });
  });
  return out;
}

export interface TurnOutcome {
  dialogue: string;
  turn: number;
  kind: TurnKind;
  expect: Expectation;
  expected: string | null;
  action: string;
  got: string | null;
  /** The pipeline's follow-up path, when the message was resolved against the topic. */
  followUp?: string;
  right: boolean;
  /** An answer with an entry other than the expected one: the failure citizens pay for. */
  wrong: boolean;
  /** For a switch: answered with the previous turn's entry (glued to the old topic). */
  oldTopic: boolean;
}

export interface KindFigures {
  turns: number;
  right: number;
  wrong: number;
  oldTopic: number;
}

export interface DialogueFigures {
  dialogues: number;
  byKind: Record<TurnKind, KindFigures>;
  all: KindFigures;
  outcomes: TurnOutcome[];
}

export interface DialogueSystem {
  kb: KnowledgeBase;
  retriever: Retriever;
  detector: LanguageDetector;
  thresholds: Thresholds;
  logger?: Logger;
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/**
 * Runs every dialogue as one conversation of its own through the pipeline and scores each turn.
 * `independent` asks every turn in a fresh conversation instead: what the same turns get
 * without a topic, the figure follow-ups are measured against.
 */
export async function evaluateDialogues(dialogues: readonly Dialogue[], system: DialogueSystem, opts: { independent?: boolean } = {}): Promise<DialogueFigures> {
  const pipeline = createPipeline({
    kb: system.kb,
    retriever: system.retriever,
    detector: system.detector,
    conversations: createMemoryConversationStore(),
    clock: { now: () => new Date() },
    logger: system.logger ?? silent,
    options: {
      thresholds: system.thresholds,
      maxMessageChars: 2000,
      escalation: { categories: [], keywords: [] },
      officeHours: { from: '00:00', to: '23:59', days: [0, 1, 2, 3, 4, 5, 6], timezone: 'Asia/Almaty' },
    },
  });
  const outcomes: TurnOutcome[] = [];
  let seq = 0;
  for (const d of dialogues) {
    const chatId = `eval-${d.id}-${++seq}`;
    let previous: string | null = null;
    for (const [i, turn] of d.turns.entries()) {
      const chat = opts.independent ? `${chatId}-${i}` : chatId;
      const send = (text: string, callbackData?: string) =>
        pipeline.handle({ channel: 'web', chatId: chat, userId: chat, messageId: `${++seq}`, text, kind: 'text', receivedAt: new Date().toISOString(), traceId: `${chatId}-${seq}`, langHint: turn.lang, callbackData });
      let r: PipelineResult = await send(turn.text);
      // A citizen offered the entry they meant presses it.
      if (r.action === 'clarify' && turn.expect === 'answer' && turn.faqId && r.alternatives?.includes(turn.faqId)) {
        r = await send('', encodeButton({ type: 'choose', faqId: turn.faqId }));
      }
      const got = r.action === 'answer' ? (r.faqId ?? null) : null;
      const right = turn.expect === 'answer' ? got === turn.faqId : turn.expect === 'escalate' ? r.action === 'escalate' : r.action !== 'answer' && r.action !== 'escalate';
      const wrong = r.action === 'answer' && got !== turn.faqId;
      outcomes.push({
        dialogue: d.id,
        turn: i + 1,
        kind: turn.kind,
        expect: turn.expect,
        expected: turn.faqId,
        action: r.action,
        got,
        followUp: r.followUp,
        right,
        wrong,
        oldTopic: turn.kind === 'switch' && got !== null && got === previous && got !== turn.faqId,
      });
      if (got) previous = got;
    }
  }
  const figures = (list: TurnOutcome[]): KindFigures => ({
    turns: list.length,
    right: list.filter((o) => o.right).length,
    wrong: list.filter((o) => o.wrong).length,
    oldTopic: list.filter((o) => o.oldTopic).length,
  });
  return {
    dialogues: dialogues.length,
    byKind: {
      first: figures(outcomes.filter((o) => o.kind === 'first')),
      follow: figures(outcomes.filter((o) => o.kind === 'follow')),
      switch: figures(outcomes.filter((o) => o.kind === 'switch')),
    },
    all: figures(outcomes),
    outcomes,
  };
}

/** The figures as a small table: turns, answered right, wrong answers and old-topic answers per kind. */
export function formatDialogueFigures(f: DialogueFigures): string {
  const pct = (n: number, d: number) => (d === 0 ? '   —' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);
  const row = (name: string, k: KindFigures) => `${name.padEnd(8)} ${String(k.turns).padStart(5)}  ${pct(k.right, k.turns)}  ${pct(k.wrong, k.turns)}  ${String(k.oldTopic).padStart(9)}`;
  return [
    `${f.dialogues} dialogues`,
    `${'turns'.padEnd(8)} ${'n'.padStart(5)}  ${'right'.padStart(6)}  ${'wrong'.padStart(6)}  ${'old topic'.padStart(9)}`,
    row('first', f.byKind.first),
    row('follow', f.byKind.follow),
    row('switch', f.byKind.switch),
    row('all', f.all),
  ].join('\n');
}

/**
 * A read-only knowledge base in memory over parsed entries, for evaluating a knowledge-base file
 * without a database. `list` returns the same arrays every time, as the worker's cache does.
 */
export function memoryKnowledgeBase(entries: readonly KbEntry[]): KnowledgeBase {
  const rows: StoredKbEntry[] = entries.map((e) => ({ ...e, version: 1, createdAt: new Date(0), updatedAt: new Date(0) }));
  const enabled = rows.filter((r) => r.enabled);
  const byKey = new Map(rows.map((r) => [`${r.id}\u0000${r.lang}`, r]));
  return {
    version: async () => 1,
    list: async (o) => (o?.enabledOnly ? enabled : rows),
    get: async (id, lang) => byKey.get(`${id}\u0000${lang}`),
    import: async () => {
      throw new Error('memory knowledge base is read-only');
    },
    lexicalSearch: async () => [],
  };
}

/**
 * Trains the retrieval stack on `entries` in memory, as kb-eval does, and runs `body` with a
 * dialogue system over it (the knowledge base's own calibrated thresholds).
 */
export async function withTrainedKb<T>(
  entries: readonly KbEntry[],
  corpus: readonly CorpusLike[],
  analyzer: Analyzer,
  opts: Pick<FitOptions, 'seed' | 'train' | 'split'>,
  body: (system: DialogueSystem) => Promise<T>,
): Promise<T> {
  const fit = await fitRetrieval(entries, corpus, analyzer, opts);
  const encoder = await createOnnxEncoder({ onnx: fit.onnx, meta: fit.meta }, analyzer);
  try {
    const embedder = trainedEmbedder(encoder);
    const background = await backgroundIndex(corpus, fit.calibration.backgroundServices, embedder);
    const scorer = await buildHybridScorer(entries, embedder, analyzer, fit.vectors, background);
    try {
      const retriever = calibratedRetriever(scorer, fit.calibration.model);
      return await body({ kb: memoryKnowledgeBase(entries), retriever, detector: createLanguageDetector(), thresholds: fit.calibration.thresholds });
    } finally {
      await scorer.close();
      await background.close();
    }
  } finally {
    await encoder.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const { loadCorpus } = await import('../load-corpus.ts');
  const { analyze } = await import('../text/index.ts');
  const { readKbFile } = await import('./battery.ts');
  const seedAt = argv.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(argv[seedAt + 1]) : 42;
  const verbose = argv.includes('--verbose');
  const traceAt = argv.indexOf('--trace');
  const trace = traceAt >= 0 ? argv[traceAt + 1] : undefined;
  const [kbFile, ...files] = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--seed' && argv[i - 1] !== '--trace');
  if (!kbFile || files.length === 0) throw new Error('usage: dialogue-eval.ts KB_FILE DIALOGUES... [--seed N] [--verbose]');
  const entries = await readKbFile(kbFile);
  const dialogues: Dialogue[] = [];
  for (const f of files) dialogues.push(...parseDialoguesJsonl(await readFile(f, 'utf8'), f));
  await withTrainedKb(entries, await loadCorpus(), analyze, { seed }, async (system) => {
    if (trace) {
      const printing: Logger = { debug: (o, m) => process.stdout.write(`  ${m} ${JSON.stringify(o)}\n`), info() {}, warn() {}, error() {}, child: () => printing };
      const picked = dialogues.filter((d) => d.id === trace);
      const r = await evaluateDialogues(picked, { ...system, logger: printing });
      for (const o of r.outcomes) process.stdout.write(`${JSON.stringify(o)}  ${picked[0]!.turns[o.turn - 1]!.text}\n`);
      return;
    }
    const before = await evaluateDialogues(dialogues, system, { independent: true });
    const after = await evaluateDialogues(dialogues, system);
    process.stdout.write(`thresholds ${JSON.stringify(system.thresholds)}\n\nturns asked alone (no topic):\n${formatDialogueFigures(before)}\n\nas dialogues:\n${formatDialogueFigures(after)}\n`);
    if (verbose) for (const o of after.outcomes) if (!o.right) process.stdout.write(`${JSON.stringify(o)}  ${dialogues.find((d) => d.id === o.dialogue)!.turns[o.turn - 1]!.text}\n`);
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await main(process.argv.slice(2));
}
