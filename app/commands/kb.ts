/**
 * `komek kb import|export`: the knowledge base in and out of the database, all or nothing.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { describeProblems, formatKbLine, parseKbCsv, parseKbJsonl } from '../../core/kb-format.ts';
import type { Command, CommandContext } from '../command.ts';
import { UsageError } from '../command.ts';
import { describeSelfCheck } from '../../inference/retrieval/self-check.ts';
import { createProgress } from '../progress.ts';

const USAGE = `Usage:
  komek kb import FILE [--replace] [--no-train] [--format jsonl|csv]
  komek kb export [FILE]

import  reads JSON Lines (or CSV with the same columns, alt_questions separated by "|").
        All or nothing: any invalid line is reported with its line and field and nothing changes.
        Re-importing the same file changes nothing; changed rows are updated and their version bumped.
        --replace   also remove entries that are not in the file
        --no-train  do not retrain the model after a change
export  writes every entry as JSON Lines to FILE, or to standard output.`;

export const kbCommand: Command = {
  name: 'kb',
  summary: 'import or export the knowledge base (JSON Lines or CSV)',
  usage: USAGE,
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    if (sub === 'import') return importKb(ctx, rest);
    if (sub === 'export') return exportKb(ctx, rest);
    throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand');
  },
};

async function importKb(ctx: CommandContext, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { replace: { type: 'boolean' }, 'no-train': { type: 'boolean' }, format: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('import takes exactly one FILE');
  const format = values.format ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
  if (format !== 'csv' && format !== 'jsonl') throw new UsageError('--format must be jsonl or csv');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    ctx.stderr.write(`komek kb import: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return 1;
  }
  const parsed = format === 'csv' ? parseKbCsv(text) : parseKbJsonl(text);
  if (parsed.problems.length > 0) {
    ctx.stderr.write(`${file}: ${parsed.problems.length} problem(s); nothing was imported.\n${describeProblems(parsed.problems)}\n`);
    return 1;
  }
  const services = await ctx.services({ noDemo: true });
  const progress = createProgress(ctx.stderr, 'importing');
  const summary = await services.kb.importWithProgress(parsed.entries, {
    replace: values.replace,
    changedBy: 'cli',
    onProgress: parsed.entries.length >= 1000 ? (d, t) => progress.update(d, t) : undefined,
  });
  ctx.stdout.write(
    `imported ${file}: ${summary.inserted} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.removed} removed (knowledge base version ${summary.kbVersion})\n`,
  );
  const changed = summary.inserted + summary.updated + summary.removed > 0;
  if (changed && !values['no-train'] && services.inference.trainable) {
    const training = createProgress(ctx.stderr, 'training');
    const result = await services.inference.train({ onProgress: (p) => training.update(p.done, p.total, p.phase) });
    ctx.stdout.write(`model retrained in ${result.seconds.toFixed(1)} s\n`);
    if (result.selfCheck) ctx.stdout.write(`${describeSelfCheck(result.selfCheck)}\n`);
  }
  return 0;
}

async function exportKb(ctx: CommandContext, argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  if (positionals.length > 1) throw new UsageError('export takes at most one FILE');
  const services = await ctx.services({ noDemo: true });
  const entries = await services.kb.list();
  const text = entries.map((e) => formatKbLine(e)).join('\n') + (entries.length ? '\n' : '');
  if (positionals[0]) {
    await writeFile(positionals[0], text, 'utf8');
    ctx.stderr.write(`exported ${entries.length} rows to ${positionals[0]}\n`);
  } else {
    ctx.stdout.write(text);
  }
  return 0;
}
