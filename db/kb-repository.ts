/**
 * The knowledge base in Postgres: all-or-nothing import with per-row versions, export, and
 * lexical search (full-text plus trigram similarity) that works the same on PGlite.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { ImportSummary, KbEntry, StoredKbEntry } from '../core/kb.ts';
import { sameContent } from '../core/kb.ts';
import { isLang, type Lang } from '../core/lang.ts';
import type { KnowledgeBase, LexicalHit } from '../core/ports.ts';
import type { Db } from './client.ts';
import { counters, kbEntries, kbHistory } from './schema.ts';

const KB_VERSION = 'kb_version';
const INSERT_BATCH = 200;

export interface KbRepositoryOptions {
  /** Called while a large import is written, so the CLI can show progress. */
  onProgress?: (done: number, total: number) => void;
}

/** Creates the Postgres-backed {@link KnowledgeBase}. */
export function createKbRepository(db: Db): KnowledgeBase & {
  importWithProgress(entries: KbEntry[], opts: { replace?: boolean; changedBy?: string } & KbRepositoryOptions): Promise<ImportSummary>;
} {
  const version = () => currentVersion(db);

  async function list(opts: { enabledOnly?: boolean } = {}): Promise<StoredKbEntry[]> {
    const rows = await db
      .select()
      .from(kbEntries)
      .where(opts.enabledOnly ? eq(kbEntries.enabled, true) : undefined)
      .orderBy(asc(kbEntries.id), asc(kbEntries.lang));
    return rows.map(toStored);
  }

  async function get(id: string, lang: Lang): Promise<StoredKbEntry | undefined> {
    const rows = await db.select().from(kbEntries).where(and(eq(kbEntries.id, id), eq(kbEntries.lang, lang)));
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  async function importWithProgress(
    entries: KbEntry[],
    opts: { replace?: boolean; changedBy?: string } & KbRepositoryOptions = {},
  ): Promise<ImportSummary> {
    return db.transaction(async (tx) => {
      const existing = new Map<string, StoredKbEntry>();
      for (const row of await tx.select().from(kbEntries)) existing.set(key(row.id, row.lang), toStored(row));
      const summary: ImportSummary = { inserted: 0, updated: 0, unchanged: 0, removed: 0, kbVersion: 0 };
      const toInsert: KbEntry[] = [];
      const history: (typeof kbHistory.$inferInsert)[] = [];
      let done = 0;
      for (const entry of entries) {
        const old = existing.get(key(entry.id, entry.lang));
        existing.delete(key(entry.id, entry.lang));
        if (!old) {
          toInsert.push(entry);
          history.push(historyRow(entry, 1, 'create', opts.changedBy));
        } else if (!sameContent(old, entry)) {
          await tx
            .update(kbEntries)
            .set({ ...contentColumns(entry), version: old.version + 1, updatedAt: new Date() })
            .where(and(eq(kbEntries.id, entry.id), eq(kbEntries.lang, entry.lang)));
          history.push(historyRow(entry, old.version + 1, 'update', opts.changedBy));
          summary.updated++;
        } else {
          summary.unchanged++;
        }
        done++;
        if (done % 500 === 0) opts.onProgress?.(done, entries.length);
      }
      for (let i = 0; i < toInsert.length; i += INSERT_BATCH) {
        const batch = toInsert.slice(i, i + INSERT_BATCH);
        await tx.insert(kbEntries).values(batch.map((e) => ({ id: e.id, lang: e.lang, ...contentColumns(e) })));
        summary.inserted += batch.length;
      }
      if (opts.replace) {
        for (const old of existing.values()) {
          await tx.delete(kbEntries).where(and(eq(kbEntries.id, old.id), eq(kbEntries.lang, old.lang)));
          history.push(historyRow(old, old.version, 'delete', opts.changedBy));
          summary.removed++;
        }
      }
      for (let i = 0; i < history.length; i += INSERT_BATCH) await tx.insert(kbHistory).values(history.slice(i, i + INSERT_BATCH));
      opts.onProgress?.(entries.length, entries.length);
      const changed = summary.inserted + summary.updated + summary.removed > 0;
      summary.kbVersion = changed ? await bumpVersion(tx as unknown as Db) : await currentVersion(tx as unknown as Db);
      return summary;
    });
  }

  async function lexicalSearch(query: string, opts: { lang?: Lang; limit?: number } = {}): Promise<LexicalHit[]> {
    const q = lexicalQuery(query);
    if (!q.text) return [];
    const limit = opts.limit ?? 10;
    const tsq = q.tsquery ? sql`to_tsquery('simple', ${q.tsquery})` : sql`''::tsquery`;
    const rows = await db.execute<{ id: string; lang: string; score: number }>(sql`
      select id, lang,
        (ts_rank_cd(search_vector, ${tsq}, 32) + 0.5 * word_similarity(${q.text}, search_text))::float8 as score
      from kb_entries
      where enabled
        ${opts.lang ? sql`and lang = ${opts.lang}` : sql``}
        and (search_vector @@ ${tsq} or word_similarity(${q.text}, search_text) > 0.3)
      order by score desc, id
      limit ${limit}`);
    return rowsOf<{ id: string; lang: string; score: number }>(rows)
      .filter((r) => isLang(r.lang))
      .map((r) => ({ faqId: r.id, lang: r.lang as Lang, score: Number(r.score) }));
  }

  return {
    version,
    list,
    get,
    import: (entries, opts) => importWithProgress(entries, opts ?? {}),
    importWithProgress,
    lexicalSearch,
  };
}

/** The two drivers return `execute` results in different shapes. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

const key = (id: string, lang: string) => `${id}\u0000${lang}`;

async function currentVersion(db: Db): Promise<number> {
  const rows = await db.select({ value: counters.value }).from(counters).where(eq(counters.name, KB_VERSION));
  return rows[0]?.value ?? 0;
}

async function bumpVersion(db: Db): Promise<number> {
  const rows = await db
    .insert(counters)
    .values({ name: KB_VERSION, value: 1 })
    .onConflictDoUpdate({ target: counters.name, set: { value: sql`${counters.value} + 1` } })
    .returning({ value: counters.value });
  return rows[0]!.value;
}

function contentColumns(e: KbEntry) {
  const searchText = searchable([e.question, ...e.altQuestions].join(' \n '));
  const fullText = searchable([e.question, ...e.altQuestions, e.answer].join(' \n '));
  return {
    question: e.question,
    answer: e.answer,
    altQuestions: e.altQuestions,
    sourceUrl: e.sourceUrl,
    category: e.category,
    enabled: e.enabled,
    searchText,
    // 'simple' for every language: Postgres has no Kazakh stemmer, and one configuration lets a
    // query be matched against all languages at once; prefixes stand in for stemming.
    searchVector: sql`to_tsvector('simple', ${fullText})` as unknown as string,
  };
}

function historyRow(e: KbEntry, version: number, action: string, changedBy: string | undefined) {
  const snapshot: KbEntry = {
    id: e.id,
    lang: e.lang,
    question: e.question,
    answer: e.answer,
    altQuestions: e.altQuestions,
    sourceUrl: e.sourceUrl,
    category: e.category,
    enabled: e.enabled,
  };
  return { entryId: e.id, lang: e.lang, version, action, changedBy: changedBy ?? null, snapshot };
}

/** Lower case, ё→е, letters and digits only: the same folding for stored text and queries. */
export function searchable(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Builds an OR query of word prefixes: citizens' questions share few exact words with the
 * official ones, and truncating long words to a prefix covers most Kazakh and Russian endings.
 */
export function lexicalQuery(query: string): { text: string; tsquery: string } {
  const text = searchable(query);
  const terms = new Set<string>();
  for (const word of text.split(' ')) {
    if ([...word].length < 3) continue;
    const chars = [...word];
    terms.add(`${chars.length > 6 ? chars.slice(0, Math.max(5, chars.length - 3)).join('') : word}:*`);
  }
  return { text, tsquery: [...terms].join(' | ') };
}

function toStored(row: typeof kbEntries.$inferSelect): StoredKbEntry {
  return {
    id: row.id,
    lang: row.lang as Lang,
    question: row.question,
    answer: row.answer,
    altQuestions: row.altQuestions,
    sourceUrl: row.sourceUrl,
    category: row.category,
    enabled: row.enabled,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
