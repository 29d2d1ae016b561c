/**
 * Knowledge-base entries: one official question and answer about one government service, in one
 * language. Rows that share an `id` are translations of the same entry.
 */
import type { Lang } from './lang.ts';

export interface KbEntry {
  id: string;
  lang: Lang;
  question: string;
  answer: string;
  altQuestions: string[];
  sourceUrl: string | null;
  category: string | null;
  enabled: boolean;
}

/** A stored entry: what was imported plus the bookkeeping the database adds. */
export interface StoredKbEntry extends KbEntry {
  /** Bumped each time the row's content changes. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What an import did, row by row (id + lang). */
export interface ImportSummary {
  inserted: number;
  updated: number;
  unchanged: number;
  removed: number;
  /** Knowledge-base version after the import; unchanged when nothing changed. */
  kbVersion: number;
}

/** Fields that make two rows "the same" for re-import; timestamps and versions do not count. */
export function sameContent(a: KbEntry, b: KbEntry): boolean {
  return (
    a.question === b.question &&
    a.answer === b.answer &&
    a.sourceUrl === b.sourceUrl &&
    a.category === b.category &&
    a.enabled === b.enabled &&
    a.altQuestions.length === b.altQuestions.length &&
    a.altQuestions.every((q, i) => q === b.altQuestions[i])
  );
}
