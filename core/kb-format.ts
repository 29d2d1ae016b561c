/**
 * The knowledge-base exchange formats: JSON Lines (one entry per line and language) and CSV with
 * the same columns. Parsing collects every problem with its line and field, so an administrator
 * fixes a file in one pass; an import with any problem imports nothing.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { KbEntry } from './kb.ts';

/** Ids travel in button data (Telegram allows 64 bytes), hence the length and alphabet. */
export const KB_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,55}$/;

const lineSchema = z
  .object({
    id: z.string({ error: 'required, a string' }).regex(KB_ID_PATTERN, 'letters, digits, . _ - only, at most 56 characters'),
    lang: z.enum(['kk', 'ru', 'en'], { error: 'must be "kk", "ru" or "en"' }),
    question: z.string({ error: 'required, a string' }).trim().min(1, 'must not be empty').max(1000, 'at most 1000 characters'),
    answer: z.string({ error: 'required, a string' }).trim().min(1, 'must not be empty').max(10_000, 'at most 10000 characters'),
    alt_questions: z
      .array(z.string().trim().min(1, 'must not contain empty phrasings').max(1000), { error: 'must be a list of strings' })
      .max(100, 'at most 100 phrasings')
      .optional(),
    // Not a string keeps zod's own "expected string"; a malformed URL gets the message below.
    source_url: z
      .url({ error: (issue) => (issue.code === 'invalid_type' ? undefined : 'must be an http(s) URL') })
      .refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL')
      .nullable()
      .optional(),
    category: z.string().trim().max(64, 'at most 64 characters').nullable().optional(),
    enabled: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict();

export interface FormatProblem {
  line: number;
  field: string | null;
  message: string;
}

export interface ParseResult {
  entries: KbEntry[];
  problems: FormatProblem[];
}

/** Parses JSON Lines; blank lines are allowed and skipped. */
export function parseKbJsonl(text: string): ParseResult {
  const records: { line: number; value: unknown }[] = [];
  const problems: FormatProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      records.push({ line: i + 1, value: JSON.parse(raw) });
    } catch (err) {
      problems.push({ line: i + 1, field: null, message: `not valid JSON (${(err as Error).message})` });
    }
  });
  return validate(records, problems);
}

const CSV_COLUMNS = ['id', 'lang', 'question', 'answer', 'alt_questions', 'source_url', 'category', 'enabled'];

/**
 * Parses CSV with a header row naming the same columns as the JSON format; `alt_questions` holds
 * the phrasings separated by `|`, `enabled` is true/false or empty.
 */
export function parseKbCsv(text: string): ParseResult {
  let rows: string[][];
  try {
    rows = parseCsv(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    const e = err as Error & { lines?: number };
    return { entries: [], problems: [{ line: e.lines ?? 1, field: null, message: `not valid CSV (${e.message})` }] };
  }
  const problems: FormatProblem[] = [];
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  for (const h of header) if (!CSV_COLUMNS.includes(h)) problems.push({ line: 1, field: h, message: 'unknown column' });
  for (const required of ['id', 'lang', 'question', 'answer']) {
    if (!header.includes(required)) problems.push({ line: 1, field: required, message: 'missing column' });
  }
  if (problems.length > 0) return { entries: [], problems };
  const records = rows.slice(1).map((cells, i) => {
    const value: Record<string, unknown> = {};
    if (cells.length !== header.length) {
      problems.push({ line: i + 2, field: null, message: `has ${cells.length} cells, the header has ${header.length}` });
    }
    header.forEach((h, j) => {
      const cell = (cells[j] ?? '').trim();
      if (cell === '') return;
      if (h === 'alt_questions') value[h] = cell.split('|').map((s) => s.trim()).filter(Boolean);
      else if (h === 'enabled') value[h] = cell === 'true' ? true : cell === 'false' ? false : cell;
      else value[h] = cell;
    });
    return { line: i + 2, value };
  });
  return validate(records, problems);
}

function validate(records: { line: number; value: unknown }[], problems: FormatProblem[]): ParseResult {
  const entries: KbEntry[] = [];
  const seen = new Map<string, number>();
  for (const { line, value } of records) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ line, field: null, message: 'must be a JSON object' });
      continue;
    }
    const parsed = lineSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          for (const k of issue.keys) problems.push({ line, field: k, message: 'unknown field' });
        } else {
          problems.push({ line, field: issue.path.length ? issue.path.join('.') : null, message: issue.message });
        }
      }
      continue;
    }
    const v = parsed.data;
    const k = `${v.id}\u0000${v.lang}`;
    const first = seen.get(k);
    if (first !== undefined) {
      problems.push({ line, field: 'id', message: `duplicate of line ${first} (same id "${v.id}" and lang "${v.lang}")` });
      continue;
    }
    seen.set(k, line);
    entries.push({
      id: v.id,
      lang: v.lang,
      question: v.question,
      answer: v.answer,
      altQuestions: v.alt_questions ?? [],
      sourceUrl: v.source_url ?? null,
      category: v.category ?? null,
      enabled: v.enabled ?? true,
    });
  }
  problems.sort((a, b) => a.line - b.line);
  return { entries: problems.length ? [] : entries, problems };
}

/** One entry as a JSON line, fields in the documented order; `enabled` only when false. */
export function formatKbLine(e: KbEntry): string {
  const out: Record<string, unknown> = { id: e.id, lang: e.lang, question: e.question, answer: e.answer };
  if (e.altQuestions.length > 0) out.alt_questions = e.altQuestions;
  if (e.sourceUrl !== null) out.source_url = e.sourceUrl;
  if (e.category !== null) out.category = e.category;
  if (!e.enabled) out.enabled = false;
  return JSON.stringify(out);
}

/** Human-readable problem list, one per line: "line 3, field lang: must be …". */
export function describeProblems(problems: FormatProblem[]): string {
  return problems.map((p) => `line ${p.line}${p.field ? `, field ${p.field}` : ''}: ${p.message}`).join('\n');
}
