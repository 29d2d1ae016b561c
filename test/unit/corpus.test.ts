import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CorpusFormatError, loadCorpus, type CorpusService } from '../../inference/load-corpus.ts';

const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../data/corpus');
const CYRILLIC = /[\u0400-\u04FF]/;
const LATIN = /[a-z]/i;

/** What "the same line" means for the corpus: case, ё/е, punctuation and spacing do not count. */
function norm(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function allTexts(s: CorpusService): string[] {
  return [...s.texts.kk, ...s.texts.ru, ...s.texts.en];
}

describe('shipped citizen-question corpus', () => {
  let corpus: CorpusService[];
  before(async () => {
    corpus = await loadCorpus();
  });

  it('covers at least 150 services with unique kebab-case ids', () => {
    assert.ok(corpus.length >= 150, `only ${corpus.length} services`);
    const ids = corpus.map((s) => s.service);
    assert.equal(new Set(ids).size, ids.length, 'duplicate service ids');
  });

  it('has at least 12 kk, 12 ru and 4 en phrasings per service', () => {
    const thin = corpus.filter((s) => s.texts.kk.length < 12 || s.texts.ru.length < 12 || s.texts.en.length < 4);
    assert.deepEqual(
      thin.map((s) => `${s.service}: kk ${s.texts.kk.length} ru ${s.texts.ru.length} en ${s.texts.en.length}`),
      [],
    );
  });

  it('has no duplicate phrasing within a service', () => {
    const dups: string[] = [];
    for (const s of corpus) {
      const seen = new Set<string>();
      for (const t of allTexts(s)) {
        if (seen.has(norm(t))) dups.push(`${s.service}: ${t}`);
        seen.add(norm(t));
      }
    }
    assert.deepEqual(dups, []);
  });

  it('never gives one phrasing to two services (it would be a positive and a negative at once)', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const s of corpus) {
      for (const t of new Set(allTexts(s).map(norm))) {
        const other = owner.get(t);
        if (other && other !== s.service) clashes.push(`${other} / ${s.service}: ${t}`);
        owner.set(t, s.service);
      }
    }
    assert.deepEqual(clashes, []);
  });

  it('keeps scripts clean: no word mixes Latin and Cyrillic letters, en is Latin, ru is Cyrillic', () => {
    const bad: string[] = [];
    for (const s of corpus) {
      for (const t of allTexts(s)) {
        const mixed = t.split(/[^\p{L}]+/u).find((w) => LATIN.test(w) && CYRILLIC.test(w));
        if (mixed) bad.push(`${s.service}: "${mixed}" in ${t}`);
      }
      for (const t of s.texts.en) if (CYRILLIC.test(t)) bad.push(`${s.service}: Cyrillic in en: ${t}`);
      for (const t of s.texts.ru) if (!CYRILLIC.test(t)) bad.push(`${s.service}: no Cyrillic in ru: ${t}`);
    }
    assert.deepEqual(bad, []);
  });

  it('writes a fair share of Kazakh in informal Latin script, as citizens do', () => {
    const kk = corpus.flatMap((s) => s.texts.kk);
    const latin = kk.filter((t) => !CYRILLIC.test(t)).length / kk.length;
    assert.ok(latin >= 0.15 && latin <= 0.4, `Latin-script share of kk lines is ${(latin * 100).toFixed(1)}%`);
    const without = corpus.filter((s) => s.texts.kk.every((t) => CYRILLIC.test(t))).map((s) => s.service);
    assert.deepEqual(without, [], 'services with no Latin-script Kazakh line');
  });

  it('keeps every file under 400 KB', async () => {
    for (const f of (await readdir(CORPUS_DIR)).filter((n) => n.endsWith('.jsonl'))) {
      const { size } = await stat(join(CORPUS_DIR, f));
      assert.ok(size <= 400 * 1024, `${f} is ${size} bytes`);
    }
  });
});

describe('loadCorpus validation', () => {
  let dir: string;
  const good = (service: string) =>
    JSON.stringify({ service, category: 'documents', kk: ['Жеке куәлік'], ru: ['Удостоверение'], en: ['ID card'] });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'komek-corpus-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function loadWith(files: Record<string, string>): Promise<unknown> {
    const sub = await mkdtemp(join(dir, 'case-'));
    for (const [name, text] of Object.entries(files)) await writeFile(join(sub, name), text);
    return loadCorpus(sub);
  }

  it('reads every services-*.jsonl in name order and ignores other files', async () => {
    const loaded = (await loadWith({
      'services-b.jsonl': `${good('b-two')}\n`,
      'services-a.jsonl': `${good('a-one')}\n\n`,
      'notes.jsonl': 'not a corpus file',
    })) as CorpusService[];
    assert.deepEqual(
      loaded.map((s) => s.service),
      ['a-one', 'b-two'],
    );
    assert.deepEqual(loaded[0]?.texts, { kk: ['Жеке куәлік'], ru: ['Удостоверение'], en: ['ID card'] });
  });

  it('names file and line for invalid JSON', async () => {
    await assert.rejects(
      loadWith({ 'services-x.jsonl': `${good('ok-one')}\n{"service": "broken",\n` }),
      (err: unknown) => err instanceof CorpusFormatError && err.file === 'services-x.jsonl' && err.line === 2,
    );
  });

  it('names file, line and field for a wrong shape', async () => {
    const noRu = JSON.stringify({ service: 'no-ru', category: 'documents', kk: ['a'], en: [] });
    await assert.rejects(loadWith({ 'services-y.jsonl': `${good('fine')}\n${good('fine-too')}\n${noRu}\n` }), (err: unknown) => {
      assert.ok(err instanceof CorpusFormatError);
      assert.equal(err.line, 3);
      assert.match(err.message, /^services-y\.jsonl:3: .*ru/);
      return true;
    });
  });

  it('rejects unknown keys and ids that are not kebab-case', async () => {
    const extra = JSON.stringify({ service: 'x', category: 'c', kk: ['a'], ru: ['b'], en: [], kz: ['c'] });
    await assert.rejects(loadWith({ 'services-z.jsonl': extra }), CorpusFormatError);
    const badId = JSON.stringify({ service: 'Passport_Get', category: 'c', kk: ['a'], ru: ['b'], en: [] });
    await assert.rejects(loadWith({ 'services-z.jsonl': badId }), /kebab-case/);
  });

  it('rejects a service id defined twice, naming both places', async () => {
    await assert.rejects(
      loadWith({ 'services-1.jsonl': good('same'), 'services-2.jsonl': `${good('other')}\n${good('same')}` }),
      (err: unknown) =>
        err instanceof CorpusFormatError &&
        err.file === 'services-2.jsonl' &&
        err.line === 2 &&
        err.message.includes('services-1.jsonl:1'),
    );
  });

  it('fails clearly on a folder without corpus files', async () => {
    await assert.rejects(loadWith({}), /no services-\*\.jsonl files/);
  });
});
