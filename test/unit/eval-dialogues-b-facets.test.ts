import { test } from 'node:test';
import { readKbFile } from '../../inference/eval/battery.ts';
import { assertDialogueFigures } from '../helpers/dialogue-bars.ts';

/**
 * The outside writers' dialogues over the fine-grained facet knowledge base of the foreign
 * battery (b-facets: services split into "— documents / where / how long / how much" entries),
 * through the real pipeline, over two training seeds; bars a little under the means reached.
 */
test('facet KB dialogues: a follow-up answers the facet entry of the same service', { timeout: 300_000 }, async () => {
  const entries = await readKbFile('test/fixtures/foreign-kbs/b-facets/kb.jsonl');
  await assertDialogueFigures(entries, 'test/fixtures/foreign-kbs/b-facets/dialogues.jsonl', { follow: 0.88, switch: 0.9, first: 0.78, wrong: 0.04, followGainOverAlone: 0.4 });
});
