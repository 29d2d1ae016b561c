/**
 * Shared by the dialogue evaluation tests: trains a knowledge base in memory for each seed, runs
 * the dialogues through the real pipeline (and each turn alone, without the topic, beside them),
 * and holds the means over the seeds to bars.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { KbEntry } from '../../core/kb.ts';
import { loadCorpus } from '../../inference/load-corpus.ts';
import { evaluateDialogues, parseDialoguesJsonl, withTrainedKb, type DialogueFigures, type KindFigures } from '../../inference/eval/dialogue-eval.ts';
import { analyze } from '../../inference/text/index.ts';

export const DIALOGUE_SEEDS = [42, 1];

export interface DialogueBars {
  /** Minimum mean share answered right, per kind of turn. */
  follow: number;
  switch: number;
  first: number;
  /** Maximum mean share of all turns answered with a wrong entry. */
  wrong: number;
  /** Minimum gain of follow-ups answered right over the same turns asked alone. */
  followGainOverAlone: number;
}

export async function assertDialogueFigures(entries: KbEntry[], file: string, bars: DialogueBars): Promise<void> {
  const dialogues = parseDialoguesJsonl(await readFile(file, 'utf8'), file);
  const corpus = await loadCorpus();
  const runs: { seed: number; dialogue: DialogueFigures; alone: DialogueFigures }[] = [];
  for (const seed of DIALOGUE_SEEDS) {
    runs.push(
      await withTrainedKb(entries, corpus, analyze, { seed }, async (system) => ({
        seed,
        dialogue: await evaluateDialogues(dialogues, system),
        alone: await evaluateDialogues(dialogues, system, { independent: true }),
      })),
    );
  }
  const rate = (k: KindFigures, key: 'right' | 'wrong' | 'oldTopic') => (k.turns === 0 ? 0 : k[key] / k.turns);
  const mean = (f: (r: (typeof runs)[number]) => number) => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  const summary = JSON.stringify(runs.map((r) => ({ seed: r.seed, byKind: r.dialogue.byKind, all: r.dialogue.all, aloneFollow: r.alone.byKind.follow })));
  const follow = mean((r) => rate(r.dialogue.byKind.follow, 'right'));
  assert.ok(follow >= bars.follow, `follow-ups right ${follow} < ${bars.follow} ${summary}`);
  const sw = mean((r) => rate(r.dialogue.byKind.switch, 'right'));
  assert.ok(sw >= bars.switch, `switches right ${sw} < ${bars.switch} ${summary}`);
  const first = mean((r) => rate(r.dialogue.byKind.first, 'right'));
  assert.ok(first >= bars.first, `first questions right ${first} < ${bars.first} ${summary}`);
  const wrong = mean((r) => rate(r.dialogue.all, 'wrong'));
  assert.ok(wrong <= bars.wrong, `wrong answers ${wrong} > ${bars.wrong} ${summary}`);
  const gain = follow - mean((r) => rate(r.alone.byKind.follow, 'right'));
  assert.ok(gain >= bars.followGainOverAlone, `follow-ups gain only ${gain} over asking alone ${summary}`);
  // A switch answered with the previous turn's entry is the glue the topic must never add.
  for (const r of runs) assert.ok(r.dialogue.byKind.switch.oldTopic <= 1, `switch answered with the old topic ${summary}`);
  // First questions have no topic: the pipeline must answer them exactly as alone.
  for (const r of runs) assert.deepEqual(r.dialogue.byKind.first, r.alone.byKind.first, `first turns differ from asking alone ${summary}`);
}
