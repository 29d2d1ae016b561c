/** The demo knowledge base parts and development sets, for evaluation scripts and tests. */
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseKbJsonl } from '../../core/kb-format.ts';
import type { KbEntry } from '../../core/kb.ts';
import { parseEvalJsonl, type EvalQuestion } from './dataset.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Each `data/demo-kb/part-*.jsonl` as [name, entries]. */
export async function readDemoParts(dir = path.join(ROOT, 'data/demo-kb')): Promise<Array<[string, KbEntry[]]>> {
  const files = (await readdir(dir)).filter((f) => /^part-.+\.jsonl$/.test(f)).sort();
  const out: Array<[string, KbEntry[]]> = [];
  for (const f of files) {
    const parsed = parseKbJsonl(await readFile(path.join(dir, f), 'utf8'));
    if (parsed.problems.length > 0) throw new Error(`${f}: ${parsed.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`);
    out.push([f.replace(/\.jsonl$/, ''), parsed.entries]);
  }
  return out;
}

/** `test/fixtures/dev-set-<suffix>.jsonl`. */
export async function readDevSet(suffix: string): Promise<EvalQuestion[]> {
  const file = path.join(ROOT, `test/fixtures/dev-set-${suffix}.jsonl`);
  return parseEvalJsonl(await readFile(file, 'utf8'), file);
}
