/**
 * `komek train`: trains Kömek's encoder on the current knowledge base (and the built-in corpus),
 * stores it with the knowledge-base version, and reports the time. Progress goes to stderr.
 */
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { describeSelfCheck } from '../../inference/retrieval/self-check.ts';
import { createProgress } from '../progress.ts';

export const trainCommand: Command = {
  name: 'train',
  summary: "train Kömek's encoder on the current knowledge base",
  usage: [
    'Usage: komek train',
    '',
    'Trains the encoder on the knowledge base (plus the built-in corpus of citizen phrasings),',
    'calibrates the confidence, and stores model and entry vectors with the knowledge-base version.',
    'Workers pick the new model up when they next check the knowledge base.',
  ].join('\n'),
  async run(ctx) {
    if (ctx.argv.length > 0) throw new UsageError(`unexpected argument "${ctx.argv[0]}"`);
    const services = await ctx.services();
    if (!services.inference.trainable) throw new UsageError('this configuration uses a pretrained encoder (EMBEDDING_MODEL_DIR): nothing to train');
    const progress = createProgress(ctx.stderr, 'train');
    const result = await services.inference.train({ onProgress: (p) => progress.update(p.done, p.total, p.phase) });
    ctx.stdout.write(`trained model ${result.modelId} for knowledge-base version ${result.kbVersion} in ${result.seconds.toFixed(1)} s\n`);
    if (result.selfCheck) ctx.stdout.write(`${describeSelfCheck(result.selfCheck)}\n`);
    return 0;
  },
};
