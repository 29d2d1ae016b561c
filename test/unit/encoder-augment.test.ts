import assert from 'node:assert/strict';
import { test } from 'node:test';
import { augment, stripKazakhLetters, typo } from '../../inference/training/augment.ts';
import { cyrillicToLatin } from '../../inference/training/cyrillic-to-latin.ts';
import { createRng } from '../../inference/encoder/prng.ts';

test('Kazakh in Latin letters: informal keyboard spelling and the 2021 alphabet', () => {
  assert.equal(cyrillicToLatin('Жеке куәлік қайда?', 'informal'), 'Zheke kualik qaida?');
  assert.equal(cyrillicToLatin('Жеке куәлік қайда?', 'official-2021'), 'Jeke kuälık qaida?');
  assert.equal(cyrillicToLatin('Шешім, ЦОН 2024'), 'Sheshim, TsON 2024');
});

test('noise is realistic and reproducible for a seed', () => {
  assert.equal(stripKazakhLetters('Өтініш қалай беремін'), 'Отиниш калай беремин');
  const a = Array.from({ length: 20 }, (_, i) => augment('Жеке куәлікті қалай алуға болады?', 'kk', createRng(i)));
  const b = Array.from({ length: 20 }, (_, i) => augment('Жеке куәлікті қалай алуға болады?', 'kk', createRng(i)));
  assert.deepEqual(a, b);
  assert.ok(new Set(a).size > 10, 'variants differ from one another');
  const t = typo('удостоверение', createRng(1));
  assert.notEqual(t, 'удостоверение');
  assert.ok(Math.abs(t.length - 'удостоверение'.length) <= 1, 'one slip changes at most one letter count');
});
