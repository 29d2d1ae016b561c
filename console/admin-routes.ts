/**
 * Admin-only API: canned responses, the audit log. (Knowledge base, unanswered questions and
 * analytics are added by their own route files.)
 */
import { z } from 'zod';
import { LANGS } from '../core/lang.ts';
import { OperatorActionError } from '../core/operator-errors.ts';
import { actorOf, jsonBody, refused, type ConsoleContext, type ConsoleRoute } from './context.ts';

const CannedBody = z.object({ lang: z.enum(LANGS), title: z.string().trim().min(1).max(80), text: z.string().trim().min(1).max(4000) });

export function adminRoutes(ctx: ConsoleContext): ConsoleRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/canned',
      admin: true,
      handler: async (c) => {
        try {
          const body = CannedBody.safeParse(await jsonBody(c));
          if (!body.success) throw new OperatorActionError('invalid', 'lang, title and text are required');
          const item = await ctx.canned.add(body.data);
          await ctx.audit.record({ operatorId: actorOf(c).id, action: 'canned-create', target: item.id, details: { lang: item.lang, title: item.title } });
          return c.json({ item });
        } catch (err) {
          return refused(c, err);
        }
      },
    },
    {
      method: 'DELETE',
      path: '/api/canned/:id',
      admin: true,
      handler: async (c) => {
        const id = c.req.param('id') ?? '';
        if (!(await ctx.canned.remove(id))) return c.json({ error: 'not found', code: 'not-found' }, 404);
        await ctx.audit.record({ operatorId: actorOf(c).id, action: 'canned-delete', target: id });
        return c.json({ ok: true });
      },
    },
    {
      method: 'GET',
      path: '/api/audit',
      admin: true,
      handler: async (c) => {
        const before = Number(c.req.query('before')) || undefined;
        const limit = Number(c.req.query('limit')) || 100;
        return c.json({ items: await ctx.audit.list({ before, limit, action: c.req.query('action') || undefined }) });
      },
    },
  ];
}
