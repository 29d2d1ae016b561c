/**
 * Shared set-up of the messaging end-to-end tests: the demo knowledge base in a test database,
 * the real pipeline over it (lexical retrieval), and the texts a reply in a language may start
 * with, to check that every answer is in the citizen's language.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, type Config } from '../../app/config.ts';
import { createLexicalRetriever } from '../../inference/lexical-retriever.ts';
import { openRedis } from '../../app/connections.ts';
import type { RuntimeServices } from '../../app/runtime.ts';
import type { KbEntry } from '../../core/kb.ts';
import { parseKbJsonl } from '../../core/kb-format.ts';
import type { Lang } from '../../core/lang.ts';
import { createPipeline } from '../../core/pipeline.ts';
import { systemClock, type Logger } from '../../core/ports.ts';
import { TEXTS, unsupportedKind } from '../../core/texts.ts';
import { createConversationStore } from '../../db/conversation-store.ts';
import { createKbRepository } from '../../db/kb-repository.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { letterDetector, recordingLogger } from '../helpers/fakes.ts';

const DEMO_DIR = fileURLToPath(new URL('../../data/demo-kb', import.meta.url));

export async function demoKb(): Promise<KbEntry[]> {
  const files = (await readdir(DEMO_DIR)).filter((f) => f.endsWith('.jsonl')).sort();
  const text = (await Promise.all(files.map((f) => readFile(path.join(DEMO_DIR, f), 'utf8')))).join('\n');
  const parsed = parseKbJsonl(text);
  if (parsed.entries.length === 0) throw new Error('the demo knowledge base is empty');
  return parsed.entries;
}

/** Config from a few variables, as the CLI would parse them. */
export function testConfig(env: Record<string, string | undefined>): Config {
  return parseConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env });
}

export type TestServices = RuntimeServices & { close(): Promise<void> };

/**
 * The runtime's services over `db`, with the demo knowledge base imported, and the Redis client
 * when `config` names one (as the composition root opens it). `close()` closes that client, after
 * the runtime; the database stays the caller's.
 */
export async function testServices(
  db: TestDatabase,
  config: Config,
  entries: KbEntry[],
  logger: Logger = recordingLogger(),
): Promise<TestServices> {
  const kb = createKbRepository(db.database.db);
  await kb.import(entries, { changedBy: 'test' });
  const conversations = createConversationStore(db.database.db);
  const pipeline = createPipeline({
    kb,
    retriever: createLexicalRetriever(kb),
    detector: letterDetector,
    conversations,
    clock: systemClock,
    logger,
    options: {
      thresholds: { answer: 0.6, clarify: 0.35, margin: 0.1 },
      maxMessageChars: config.maxMessageChars,
      escalation: { categories: [], keywords: [] },
      officeHours: { from: '00:00', to: '23:59', days: [1, 2, 3, 4, 5, 6, 7], timezone: 'Asia/Almaty' },
    },
  });
  const redis = config.redisUrl ? openRedis(config.redisUrl, logger) : undefined;
  return { config, logger, pipeline, conversations, database: db.database, redis, close: async () => redis?.disconnect() };
}

/** Does `text` read as a reply in `lang`: a knowledge-base answer or a fixed text of that language? */
export function replyInLang(text: string, lang: Lang, entries: KbEntry[]): boolean {
  const starts = [
    ...entries.filter((e) => e.lang === lang).map((e) => e.answer),
    ...Object.values(TEXTS).map((t) => (t as Record<Lang, string>)[lang].split('{')[0]!),
    ...(['voice', 'photo', 'sticker', 'document', 'other'] as const).map((k) => unsupportedKind(k, lang)),
  ];
  return starts.some((s) => s.length > 0 && text.startsWith(s));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
