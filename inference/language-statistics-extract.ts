/**
 * Writes inference/language-statistics.json: tinyld's character statistics for Kazakh, Russian
 * and English only, the three languages Kömek ever asks it about.
 *
 * tinyld's "normal" build keeps its statistics for 62 languages as one JavaScript object of some
 * 25,000 grams, about 30 MB resident in every process that imports it; a worker asks about three.
 * Its tables are not exported, so they are read from its own module with the export list widened.
 * The test (test/unit/language-statistics.test.ts) checks that the stored file is what the
 * installed tinyld gives and that detection agrees with tinyld's exactly.
 *
 * Run after upgrading tinyld: `node --import tsx inference/language-statistics-extract.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LanguageStatistics } from './language-statistics.ts';

/** Kömek's languages (tinyld keeps them in its own order). */
const KEPT = ['kk', 'ru', 'en'];

interface TinyldInternals {
  __data: { uniques: Record<string, string>; multiples: Record<string, Record<string, number>> };
  __langs: Set<string>;
  __toIso2: (iso3: string) => string;
  __grams: number[];
}

/** The installed tinyld's tables for kk/ru/en. */
export async function extractStatistics(): Promise<LanguageStatistics> {
  const require = createRequire(import.meta.url);
  const file = require.resolve('tinyld').replace(/\.js$/, '.mjs');
  const source = readFileSync(file, 'utf8');
  const widened = source.replace(/export\{/, 'export{_ as __data,h as __langs,m as __toIso2,F as __grams,');
  if (widened === source) throw new Error(`${file}: no export list found; tinyld's build changed`);
  const mod = (await import(`data:text/javascript;base64,${Buffer.from(widened).toString('base64')}#${pathToFileURL(file).href}`)) as TinyldInternals;
  const langs = [...mod.__langs].filter((iso3) => KEPT.includes(mod.__toIso2(iso3)));
  if (langs.length !== KEPT.length) throw new Error(`tinyld lacks one of ${KEPT.join(', ')}`);
  const uniques: Record<string, string> = {};
  for (const [gram, code] of Object.entries(mod.__data.uniques)) if (KEPT.includes(mod.__toIso2(code))) uniques[gram] = mod.__toIso2(code);
  const multiples: Record<string, (number | null)[]> = {};
  for (const [gram, scores] of Object.entries(mod.__data.multiples)) {
    const kept = langs.map((iso3) => (iso3 in scores ? scores[iso3]! : null));
    if (kept.some((s) => s !== null)) multiples[gram] = kept;
  }
  const { version } = JSON.parse(readFileSync(new URL('../package.json', pathToFileURL(file)), 'utf8')) as { version: string };
  return { source: `tinyld ${version} (normal)`, langs: langs.map(mod.__toIso2), grams: mod.__grams, uniques, multiples };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = fileURLToPath(new URL('./language-statistics.json', import.meta.url));
  writeFileSync(out, `${JSON.stringify(await extractStatistics())}\n`);
  process.stdout.write(`wrote ${out}\n`);
}
