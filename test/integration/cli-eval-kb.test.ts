/**
 * A deployer's own knowledge base from the command line: `komek eval --kb` trains on a file in a
 * throw-away database and evaluates on it, leaving the configured data folder untouched; and a
 * knowledge base too small to calibrate is refused with a message, never stored as "trained".
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { komek } from '../helpers/komek-cli.ts';

const TINY = fileURLToPath(new URL('../fixtures/foreign-kbs/d-tiny/', import.meta.url));
const FACETS = fileURLToPath(new URL('../fixtures/foreign-kbs/b-facets/', import.meta.url));


describe('komek eval --kb and training refusals', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'komek-eval-kb-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains a foreign knowledge base in a throw-away database and prints its self-check and figures', async () => {
    const data = path.join(dir, 'configured');
    const r = await komek(['eval', '--kb', path.join(TINY, 'kb.jsonl'), path.join(TINY, 'questions.jsonl'), '--json'], { KOMEK_DATA_DIR: data });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Self-check on \d+ held-out questions/);
    assert.match(r.stderr, /model\s+top-1/);
    assert.match(r.stderr, /lexical\s+top-1/);
    const out = JSON.parse(r.stdout) as { questions: number; systems: { name: string; metrics: { all: { answeredCorrectly: number; top1: number } } }[] };
    assert.ok(out.questions >= 100);
    const hybrid = out.systems.find((s) => s.name === 'hybrid')!;
    // The bug this guards against: a knowledge base that is not the demo answered nothing at all.
    assert.ok(hybrid.metrics.all.answeredCorrectly > 0.3, JSON.stringify(hybrid.metrics.all));
    assert.ok(out.systems.some((s) => s.name === 'bm25-trigrams'));
    assert.equal(existsSync(data), false, 'the configured data folder must not be created');
  });

  it('evaluates dialogue files through the pipeline: first questions, follow-ups and switches apart', async () => {
    const r = await komek(['eval', '--kb', path.join(FACETS, 'kb.jsonl'), path.join(FACETS, 'dialogues.jsonl'), '--json'], { KOMEK_DATA_DIR: path.join(dir, 'dialogues') });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { dialogues: number; byKind: Record<'first' | 'follow' | 'switch', { turns: number; right: number; wrong: number }>; outcomes: { followUp?: string }[] };
    assert.ok(out.dialogues >= 30);
    for (const kind of ['first', 'follow', 'switch'] as const) assert.ok(out.byKind[kind].turns > 0, kind);
    // Follow-ups are resolved against the topic, not asked as if alone (alone they are mostly unanswerable).
    assert.ok(out.byKind.follow.right / out.byKind.follow.turns > 0.8, JSON.stringify(out.byKind));
    assert.ok(out.outcomes.some((o) => o.followUp === 'entry'));
    const text = await komek(['eval', '--kb', path.join(FACETS, 'kb.jsonl'), path.join(FACETS, 'dialogues.jsonl')], { KOMEK_DATA_DIR: path.join(dir, 'dialogues-text') });
    assert.match(text.stdout, /^follow\s+\d+/m);
    assert.match(text.stdout, /^switch\s+\d+/m);
  });

  it('refuses to train a knowledge base too small to calibrate, and stores no model', async () => {
    const file = path.join(dir, 'one.jsonl');
    await writeFile(file, `${JSON.stringify({ id: 'only', lang: 'ru', question: 'Как получить справку?', answer: 'Через портал.' })}\n`);
    const env = { KOMEK_DATA_DIR: path.join(dir, 'one'), KOMEK_DEMO_KB: 'false' };
    const r = await komek(['kb', 'import', file], env);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /training failed, no model was stored: .*held-out calibration question/);
    const ask = await komek(['ask', '--json', 'справка'], env);
    // No model: asking trains again and fails again with the same explanation, never answers silently.
    assert.notEqual(ask.code, 0);
    assert.match(ask.stderr, /held-out calibration question/);
  });
});
