/**
 * Child process of the memory section (bench/worker-memory.ts): one fresh process that goes the
 * way `komek worker` goes — compiled like it by bin/compiled.js (this file is one of its
 * entries), then the CLI's modules, the connections, the stored model and its indexes,
 * answering — and reports its resident memory after each step as one JSON line on
 * stdout. Run with `--expose-gc`, so that every figure is what is kept, not garbage waiting for
 * a collection. `--arena` keeps onnxruntime's CPU memory arena on, as Kömek had it before, for
 * the before/after figure of the same run.
 *
 * Reads the configuration from the environment like any Kömek process (the benchmark passes its
 * database and queue prefix); needs a stored model for the knowledge base.
 */
import { readFileSync } from 'node:fs';

const arena = process.argv.includes('--arena');
const questions = JSON.parse(readFileSync(0, 'utf8')) as { text: string; lang: 'kk' | 'ru' }[];
const steps: { step: string; rssMb: number; heapMb: number }[] = [];

function measure(step: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc: the figures must be what is kept');
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  steps.push({ step, rssMb: rss / 2 ** 20, heapMb: heapUsed / 2 ** 20 });
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
