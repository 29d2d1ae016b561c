/**
 * `komek eval FILE`: runs labelled questions through the hybrid retriever and the lexical
 * baselines in one run and prints, per language and overall, top-1, recall@3, MRR, answers
 * given right and wrong, out-of-scope questions not answered and escalations.
 */
import { readFile } from 'node:fs/promises';
import { decide } from '../../core/decide.ts';
import { detectPersonRequest } from '../../core/person-request.ts';
import { detectSmallTalk } from '../../core/small-talk.ts';
import { loadCorpus } from '../../inference/corpus/load-corpus.ts';
import { MODEL_KIND, parseEncoderMeta } from '../../inference/encoder/meta.ts';
import { lexicalBaselines } from '../../inference/eval/baselines.ts';
import { parseEvalJsonl } from '../../inference/eval/dataset.ts';
import { evaluateSystems, type EvalSystem } from '../../inference/eval/run-eval.ts';
import { formatTable } from '../../inference/eval/table.ts';
import type { CalibrationMeta } from '../../inference/retrieval/fit-retrieval.ts';
import { analyze } from '../../inference/text/index.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { createLexicalRetriever } from '../lexical-retriever.ts';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'measure retrieval and decisions on labelled questions (hybrid vs lexical)',
  usage: [
    'Usage: komek eval FILE... [--json] [--detect-language]',
    '',
    'FILE is JSON Lines: {"text", "lang", "expect": "answer"|"no-answer"|"escalate", "faq_id"}.',
    'Prints per language and overall, for the hybrid retriever and lexical-only retrieval',
    '(Postgres full-text + trigram, in-memory BM25 over words and over character trigrams):',
    'top-1, recall@3 and MRR on answerable questions; answered right/wrong after the decision;',
    'out-of-scope questions not answered; requests for a person escalated (and false escalations).',
    '',
    '  --json              machine-readable output',
    '  --detect-language   retrieve in the detected language instead of the labelled one',
  ].join('\n'),
  async run(ctx) {
    const json = ctx.argv.includes('--json');
    const detect = ctx.argv.includes('--detect-language');
    const files = ctx.argv.filter((a) => !a.startsWith('--'));
    const unknown = ctx.argv.find((a) => a.startsWith('--') && a !== '--json' && a !== '--detect-language');
    if (unknown) throw new UsageError(`unknown option ${unknown}`);
    if (files.length === 0) throw new UsageError('give at least one FILE');
    // Several files are one set (e.g. the two halves of the development set).
    const questions = [];
    for (const file of files) questions.push(...parseEvalJsonl(await readFile(file, 'utf8'), file));
    const services = await ctx.services();
    const { inference, kb, models } = services;
    await inference.ensureCurrent();
    const entries = await kb.list({ enabledOnly: true });
    const stored = await models.latest(MODEL_KIND);
    const calibration = stored ? (parseEncoderMeta(stored.meta).calibration as unknown as CalibrationMeta | undefined) : undefined;
    const systems: EvalSystem[] = [
      { name: 'hybrid', retriever: inference.retriever, thresholds: inference.thresholds },
      { name: 'pg-lexical', retriever: createLexicalRetriever(kb), thresholds: inference.thresholds },
      ...(await lexicalBaselines(entries, await loadCorpus(), analyze, inference.thresholds, calibration ?? {})),
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
  },
};
