/**
 * Knowledge-base administration for the console: search by any wording, one entry in every
 * language with its history (who changed what, when), and single-entry saves. Saves go through
 * the knowledge base's own `import` (one entry, without `replace`), so versions, history and the
 * knowledge-base version the workers retrain on behave exactly as for a file import.
 */
import { sql } from 'drizzle-orm';
import type { KbEntry, ImportSummary, StoredKbEntry } from '../core/kb.ts';
import type { Lang } from '../core/lang.ts';
import type { KnowledgeBase } from '../core/ports.ts';
import type { Db } from './client.ts';
import { rows, toDate, toNumber } from './raw-sql.ts';

export interface KbListItem {
  id: string;
  category: string | null;
  enabled: boolean;
  updatedAt: Date;
  /** The question in each language the entry has. */
  questions: Partial<Record<Lang, string>>;
}

export interface KbHistoryItem {
  seq: number;
  lang: Lang;
  version: number;
  action: string;
  changedBy: string | null;
  changedAt: Date;
  snapshot: KbEntry;
}

export function createOperatorKb(db: Db, kb: KnowledgeBase) {
  async function search(query: string, opts: { limit?: number; offset?: number } = {}): Promise<{ items: KbListItem[]; total: number }> {
    const q = query.trim().toLowerCase();
    const like = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const where = q
      ? sql`where id in (select id from kb_entries where id ilike ${like} or search_text ilike ${like} or answer ilike ${like} or coalesce(category, '') ilike ${like})`
      : sql``;
    const found = await rows<Record<string, unknown>>(
      db,
      sql`select id, max(category) as category, bool_or(enabled) as enabled, max(updated_at) as updated_at,
            json_object_agg(lang, question) as questions, count(*) over () as total
          from kb_entries ${where}
          group by id order by max(updated_at) desc, id
          limit ${Math.min(opts.limit ?? 50, 200)} offset ${opts.offset ?? 0}`,
    );
    return {
      total: toNumber(found[0]?.total),
      items: found.map((r) => ({
        id: String(r.id),
        category: (r.category as string | null) ?? null,
        enabled: Boolean(r.enabled),
        updatedAt: toDate(r.updated_at),
        questions: (typeof r.questions === 'string' ? JSON.parse(r.questions) : r.questions) as KbListItem['questions'],
      })),
    };
  }

  async function entry(id: string): Promise<{ translations: StoredKbEntry[]; history: KbHistoryItem[] } | undefined> {
    const translations = (await Promise.all((['kk', 'ru', 'en'] as const).map((l) => kb.get(id, l)))).filter((e): e is StoredKbEntry => !!e);
    const history = await rows<Record<string, unknown>>(
      db,
      sql`select seq, lang, version, action, changed_by, changed_at, snapshot from kb_history where entry_id = ${id} order by seq desc limit 200`,
    );
    if (translations.length === 0 && history.length === 0) return undefined;
    return {
      translations,
      history: history.map((h) => ({
        seq: toNumber(h.seq),
        lang: h.lang as Lang,
        version: toNumber(h.version),
        action: String(h.action),
        changedBy: (h.changed_by as string | null) ?? null,
        changedAt: toDate(h.changed_at),
        snapshot: (typeof h.snapshot === 'string' ? JSON.parse(h.snapshot) : h.snapshot) as KbEntry,
      })),
    };
  }

  /** Creates or updates the given translations of one entry; other translations stay as they are. */
  async function save(entries: KbEntry[], changedBy: string): Promise<ImportSummary> {
    const ids = new Set(entries.map((e) => e.id));
    if (ids.size !== 1) throw new Error('save takes the translations of exactly one entry');
    return kb.import(entries, { changedBy });
  }

  /** Turns every translation on or off (a disabled entry is never answered, but kept with its history). */
  async function setEnabled(id: string, enabled: boolean, changedBy: string): Promise<ImportSummary | undefined> {
    const current = await entry(id);
    if (!current || current.translations.length === 0) return undefined;
    return save(current.translations.map((e) => ({ ...plain(e), enabled })), changedBy);
  }

  /** Adds a wording citizens used as an alternative phrasing of an entry in `lang`. */
  async function addAlternative(id: string, lang: Lang, phrasing: string, changedBy: string): Promise<ImportSummary | undefined> {
    const existing = await kb.get(id, lang);
    if (!existing) return undefined;
    const text = phrasing.trim();
    const folded = text.toLowerCase();
    if ([existing.question, ...existing.altQuestions].some((q) => q.toLowerCase() === folded)) return { inserted: 0, updated: 0, unchanged: 1, removed: 0, kbVersion: await kb.version() };
    return save([{ ...plain(existing), altQuestions: [...existing.altQuestions, text] }], changedBy);
  }

  return { search, entry, save, setEnabled, addAlternative };
}

export type OperatorKb = ReturnType<typeof createOperatorKb>;

function plain(e: StoredKbEntry): KbEntry {
  return { id: e.id, lang: e.lang, question: e.question, answer: e.answer, altQuestions: e.altQuestions, sourceUrl: e.sourceUrl, category: e.category, enabled: e.enabled };
}
