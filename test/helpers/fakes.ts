/**
 * Fakes of core's ports for unit tests: a knowledge base in memory, a scripted retriever, a
 * detector by letters, a fixed clock and a logger that records lines.
 */
import type { PipelineOptions } from '../../core/pipeline.ts';
import type { KbEntry, StoredKbEntry } from '../../core/kb.ts';
import type { Lang } from '../../core/lang.ts';
import type { Candidate, Clock, KnowledgeBase, LanguageDetector, Logger, Retriever } from '../../core/ports.ts';

export function entry(id: string, lang: Lang, question: string, answer: string, extra: Partial<KbEntry> = {}): KbEntry {
  return { id, lang, question, answer, altQuestions: [], sourceUrl: `https://egov.kz/cms/${lang}`, category: 'documents', enabled: true, ...extra };
}

export function fakeKb(entries: KbEntry[]): KnowledgeBase {
  const rows: StoredKbEntry[] = entries.map((e) => ({ ...e, version: 1, createdAt: new Date(0), updatedAt: new Date(0) }));
  return {
    version: async () => 1,
    list: async () => rows,
    get: async (id, lang) => rows.find((r) => r.id === id && r.lang === lang),
    import: async () => ({ inserted: 0, updated: 0, unchanged: 0, removed: 0, kbVersion: 1 }),
    lexicalSearch: async () => [],
  };
}

/** Returns the candidates scripted for a text (by substring), else nothing. */
export function scriptedRetriever(script: Record<string, Candidate[]>): Retriever & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async retrieve(text) {
      calls.push(text);
      const key = Object.keys(script).find((k) => text.includes(k));
      return key ? script[key]! : [];
    },
  };
}

export const letterDetector: LanguageDetector = {
  detect(text) {
    if (/[әғқңөұүһі]/i.test(text)) return { lang: 'kk', confidence: 0.95 };
    if (/[а-яё]/i.test(text)) return { lang: 'ru', confidence: 0.8 };
    return { lang: 'en', confidence: 0.7 };
  },
};

export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => now, set: (v) => (now = new Date(v)) };
}

export function recordingLogger(): Logger & { lines: { level: string; obj: object; msg?: string }[] } {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const make = (bindings: object): Logger => ({
    debug: (obj, msg) => lines.push({ level: 'debug', obj: { ...bindings, ...obj }, msg }),
    info: (obj, msg) => lines.push({ level: 'info', obj: { ...bindings, ...obj }, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj: { ...bindings, ...obj }, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj: { ...bindings, ...obj }, msg }),
    child: (b) => make({ ...bindings, ...b }),
  });
  return Object.assign(make({}), { lines });
}

/** Pipeline options of the core tests: weekday office hours 09–18 in Almaty, `overrides` on top. */
export function pipelineOptions(overrides: Partial<PipelineOptions> = {}): PipelineOptions {
  return {
    thresholds: { answer: 0.6, clarify: 0.3, margin: 0.1 },
    maxMessageChars: 2000,
    escalation: { categories: [], keywords: [] },
    officeHours: { from: '09:00', to: '18:00', days: [1, 2, 3, 4, 5], timezone: 'Asia/Almaty' },
    ...overrides,
  };
}
