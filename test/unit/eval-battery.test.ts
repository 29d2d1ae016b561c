import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readBattery } from '../../inference/eval/battery.ts';
import { BATTERY_NAMES } from '../helpers/battery.ts';

// Each knowledge base trains in a file of its own (eval-battery-<name>.test.ts), so the three
// seeds of five knowledge bases spread over the runner's workers and each file has its own timeout.
test('the battery has every kind of knowledge base the issue asks for, each with 100+ questions', async () => {
  const kbs = await readBattery(BATTERY_NAMES);
  assert.deepEqual(kbs.map((k) => k.name), BATTERY_NAMES);
  for (const kb of kbs) assert.ok(kb.questions.length >= 100, `${kb.name}: ${kb.questions.length} questions`);
  const noAlts = kbs.find((k) => k.name === 'e-no-alts')!;
  assert.ok(noAlts.entries.every((e) => e.altQuestions.length === 0));
  const national = kbs.find((k) => k.name === 'a-national')!;
  assert.ok(national.entries.every((e) => e.altQuestions.length === 1) && new Set(national.entries.map((e) => e.id)).size >= 40);
  assert.ok(kbs.find((k) => k.name === 'd-tiny')!.entries.length / 3 <= 10);
});
