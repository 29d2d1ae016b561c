/**
 * Child process of the memory section (bench/worker-memory.ts): one fresh process that goes the
 * way `komek worker` goes — compiled like it by bin/compiled.js (this file is one of its
 * entries), then the CLI's modules, the connections, the stored model and its indexes,
 * answering — and reports its resident memory after each step as one JSON line on
 * stdout. Run with `--expose-gc`, so that every figure is what is kept, not garbage waiting for
 * a collection. `--arena` keeps onnxruntime's CPU memory arena on, as Kömek had it before, for
 * the before/after figure of the same run. For looking closer: `--snapshot DIR` writes a V8 heap
 * snapshot after each step, `--spaces` prints V8's heap spaces on stderr.
 *
 * Reads the configuration from the environment like any Kömek process (the benchmark passes its
 * database and queue prefix); needs a stored model for the knowledge base.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

const arena = process.argv.includes('--arena');
// `--snapshot DIR`: a V8 heap snapshot after each step, for Chrome DevTools' Memory tab.
const snapshotDir = process.argv.includes('--snapshot') ? process.argv[process.argv.indexOf('--snapshot') + 1] : undefined;
const questions = JSON.parse(readFileSync(0, 'utf8')) as { text: string; lang: 'kk' | 'ru' }[];
const MB = 2 ** 20;
const steps: { step: string; rssMb: number; heapMb: number; heapTotalMb: number; externalMb: number; anonMb: number; fileMb: number }[] = [];

/** Resident pages by kind (Linux): anonymous (heaps, malloc) and file-backed (code, libraries). */
function residentKinds(): { anonMb: number; fileMb: number } {
  try {
    const rollup = readFileSync('/proc/self/smaps_rollup', 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? NaN) / 1024;
    const anon = kb('Anonymous');
    return { anonMb: anon, fileMb: kb('Rss') - anon };
  } catch {
    return { anonMb: NaN, fileMb: NaN };
  }
}

function measure(step: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc: the figures must be what is kept');
  gc();
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  if (snapshotDir) writeHeapSnapshot(join(snapshotDir, `${steps.length}-${step}.heapsnapshot`));
  if (process.argv.includes('--spaces')) process.stderr.write(`${step}: ${getHeapSpaceStatistics().map((s) => `${s.space_name} ${(s.space_size / MB).toFixed(1)}/${(s.space_used_size / MB).toFixed(1)}`).join(', ')}\n`);
  steps.push({ step, rssMb: rss / MB, heapMb: heapUsed / MB, heapTotalMb: heapTotal / MB, externalMb: external / MB, ...residentKinds() });
}

measure('start');
// What `komek worker` loads before it runs: the CLI with every command (bin/komek.js imports it).
await import('../app/cli.ts');
measure('modules');
const { parseConfig } = await import('../app/config.ts');
const { buildServices } = await import('../app/services.ts');
const { createInference } = await import('../inference/index.ts');
const services = await buildServices(parseConfig(process.env), { noDemo: true });
measure('connections');
// An inference layer of its own, so that the arena can be switched; the services' one stays
// unloaded (it loads lazily), so only one model is ever in this process.
const inference = createInference({ kb: services.kb, models: services.models, logger: services.logger, options: { memoryArena: arena } });
await inference.ensureCurrent();
measure('model');
for (const q of questions) await inference.retriever.retrieve(q.text, { lang: q.lang, limit: 5 });
measure('answered');
await inference.close();
await services.close();
process.stdout.write(`${JSON.stringify({ arena, answered: questions.length, steps })}\n`);
