/**
 * `komek eval FILE`: runs labelled questions through the hybrid retriever and the lexical
 * baselines in one run and prints, per language and overall, top-1, recall@3, MRR, answers
 * given right and wrong, out-of-scope questions not answered and escalations.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeProblems, parseKbJsonl } from '../../core/kb-format.ts';
import { describeSelfCheck } from '../../inference/retrieval/self-check.ts';
import { createProgress } from '../progress.ts';
import { buildServices, type AppServices } from '../services.ts';
import { decide } from '../../core/decide.ts';
import { detectPersonRequest } from '../../core/person-request.ts';
import { detectSmallTalk } from '../../core/small-talk.ts';
import { loadCorpus } from '../../inference/load-corpus.ts';
import { MODEL_KIND, parseEncoderMeta } from '../../inference/encoder/meta.ts';
import { lexicalBaselines } from '../../inference/eval/baselines.ts';
import { parseEvalJsonl, type EvalQuestion } from '../../inference/eval/dataset.ts';
import { evaluateDialogues, formatDialogueFigures, isDialogueFile, parseDialoguesJsonl, type Dialogue } from '../../inference/eval/dialogue-eval.ts';
import { evaluateSystems, type EvalSystem } from '../../inference/eval/run-eval.ts';
import { formatTable } from '../../inference/eval/table.ts';
import type { CalibrationMeta } from '../../inference/training/fit-retrieval.ts';
import { analyze } from '../../inference/text/index.ts';
import type { Command, CommandContext } from '../command.ts';
import { UsageError } from '../command.ts';
import { createLexicalRetriever } from '../../inference/lexical-retriever.ts';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'measure retrieval and decisions on labelled questions (hybrid vs lexical)',
  usage: [
    'Usage: komek eval FILE... [--kb KB_FILE] [--json] [--detect-language]',
    '',
    'FILE is JSON Lines: {"text", "lang", "expect": "answer"|"no-answer"|"escalate", "faq_id"}.',
    'A dialogue FILE (one dialogue per line: {"id", "turns": [{"text", "lang", "kind":',
    '"first"|"follow"|"switch", "expect", "faq_id"}]}) runs each dialogue as one conversation',
    'through the real pipeline and prints turns answered right, wrong answers and answers with',
    'the previous topic, for first questions, follow-ups and topic switches separately.',
    'Prints per language and overall, for the hybrid retriever and lexical-only retrieval',
    '(Postgres full-text + trigram, in-memory BM25 over words and over character trigrams):',
    'top-1, recall@3 and MRR on answerable questions; answered right/wrong after the decision;',
    'out-of-scope questions not answered; requests for a person escalated (and false escalations).',
    '',
    '  --kb KB_FILE        import KB_FILE (JSON Lines) into a throw-away database, train on it',
    '                      (printing its self-check) and evaluate against it instead of the',
    '                      configured knowledge base, which is never touched',
    '  --json              machine-readable output',
    '  --detect-language   retrieve in the detected language instead of the labelled one',
  ].join('\n'),
  async run(ctx) {
    const { values, positionals: files } = parseArgs({
      args: ctx.argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, 'detect-language': { type: 'boolean' }, kb: { type: 'string' } },
    });
    const json = values.json ?? false;
    const detect = values['detect-language'] ?? false;
    if (files.length === 0) throw new UsageError('give at least one FILE');
    // Several files are one set (e.g. the two halves of the development set).
    const questions: EvalQuestion[] = [];
    const dialogues: Dialogue[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      if (isDialogueFile(text)) dialogues.push(...parseDialoguesJsonl(text, file));
      else questions.push(...parseEvalJsonl(text, file));
    }
    if (dialogues.length > 0 && questions.length > 0) throw new UsageError('give either question files or dialogue files, not both');
    if (dialogues.length > 0) {
      const run = (services: AppServices) => evaluateDialogueFiles(ctx, services, dialogues, json);
      return values.kb ? withThrowawayKb(ctx, values.kb, run) : run(await ctx.services());
    }
    if (values.kb) return withThrowawayKb(ctx, values.kb, (services) => evaluate(ctx, services, questions, { json, detect }));
    return evaluate(ctx, await ctx.services(), questions, { json, detect });
  },
};

/**
 * Imports a knowledge-base file into a database of its own in a temporary folder, trains on it
 * exactly as a deployment would (printing the self-check), runs `body`, and removes everything.
 * The configured database is never touched.
 */
