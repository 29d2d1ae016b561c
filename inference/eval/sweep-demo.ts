/**
 * Reproduces DEFAULT_THRESHOLDS (inference/retrieval/thresholds.ts):
 *
 *   node --import tsx inference/eval/sweep-demo.ts [--min-rejection 0.9]
 *
 * Fits the retrieval stack on the demo knowledge base (all parts, as `komek start` loads it) with
 * the default seed, takes the calibration split's calibrated candidates (held-out phrasings and
 * out-of-scope corpus phrasings; the development sets are not read), and sweeps thresholds.
 */
import { decide } from '../../core/decide.ts';
import { readDemoParts } from './demo-data.ts';
import { loadCorpus } from '../load-corpus.ts';
import { fitRetrieval } from '../training/fit-retrieval.ts';
import { calibrate } from '../retrieval/scorer.ts';
import { analyze } from '../text/index.ts';
import { sweepThresholds, type SweepCase } from '../training/sweep.ts';

async function main(): Promise<void> {
  const at = process.argv.indexOf('--min-rejection');
  const minRejection = at > 0 ? Number(process.argv[at + 1]) : 0.9;
  const corpus = await loadCorpus();
  const cases: SweepCase[] = [];
  const entries = (await readDemoParts()).flatMap(([, part]) => part);
  const fit = await fitRetrieval(entries, corpus, analyze, { seed: 42 });
  const { queries, scored } = fit.calibrationData;
  queries.forEach((q, i) => cases.push({ faqId: q.faqId, candidates: calibrate(scored[i]!, fit.calibration.model) }));
  process.stderr.write(`${queries.length} calibration questions (fit ${fit.seconds.total.toFixed(1)} s)\n`);
  const result = sweepThresholds(cases, decide, { minRejection });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

await main();
