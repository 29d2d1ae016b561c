/**
 * The held-out experiment: how Kömek does on a knowledge base whose services the model never
 * saw. For each demo part (its own development set), the corpus services that part covers are
 * removed from pretraining — a service counts as covered when at least a third of its phrasings
 * find one and the same entry first by character-trigram BM25 (generous on purpose: removing too
 * much only makes the test harder) — then:
 *
 * - `seen`: the normal training (full corpus + the knowledge base), for reference;
 * - `unseen+adapt`: corpus without the covered services, then the knowledge base (what a
 *   deployer with new services gets from `komek train`);
 * - `unseen-zero-shot`: corpus without the covered services, no knowledge-base training at all.
 *
 * Run: node --import tsx inference/eval/heldout.ts [--json]
 */
import { decide } from '../../core/decide.ts';
import type { KbEntry } from '../../core/kb.ts';
import { detectPersonRequest } from '../../core/person-request.ts';
import { detectSmallTalk } from '../../core/small-talk.ts';
import { loadCorpus } from '../load-corpus.ts';
import type { Analyzer } from '../encoder/featurize.ts';
import type { CorpusLike } from '../training/training-data.ts';
import { createOnnxEncoder } from '../encoder/onnx-encoder.ts';
import { trainedEmbedder } from '../retrieval/embedder.ts';
import { backgroundIndex, fitRetrieval } from '../training/fit-retrieval.ts';
import { buildHybridScorer } from '../retrieval/hybrid-retriever.ts';
import { entryVotes } from '../training/corpus-links.ts';
import { calibratedRetriever } from '../retrieval/scorer.ts';
import { analyze } from '../text/index.ts';
import { lexicalBaselines } from './baselines.ts';
import type { EvalQuestion } from './dataset.ts';
import { readDemoParts, readDevSet } from './demo-data.ts';
import { evaluateSystems, type EvalSystem, type SystemResult } from './run-eval.ts';
import { formatTable } from './table.ts';

/** Corpus services that the knowledge base covers (see the header for the rule). */
export function linkedServices(entries: readonly KbEntry[], corpus: readonly CorpusLike[], analyzer: Analyzer): string[] {
  return entryVotes(entries, corpus, analyzer)
    .filter(({ texts, votes }) => Math.max(0, ...votes.values()) * 3 >= texts)
    .map(({ service }) => service);
}

async function hybridSystem(name: string, entries: KbEntry[], corpus: CorpusLike[], kbEpochs: number | undefined): Promise<{ system: EvalSystem; close: () => Promise<void>; seconds: number }> {
  const fit = await fitRetrieval(entries, corpus, analyze, { seed: 42, train: kbEpochs === undefined ? {} : { kbEpochs } });
  const encoder = await createOnnxEncoder({ onnx: fit.onnx, meta: fit.meta }, analyze);
  const embedder = trainedEmbedder(encoder);
  const background = await backgroundIndex(corpus, fit.calibration.backgroundServices, embedder);
  const scorer = await buildHybridScorer(entries, embedder, analyze, fit.vectors, background);
  return { system: { name, retriever: calibratedRetriever(scorer, fit.calibration.model), thresholds: fit.calibration.thresholds }, close: async () => (await scorer.close(), await background.close(), await encoder.close()), seconds: fit.seconds.total };
}

export async function runHeldout(out: (line: string) => void, json = false): Promise<Record<string, SystemResult[]>> {
  const corpus = await loadCorpus();
  const results: Record<string, SystemResult[]> = {};
  for (const [part, entries] of await readDemoParts()) {
    const suffix = part.replace(/^part-/, '');
    let dev: EvalQuestion[];
    try {
      dev = await readDevSet(suffix);
    } catch {
      continue;
    }
    const linked = new Set(linkedServices(entries, corpus, analyze));
    const unseenCorpus = corpus.filter((s) => !linked.has(s.service));
    out(`${part}: ${new Set(entries.map((e) => e.id)).size} entries, ${dev.length} questions; ${linked.size} of ${corpus.length} corpus services removed as covered: ${[...linked].sort().join(' ')}`);
    const systems = [
      await hybridSystem('seen', entries, corpus, undefined),
      await hybridSystem('unseen+adapt', entries, unseenCorpus, undefined),
      await hybridSystem('unseen-zero-shot', entries, unseenCorpus, 0),
    ];
    out(`training seconds: ${systems.map((s) => `${s.system.name} ${s.seconds.toFixed(1)}`).join(', ')}`);
    const baselines = await lexicalBaselines(entries, unseenCorpus, analyze);
    const r = await evaluateSystems(dev, [...systems.map((s) => s.system), ...baselines], { detectPersonRequest, detectSmallTalk, decide });
    for (const s of systems) await s.close();
    results[part] = r;
    if (!json) out(`${formatTable(r)}\n`);
  }
  if (json) out(JSON.stringify(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.map((r) => ({ name: r.name, metrics: r.metrics }))])), null, 2));
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runHeldout((line) => process.stdout.write(`${line}\n`), process.argv.includes('--json'));
}
