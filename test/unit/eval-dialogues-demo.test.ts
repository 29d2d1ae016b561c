import { test } from 'node:test';
import { readDemoParts } from '../../inference/eval/demo-data.ts';
import { assertDialogueFigures } from '../helpers/dialogue-bars.ts';

/**
 * The outside writers' dialogues over the demo knowledge base, through the real pipeline, over
 * two training seeds. The bars sit a little under the means reached (see README), so a change that
 * only reshuffles training cannot trip them while a regression of follow-ups or switches does.
 */
test('demo dialogues: follow-ups continue the topic, switches leave it', { timeout: 300_000 }, async () => {
  const entries = (await readDemoParts()).flatMap(([, part]) => part);
  await assertDialogueFigures(entries, 'test/fixtures/dialogues-demo.jsonl', { follow: 0.88, switch: 0.93, first: 0.93, wrong: 0.03, followGainOverAlone: 0.6 });
});
