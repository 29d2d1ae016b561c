/**
 * What admins learn from the conversations: unanswered questions grouped by similarity (with
 * the entries that come closest, to add a phrasing to) and analytics over a chosen period.
 */
import type { Context } from 'hono';
import { canBePhrasing } from '../core/operator-unanswered.ts';
import type { ConsoleContext, ConsoleRoute } from './context.ts';

const DAY = 24 * 60 * 60_000;

export function insightRoutes(ctx: ConsoleContext, timezone: string): ConsoleRoute[] {
  const { analytics, unanswered } = ctx;

  function period(c: Context): { from: Date; to: Date } | undefined {
    const to = c.req.query('to') ? new Date(String(c.req.query('to'))) : ctx.clock.now();
    const from = c.req.query('from') ? new Date(String(c.req.query('from'))) : new Date(to.getTime() - 7 * DAY);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to || to.getTime() - from.getTime() > 400 * DAY) return undefined;
    return { from, to };
  }

  return [
    {
      method: 'GET',
      path: '/api/analytics',
      admin: true,
      handler: async (c) => {
        const p = period(c);
        if (!p) return c.json({ error: 'from and to must be dates, from before to, at most 400 days apart', code: 'invalid' }, 400);
        return c.json(await analytics.report({ ...p, timezone }));
      },
    },
    {
      method: 'GET',
      path: '/api/unanswered',
      admin: true,
      handler: async (c) => {
        const p = period(c);
        if (!p) return c.json({ error: 'from and to must be dates, from before to, at most 400 days apart', code: 'invalid' }, 400);
        const groups = (await unanswered.groups(p)).slice(0, 100);
        // The closest existing entries, so "add as a phrasing" is one click away — never for a
        // request for a person or small talk, which would teach an entry to answer those.
        const withSuggestions = await Promise.all(
          groups.map(async (g) => {
            if (!canBePhrasing(g.question)) return { ...g, suggestions: [] };
            const hits = await ctx.kb.lexicalSearch(g.question, { limit: 3 });
            const suggestions = [];
            for (const h of hits) {
              const e = await ctx.kb.get(h.faqId, h.lang);
              if (e) suggestions.push({ id: e.id, lang: e.lang, question: e.question });
            }
            return { ...g, suggestions };
          }),
        );
        return c.json({ groups: withSuggestions });
      },
    },
  ];
}
