/**
 * Knowledge-base administration (admins): search, read an entry with its history, create, edit,
 * disable/enable, add an alternative phrasing. Input is validated by the same rules as a file
 * import; every change is audited and triggers a retrain.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { describeProblems, KB_ID_PATTERN, parseKbJsonl } from '../core/kb-format.ts';
import type { KbEntry } from '../core/kb.ts';
import { LANGS } from '../core/lang.ts';
import { OperatorActionError } from '../core/operator-errors.ts';
import type { Context } from 'hono';
import { jsonBody, refused, type ConsoleContext, type ConsoleRoute } from './context.ts';
import type { ConsoleEnv } from './session-guard.ts';

const Translation = z.object({
  lang: z.enum(LANGS),
  question: z.string(),
  answer: z.string(),
  altQuestions: z.array(z.string()).default([]),
  sourceUrl: z.string().nullable().optional(),
  category: z.string().nullable().optional(),
  enabled: z.boolean().default(true),
});
const SaveBody = z.object({ id: z.string().optional(), translations: z.array(Translation).min(1).max(3) });
const AltBody = z.object({ lang: z.enum(LANGS), text: z.string().trim().min(1).max(1000) });
const EnabledBody = z.object({ enabled: z.boolean() });

export function kbRoutes(ctx: ConsoleContext): ConsoleRoute[] {
  const admin = ctx.kbAdmin;

  async function changed(c: Context<ConsoleEnv>, action: string, id: string, details: Record<string, unknown>): Promise<void> {
    await ctx.audit.record({ operatorId: c.get('session').operator.id, action, target: id, details });
    if (ctx.onKbChanged) {
      // Retraining takes a while; the admin's request does not wait for it.
      void ctx.onKbChanged().catch((err: Error) => ctx.logger.error({ err: { message: err.message } }, 'retrain after a knowledge-base change failed'));
    }
  }

  async function save(c: Context<ConsoleEnv>, id: string, creating: boolean) {
    const body = SaveBody.safeParse(await jsonBody(c));
    if (!body.success) throw new OperatorActionError('invalid', 'translations are required (lang, question, answer)');
    if (!KB_ID_PATTERN.test(id)) throw new OperatorActionError('invalid', 'id: letters, digits, . _ - only, at most 56 characters');
    const langs = body.data.translations.map((t) => t.lang);
    if (new Set(langs).size !== langs.length) throw new OperatorActionError('invalid', 'one translation per language');
    const existing = await admin.entry(id);
    if (creating && existing?.translations.length) throw new OperatorActionError('conflict', `entry "${id}" already exists`);
    if (!creating && !existing?.translations.length) throw new OperatorActionError('not-found', `no entry "${id}"`);
    const entries = validated(id, body.data.translations);
    const summary = await admin.save(entries, c.get('session').operator.username);
    if (summary.inserted + summary.updated > 0) await changed(c, creating ? 'kb-create' : 'kb-update', id, { langs, kbVersion: summary.kbVersion });
    return c.json({ id, summary });
  }

  const guarded = (handler: (c: Context<ConsoleEnv>) => Promise<Response>) => async (c: Context<ConsoleEnv>) => {
    try {
      return await handler(c);
    } catch (err) {
      return refused(c, err);
    }
  };

  return [
    {
      method: 'GET',
      path: '/api/kb-model',
      admin: true,
      handler: async (c) => c.json(ctx.modelStatus?.() ?? { status: 'loading' }),
    },
    {
      method: 'GET',
      path: '/api/kb',
      admin: true,
      handler: async (c) => c.json(await admin.search(c.req.query('q') ?? '', { limit: Number(c.req.query('limit')) || 50, offset: Number(c.req.query('offset')) || 0 })),
    },
    {
      method: 'GET',
      path: '/api/kb/:id',
      admin: true,
      handler: async (c) => {
        const found = await admin.entry(c.req.param('id') ?? '');
        return found ? c.json({ id: c.req.param('id'), ...found, kbVersion: await ctx.kb.version() }) : c.json({ error: 'not found', code: 'not-found' }, 404);
      },
    },
    {
      method: 'POST',
      path: '/api/kb',
      admin: true,
      handler: guarded(async (c) => {
        const raw = (await c.req.json().catch(() => ({}))) as { id?: unknown; translations?: { question?: unknown }[] };
        const id = typeof raw.id === 'string' && raw.id.trim() ? raw.id.trim() : slug(String(raw.translations?.[0]?.question ?? 'entry'));
        return save(c, id, true);
      }),
    },
    { method: 'PUT', path: '/api/kb/:id', admin: true, handler: guarded((c) => save(c, c.req.param('id') ?? '', false)) },
    {
      method: 'POST',
      path: '/api/kb/:id/enabled',
      admin: true,
      handler: guarded(async (c) => {
        const body = EnabledBody.safeParse(await jsonBody(c));
        if (!body.success) throw new OperatorActionError('invalid', 'enabled must be true or false');
        const id = c.req.param('id') ?? '';
        const summary = await admin.setEnabled(id, body.data.enabled, c.get('session').operator.username);
        if (!summary) throw new OperatorActionError('not-found', `no entry "${id}"`);
        if (summary.updated > 0) await changed(c, body.data.enabled ? 'kb-enable' : 'kb-disable', id, { kbVersion: summary.kbVersion });
        return c.json({ id, summary });
      }),
    },
    {
      method: 'POST',
      path: '/api/kb/:id/alternatives',
      admin: true,
      handler: guarded(async (c) => {
        const body = AltBody.safeParse(await jsonBody(c));
        if (!body.success) throw new OperatorActionError('invalid', 'lang and text are required');
        const id = c.req.param('id') ?? '';
        const summary = await admin.addAlternative(id, body.data.lang, body.data.text, c.get('session').operator.username);
        if (!summary) throw new OperatorActionError('not-found', `entry "${id}" has no ${body.data.lang} translation`);
        if (summary.updated > 0) await changed(c, 'kb-add-phrasing', id, { lang: body.data.lang, text: body.data.text, kbVersion: summary.kbVersion });
        return c.json({ id, summary });
      }),
    },
  ];
}

/** Checks translations with the import's own rules, so the console cannot store what a file could not. */
function validated(id: string, translations: z.infer<typeof Translation>[]): KbEntry[] {
  const lines = translations.map((t) =>
    JSON.stringify({
      id,
      lang: t.lang,
      question: t.question,
      answer: t.answer,
      alt_questions: t.altQuestions.map((q) => q.trim()).filter(Boolean),
      source_url: t.sourceUrl?.trim() || null,
      category: t.category?.trim() || null,
      enabled: t.enabled,
    }),
  );
  const parsed = parseKbJsonl(lines.join('\n'));
  if (parsed.problems.length > 0) {
    const problems = parsed.problems.map((p) => ({ ...p, lang: translations[p.line - 1]?.lang }));
    throw new OperatorActionError('invalid', describeProblems(parsed.problems).replace(/line (\d+)/g, (_m, n: string) => translations[Number(n) - 1]?.lang ?? `line ${n}`), { problems });
  }
  return parsed.entries;
}

/** A readable id from a question, transliterated to Latin and made unique by a suffix. */
function slug(question: string): string {
  const base = [...question.toLowerCase()]
    .map((ch) => TRANSLIT[ch] ?? ch)
    .join('')
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${base || 'entry'}-${randomBytes(3).toString('hex')}`;
}

// Russian and Kazakh Cyrillic to plain Latin, only for readable ids (not the official alphabet).
const TRANSLIT: Record<string, string> = Object.fromEntries(
  'а:a б:b в:v г:g д:d е:e ё:e ж:zh з:z и:i й:i к:k л:l м:m н:n о:o п:p р:r с:s т:t у:u ф:f х:h ц:ts ч:ch ш:sh щ:sch ъ: ы:y ь: э:e ю:yu я:ya ә:a ғ:g қ:q ң:n ө:o ұ:u ү:u һ:h і:i'
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);