async function withThrowawayKb(ctx: CommandContext, file: string, body: (services: AppServices) => Promise<number>): Promise<number> {
  const parsed = parseKbJsonl(await readFile(file, 'utf8'));
  if (parsed.problems.length > 0) {
    ctx.stderr.write(`${file}: ${parsed.problems.length} problem(s):\n${describeProblems(parsed.problems)}\n`);
    return 1;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'komek-eval-'));
  const config = ctx.config();
  let services: AppServices | undefined;
  try {
    services = await buildServices({ ...config, database: { kind: 'pglite', dataDir: dir }, dataDir: dir, demoKb: false, redisUrl: undefined }, { noDemo: true });
    await services.kb.importWithProgress(parsed.entries, { changedBy: 'eval' });
    if (services.inference.trainable) {
      const progress = createProgress(ctx.stderr, 'training');
      const result = await services.inference.train({ onProgress: (p) => progress.update(p.done, p.total, p.phase) });
      ctx.stderr.write(`${file}: ${new Set(parsed.entries.map((e) => e.id)).size} entries, trained in ${result.seconds.toFixed(1)} s\n`);
      if (result.selfCheck) ctx.stderr.write(`${describeSelfCheck(result.selfCheck)}\n\n`);
    }
    return await body(services);
  } finally {
    await services?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Dialogues through the pipeline over the services' knowledge base, model and thresholds. */
async function evaluateDialogueFiles(ctx: CommandContext, services: AppServices, dialogues: Dialogue[], json: boolean): Promise<number> {
  const { inference, kb } = services;
  await inference.ensureCurrent();
  const figures = await evaluateDialogues(dialogues, { kb, retriever: inference.retriever, detector: inference.detector, thresholds: inference.thresholds });
  if (json) {
    ctx.stdout.write(`${JSON.stringify({ dialogues: figures.dialogues, thresholds: inference.thresholds, byKind: figures.byKind, all: figures.all, outcomes: figures.outcomes }, null, 2)}\n`);
  } else {
    ctx.stdout.write(`thresholds ${JSON.stringify(inference.thresholds)}\n\n${formatDialogueFigures(figures)}\n`);
  }
  return 0;
}

async function evaluate(ctx: CommandContext, services: AppServices, questions: EvalQuestion[], opts: { json: boolean; detect: boolean }): Promise<number> {
    const { json, detect } = opts;
    const { inference, kb, models } = services;
    await inference.ensureCurrent();
    const entries = await kb.list({ enabledOnly: true });
    const stored = await models.latest(MODEL_KIND);
    const calibration = stored ? (parseEncoderMeta(stored.meta).calibration as unknown as CalibrationMeta | undefined) : undefined;
    const systems: EvalSystem[] = [
      { name: 'hybrid', retriever: inference.retriever, thresholds: inference.thresholds },
      { name: 'pg-lexical', retriever: createLexicalRetriever(kb), thresholds: inference.thresholds },
      ...(await lexicalBaselines(entries, await loadCorpus(), analyze, calibration ?? {})),
    ];
    const results = await evaluateSystems(questions, systems, {
      detectPersonRequest,
      detectSmallTalk,
      decide,
      language: detect ? (text) => inference.detector.detect(text).lang : undefined,
    });
    if (json) {
      ctx.stdout.write(`${JSON.stringify({ questions: questions.length, thresholds: inference.thresholds, systems: results.map((r) => ({ name: r.name, meanMs: r.meanMs, metrics: r.metrics })) }, null, 2)}\n`);
    } else {
      ctx.stdout.write(`${questions.length} questions, thresholds ${JSON.stringify(inference.thresholds)}\n\n${formatTable(results)}\n\n`);
      ctx.stdout.write(results.map((r) => `${r.name}: ${r.meanMs.toFixed(2)} ms per retrieval`).join('\n') + '\n');
    }
    return 0;
}
