/**
 * The foreign knowledge-base battery (test/fixtures/foreign-kbs/<name>/kb.jsonl + questions.jsonl):
 * knowledge bases and questions written by people who never saw the demo, the corpus or the
 * development sets. Run as a script to print every knowledge base's figures beside BM25's:
 *
 *   node --import tsx inference/eval/battery.ts [NAME…] [--seed N]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseKbJsonl } from '../../core/kb-format.ts';
import type { KbEntry } from '../../core/kb.ts';
import { parseEvalJsonl, type EvalQuestion } from './dataset.ts';

export const BATTERY_DIR = fileURLToPath(new URL('../../test/fixtures/foreign-kbs', import.meta.url));

export interface BatteryKb {
  name: string;
  entries: KbEntry[];
  questions: EvalQuestion[];
}

/** Reads a knowledge-base file, throwing with every problem's line and field. */
export async function readKbFile(file: string): Promise<KbEntry[]> {
  const parsed = parseKbJsonl(await readFile(file, 'utf8'));
  if (parsed.problems.length > 0) throw new Error(`${file}: ${parsed.problems.map((p) => `line ${p.line}${p.field ? ` ${p.field}` : ''}: ${p.message}`).join('; ')}`);
  return parsed.entries;
}

/** The battery's knowledge bases that have both files (all, or those named). */
export async function readBattery(names?: readonly string[], dir = BATTERY_DIR): Promise<BatteryKb[]> {
  const all = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const out: BatteryKb[] = [];
  for (const name of all) {
    if (names && names.length > 0 && !names.includes(name)) continue;
    const kb = path.join(dir, name, 'kb.jsonl');
    const questions = path.join(dir, name, 'questions.jsonl');
    // An assembled knowledge base (f-large) is built from its tables, not committed.
    const build = path.join(dir, name, 'build.mjs');
    if (!existsSync(kb) && existsSync(build)) execFileSync(process.execPath, [build], { stdio: 'ignore' });
    if (!existsSync(kb) || !existsSync(questions)) continue;
    out.push({ name, entries: await readKbFile(kb), questions: parseEvalJsonl(await readFile(questions, 'utf8'), questions) });
  }
  return out;
}

async function main(argv: string[]): Promise<void> {
  const { loadCorpus } = await import('../load-corpus.ts');
  const { analyze } = await import('../text/index.ts');
  const { evaluateKnowledgeBase } = await import('./kb-eval.ts');
  const { formatTable } = await import('./table.ts');
  const seedAt = argv.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(argv[seedAt + 1]) : 42;
  const names = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--seed');
  const corpus = await loadCorpus();
  for (const kb of await readBattery(names)) {
    const ev = await evaluateKnowledgeBase(kb.entries, kb.questions, corpus, analyze, { seed, baselines: true });
    const c = ev.fit.calibration;
    process.stdout.write(
      `\n== ${kb.name}: ${new Set(kb.entries.map((e) => e.id)).size} entries, ${kb.questions.length} questions, seed ${seed}, ` +
        `trained in ${ev.fit.seconds.total.toFixed(1)} s, thresholds ${JSON.stringify(c.thresholds)}\n` +
        `self-check (${c.selfCheck.status}): ${c.selfCheck.message}; lexical top-1 ${(100 * (c.selfCheck.lexical?.top1 ?? 0)).toFixed(0)}% answered right ${(100 * (c.selfCheck.lexical?.answeredRight ?? 0)).toFixed(0)}%\n` +
        `${formatTable(ev.results.map((r) => ({ ...r, metrics: { all: r.metrics.all! } })))}\n`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await main(process.argv.slice(2));
}
