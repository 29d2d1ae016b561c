/**
 * Loads Kömek's citizen-question corpus: many phrasings per government service, in Kazakh,
 * Russian and English, used to pretrain the encoder before it adapts to a deployer's knowledge
 * base. The corpus ships as `services-*.jsonl` files in `data/corpus/` (data beside the demo knowledge
 * base, not code); see its README.md.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** One service or life situation with the ways citizens ask about it. */
export interface CorpusService {
  /** Kebab-case id, unique across the whole corpus. */
  service: string;
  /** Coarse area (documents, health, taxes, …); useful for hard negatives and reports. */
  category: string;
  /** Phrasings per language; within one service they are positives of each other. */
  texts: { kk: string[]; ru: string[]; en: string[] };
}

/** A corpus file that cannot be used as is; names the file and the 1-based line. */
export class CorpusFormatError extends Error {
  override readonly name = 'CorpusFormatError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}:${line}: ${detail}`, options);
  }
}

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const phrasing = z
  .string()
  .min(1, 'empty phrasing')
  .refine((s) => s.trim() === s, 'phrasing has leading or trailing spaces');

// Strict, so a misspelt key ("russian", "kz") fails loudly instead of silently losing lines.
const lineSchema = z.strictObject({
  service: z.string().regex(KEBAB, 'service must be kebab-case'),
  category: z.string().regex(KEBAB, 'category must be kebab-case'),
  kk: z.array(phrasing).min(1, 'no kk phrasings'),
  ru: z.array(phrasing).min(1, 'no ru phrasings'),
  en: z.array(phrasing),
});

/** `data/corpus/` of this installation: the corpus travels with the code, wherever it is installed. */
function defaultDir(): string {
  return fileURLToPath(new URL('../data/corpus/', import.meta.url));
}

/**
 * Reads every `services-*.jsonl` in `dir` (default: `data/corpus/`), in file-name
 * order, and validates each line.
 *
 * @throws CorpusFormatError naming file and line for invalid JSON, a wrong shape, or a service id
 *   used twice; a plain Error when the folder holds no corpus files.
 */
export async function loadCorpus(dir: string = defaultDir()): Promise<CorpusService[]> {
  const files = (await readdir(dir)).filter((f) => /^services-.+\.jsonl$/.test(f)).sort();
  if (files.length === 0) throw new Error(`no services-*.jsonl files in ${dir}`);
  const seen = new Map<string, string>();
  const services: CorpusService[] = [];
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8');
    for (const [service, where] of parseCorpusFile(basename(file), text)) {
      const first = seen.get(service.service);
      if (first) {
        throw new CorpusFormatError(where.file, where.line, `service "${service.service}" already defined at ${first}`);
      }
      seen.set(service.service, `${where.file}:${where.line}`);
      services.push(service);
    }
  }
  return services;
}

/** Parses one JSONL file's text; blank lines are allowed (a trailing newline, say). */
export function parseCorpusFile(file: string, text: string): Array<[CorpusService, { file: string; line: number }]> {
  const out: Array<[CorpusService, { file: string; line: number }]> = [];
  text.split('\n').forEach(function parseLine(raw, index) {
    const line = index + 1;
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (cause) {
      throw new CorpusFormatError(file, line, `invalid JSON (${(cause as Error).message})`, { cause });
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`);
      throw new CorpusFormatError(file, line, issues.join('; '));
    }
    const { service, category, kk, ru, en } = parsed.data;
    out.push([{ service, category, texts: { kk, ru, en } }, { file, line }]);
  });
  return out;
}
