/** The pipeline's in-memory copy of the knowledge base: served from memory, reloaded by version. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createKbCache } from '../../core/kb-cache.ts';
import type { StoredKbEntry } from '../../core/kb.ts';
import type { KnowledgeBase } from '../../core/ports.ts';

function fakeKb() {
  const state = { version: 1, lists: 0, versions: 0, entries: [] as StoredKbEntry[] };
  const entry = (id: string, answer: string): StoredKbEntry =>
    ({ id, lang: 'ru', question: id, answer, altQuestions: [], category: null, sourceUrl: null, enabled: true, version: 1, updatedAt: new Date() }) as unknown as StoredKbEntry;
  state.entries = [entry('passport', 'old answer')];
  const kb: KnowledgeBase = {
    version: async () => (state.versions++, state.version),
    list: async () => (state.lists++, state.entries.map((e) => ({ ...e }))),
    get: async () => assert.fail('the cache must not read entries one by one'),
    import: async () => ({ inserted: 0, updated: 0, unchanged: 0, removed: 0, kbVersion: state.version }),
    lexicalSearch: async () => [],
  };
  return { kb, state, entry };
}

test('entries come from memory until the version moves, checked at most every checkEveryMs', async () => {
  const { kb, state, entry } = fakeKb();
  let clock = 0;
  const cache = createKbCache(kb, { checkEveryMs: 5000, now: () => clock });
  assert.equal((await cache.get('passport', 'ru'))?.answer, 'old answer');
  for (let i = 0; i < 10; i++) await cache.get('passport', 'ru');
  assert.deepEqual({ lists: state.lists, versions: state.versions }, { lists: 1, versions: 1 });

  state.entries = [entry('passport', 'new answer')];
  state.version = 2;
  clock = 4000;
  assert.equal((await cache.get('passport', 'ru'))?.answer, 'old answer', 'within the window the copy stands');
  clock = 5000;
  assert.equal((await cache.get('passport', 'ru'))?.answer, 'new answer');
  assert.equal(state.lists, 2);
  clock = 10_000;
  await cache.get('passport', 'ru');
  assert.equal(state.lists, 2, 'same version: nothing reloaded');
});

test('a miss asks the version at once, so an entry added a moment ago is found', async () => {
  const { kb, state, entry } = fakeKb();
  const cache = createKbCache(kb, { checkEveryMs: 60_000, now: () => 0 });
  await cache.get('passport', 'ru');
  state.entries = [...state.entries, entry('pension', 'pension answer')];
  state.version = 2;
  assert.equal((await cache.get('pension', 'ru'))?.answer, 'pension answer');
  assert.equal(await cache.get('nothing', 'ru'), undefined);
});

test('concurrent lookups share one load', async () => {
  const { kb, state } = fakeKb();
  const cache = createKbCache(kb);
  await Promise.all(Array.from({ length: 20 }, () => cache.get('passport', 'ru')));
  assert.equal(state.lists, 1);
});
