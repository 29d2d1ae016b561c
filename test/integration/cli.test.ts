/**
 * The `komek` executable end to end, as an administrator uses it: import (all or nothing),
 * re-import, export round trip, CSV, and asking — against the embedded database in a temp folder
 * and against a real Postgres.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { komek } from '../helpers/komek-cli.ts';
import { postgresAvailable, postgresDatabase, type TestDatabase } from '../helpers/databases.ts';



const rows = [
  { id: 'id-card', lang: 'kk', question: 'Жеке куәлікті қалай алуға болады?', answer: 'ХҚКО-ға немесе eGov арқылы өтінім беріңіз.', alt_questions: ['жеке куәлік алу', 'удостоверение жасату қалай'], source_url: 'https://egov.kz/cms/kk', category: 'documents' },
  { id: 'id-card', lang: 'ru', question: 'Как получить удостоверение личности?', answer: 'Подайте заявление в ЦОН или на eGov.', alt_questions: ['где сделать удостоверение', 'получить удос'], source_url: 'https://egov.kz/cms/ru', category: 'documents' },
  { id: 'pension-age', lang: 'ru', question: 'Какой пенсионный возраст?', answer: 'Пенсионный возраст зависит от пола и года рождения.', alt_questions: ['когда на пенсию', 'во сколько лет пенсия'], source_url: 'https://www.enpf.kz', category: 'pensions' },
  { id: 'pension-age', lang: 'kk', question: 'Зейнеткерлік жас қанша?', answer: 'Зейнеткерлік жас жынысқа және туған жылға байланысты.', alt_questions: ['зейнетке қашан шығамын', 'зейнет жасы'], source_url: 'https://www.enpf.kz', category: 'pensions' },
];
const jsonl = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

const targets: [string, () => Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }>][] = [
  [
    'embedded database',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'komek-cli-'));
      return { env: { KOMEK_DATA_DIR: path.join(dir, 'data'), KOMEK_DEMO_KB: 'false' }, cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  ],
];
if (await postgresAvailable()) {
  targets.push([
    'postgres',
    async () => {
      const db: TestDatabase = await postgresDatabase();
      await db.database.close();
      return { env: { DATABASE_URL: db.url! }, cleanup: () => db.drop() };
    },
  ]);
}

for (const [label, setup] of targets) {
  describe(`komek CLI on ${label}`, () => {
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    let dir: string;
    before(async () => {
      ({ env, cleanup } = await setup());
      dir = await mkdtemp(path.join(tmpdir(), 'komek-files-'));
    });
    after(async () => {
      await cleanup();
      await rm(dir, { recursive: true, force: true });
    });

    it('rejects a malformed file naming line and field, and imports nothing', async () => {
      const bad = path.join(dir, 'bad.jsonl');
      await writeFile(bad, `${JSON.stringify(rows[0])}\n{"id":"x","lang":"de","question":"q","answer":"a"}\n{"id":"y","lang":"ru"}\nnot json\n`);
      const r = await komek(['kb', 'import', bad, '--no-train'], env);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /line 2, field lang/);
      assert.match(r.stderr, /line 3, field question/);
      assert.match(r.stderr, /line 4: not valid JSON/);
      assert.match(r.stderr, /nothing was imported/);
      const exported = await komek(['kb', 'export'], env);
      assert.equal(exported.stdout, '');
    });

    it('imports, re-imports as a no-op, and round-trips through export', async () => {
      const file = path.join(dir, 'kb.jsonl');
      await writeFile(file, jsonl);
      const first = await komek(['kb', 'import', file, '--no-train'], env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /4 added, 0 updated, 0 unchanged, 0 removed/);
      const second = await komek(['kb', 'import', file, '--no-train'], env);
      assert.match(second.stdout, /0 added, 0 updated, 4 unchanged, 0 removed/);
      const out = path.join(dir, 'out.jsonl');
      assert.equal((await komek(['kb', 'export', out], env)).code, 0);
      const exported = await readFile(out, 'utf8');
      const sorted = [...rows].sort((a, b) => (a.id + a.lang).localeCompare(b.id + b.lang)).map((r) => JSON.stringify(r)).join('\n') + '\n';
      assert.equal(exported, sorted);
      const third = await komek(['kb', 'import', out, '--no-train'], env);
      assert.match(third.stdout, /4 unchanged/);
    });

    it('imports CSV and replaces entries absent from the file', async () => {
      const csv = path.join(dir, 'kb.csv');
      await writeFile(csv, 'id,lang,question,answer,alt_questions,source_url,category\nid-card,ru,Как получить удостоверение личности?,"Подайте заявление в ЦОН, на eGov или в eGov Mobile.",где сделать удостоверение|получить удос,https://egov.kz/cms/ru,documents\n');
      const r = await komek(['kb', 'import', csv, '--replace', '--no-train'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /0 added, 1 updated, 0 unchanged, 3 removed/);
    });

    it('answers questions from standard input as JSON lines, trained on the demo knowledge base', async () => {
      // A realistic knowledge base: calibration on a handful of entries says little about the
      // out-of-scope behaviour citizens meet.
      const demo = path.join(dir, 'demo.jsonl');
      const parts = await Promise.all(['part-a.jsonl', 'part-b.jsonl'].map((f) => readFile(new URL(`../../data/demo-kb/${f}`, import.meta.url), 'utf8')));
      await writeFile(demo, parts.join('\n'));
      const imported = await komek(['kb', 'import', demo, '--replace', '--no-train'], env);
      assert.equal(imported.code, 0, imported.stderr);
      const r = await komek(['ask', '--json'], env, 'где получить удостоверение личности\nоператор\nкакая завтра погода в Париже\nzheke kualik qalai alamyn\n');
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(lines.length, 4);
      assert.equal(lines[0].action, 'answer');
      assert.equal(lines[0].faq_id, 'id-card-get');
      assert.equal(lines[0].lang, 'ru');
      assert.match(lines[0].reply, /ЦОН/);
      assert.equal(lines[1].action, 'escalate');
      assert.equal(lines[1].faq_id, null);
      assert.equal(lines[2].action, 'fallback');
      assert.equal(lines[2].faq_id, null);
      assert.equal(lines[3].lang, 'kk');
      assert.ok(lines[3].faq_id === 'id-card-get' || lines[3].alternatives.includes('id-card-get'), JSON.stringify(lines[3]));
      for (const l of lines) assert.deepEqual(Object.keys(l).sort(), ['action', 'alternatives', 'faq_id', 'lang', 'reply', 'score', 'text']);
    });

    it('ask --json continues a conversation over {"chat", "text"} lines; plain lines stay independent questions', async () => {
      // The model trained by the test above is reused (same data folder).
      const input = [
        JSON.stringify({ chat: 'a', text: 'как получить справку о несудимости' }),
        JSON.stringify({ chat: 'b', text: 'как зарегистрировать брак' }),
        JSON.stringify({ chat: 'a', text: 'а сколько это стоит?' }),
        'а сколько это стоит?',
        JSON.stringify({ chat: 'c', text: 'а сколько это стоит?' }),
      ].join('\n');
      const r = await komek(['ask', '--json'], env, `${input}\n`);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(lines.length, 5);
      assert.equal(lines[0].faq_id, 'no-criminal-record-certificate');
      assert.equal(lines[1].faq_id, 'marriage-registration');
      assert.equal(lines[2].text, 'а сколько это стоит?');
      assert.equal(lines[2].action, 'answer', JSON.stringify(lines[2]));
      assert.equal(lines[2].faq_id, 'no-criminal-record-certificate', 'chat a continues its topic, not chat b’s');
      assert.match(lines[2].reply, /бесплатн/);
      assert.notEqual(lines[3].faq_id, 'no-criminal-record-certificate', 'a plain line is a question of its own');
      assert.notEqual(lines[4].faq_id, 'no-criminal-record-certificate', 'a new chat has no topic');
      for (const l of lines) assert.deepEqual(Object.keys(l).sort(), ['action', 'alternatives', 'faq_id', 'lang', 'reply', 'score', 'text']);
    });

    it('refuses a worker without a shared queue before opening the database', async () => {
      // On Postgres a worker would queue there (app/roles.ts); an in-process queue, asked for, is refused.
      const r = await komek(['worker'], env.DATABASE_URL ? { ...env, KOMEK_QUEUE: 'memory' } : env);
      assert.equal(r.code, 78, r.stderr);
      assert.equal(
        r.stderr,
        'komek: worker needs a queue shared between processes: set REDIS_URL, or DATABASE_URL for a queue in Postgres — or run `komek start` instead\n',
      );
    });

    it('fails start-up naming a malformed variable', async () => {
      const r = await komek(['migrate'], { ...env, PORT: 'abc', KOMEK_DATADIR: 'typo' });
      assert.equal(r.code, 78);
      assert.match(r.stderr, /PORT/);
      assert.match(r.stderr, /KOMEK_DATADIR: unknown variable/);
    });
  });
}
