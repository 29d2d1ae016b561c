import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { detectAll } from 'tinyld';
import { loadCorpus } from '../../inference/load-corpus.ts';
import { detectAllStatistics } from '../../inference/language-statistics.ts';
import { extractStatistics } from '../../inference/language-statistics-extract.ts';

/** Every text the project has at hand, and odd ones: the dev sets, the corpus, punctuation, digits. */
async function texts(): Promise<string[]> {
  const out: string[] = [];
  for (const file of ['dev-set-a.jsonl', 'dev-set-b.jsonl']) {
    for (const line of (await readFile(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')).split('\n')) {
      if (line.trim()) out.push((JSON.parse(line) as { text: string }).text);
    }
  }
  for (const s of await loadCorpus()) out.push(...s.texts.kk, ...s.texts.ru, ...s.texts.en);
  out.push('', ' ', '...', '(ЦОН)', 'ЭЦП!!! 2024', 'ＩＤ １２３', 'café résumé', 'qalai alamyn?', 'zheke kualik kerek', 'Сәлем, how are you?', '«справка» — где?', 'l’école', 'a  b   c');
  return out;
}

describe('language statistics (tinyld cut to kk/ru/en)', () => {
  it('stores exactly the tables the installed tinyld has for kk/ru/en', async () => {
    const stored = JSON.parse(await readFile(new URL('../../inference/language-statistics.json', import.meta.url), 'utf8'));
    assert.deepEqual(stored, await extractStatistics(), 'tinyld changed: run node --import tsx inference/language-statistics-extract.ts');
  });

  it("answers like tinyld's detectAll on every text, for both restrictions Kömek uses", async () => {
    const all = await texts();
    assert.ok(all.length > 5000);
    for (const only of [['kk', 'ru'], ['kk', 'ru', 'en']]) {
      for (const text of all) assert.deepEqual(detectAllStatistics(text, only), detectAll(text, { only }), `${JSON.stringify(text)} with ${only}`);
    }
  });
});
