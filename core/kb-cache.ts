/**
 * A read-through copy of the knowledge base for the pipeline's hot path: every answer looks up
 * its entry (and a clarification up to three), and the worker's retriever already follows the
 * knowledge base by version, so entries are served from memory and reloaded when the version
 * moved. The version is asked at most every `checkEveryMs` — the same window in which the
 * retriever notices a change — so an edit reaches answers within seconds, never half-applied.
 */
import type { StoredKbEntry } from './kb.ts';
import type { Lang } from './lang.ts';
import type { KnowledgeBase } from './ports.ts';

export interface KbCacheOptions {
  /** How often a lookup may ask the knowledge base for its version (default 5000 ms). */
  checkEveryMs?: number;
  now?: () => number;
}

export function createKbCache(kb: KnowledgeBase, opts: KbCacheOptions = {}): KnowledgeBase {
  const now = opts.now ?? Date.now;
  const checkEvery = opts.checkEveryMs ?? 5000;
  let entries: { version: number; byKey: Map<string, StoredKbEntry>; all: StoredKbEntry[]; enabled: StoredKbEntry[] } | null = null;
  let checkedAt = -Infinity;
  let loading: Promise<void> | null = null;

  async function load(): Promise<void> {
    const version = await kb.version();
    checkedAt = now();
    if (entries?.version === version) return;
    // Listed after the version was read: a change in between makes the next check reload.
    const list = await kb.list();
    entries = { version, byKey: new Map(list.map((e) => [key(e.id, e.lang), e])), all: list, enabled: list.filter((e) => e.enabled) };
  }

  async function fresh(force = false): Promise<NonNullable<typeof entries>> {
    if (force || !entries || now() - checkedAt >= checkEvery) {
      // Concurrent lookups share one reload.
      loading ??= load().finally(() => (loading = null));
      await loading;
    }
    return entries!;
  }
  const current = async (force = false) => (await fresh(force)).byKey;

  return {
    version: () => kb.version(),
    // Follow-up questions read the whole list (a topic's facet entries); the same arrays are
    // returned until the version moves, so what is derived from them can be kept by identity.
    list: async (o) => {
      const e = await fresh();
      return o?.enabledOnly ? e.enabled : e.all;
    },
    lexicalSearch: (q, o) => kb.lexicalSearch(q, o),
    async get(id: string, lang: Lang) {
      const found = (await current()).get(key(id, lang));
      if (found) return found;
      // A miss may be an entry added a moment ago (the retriever can be fresher than this copy):
      // ask the version now rather than answer "no such entry" for up to `checkEveryMs`.
      return (await current(true)).get(key(id, lang));
    },
    async import(list, o) {
      const summary = await kb.import(list, o);
      checkedAt = -Infinity;
      return summary;
    },
  };
}

function key(id: string, lang: Lang): string {
  return `${id}\u0000${lang}`;
}
