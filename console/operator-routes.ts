/**
 * The operator's JSON API: the queue, one conversation, and the actions on it (claim, reply,
 * transfer, return to bot, close), canned responses, the list of colleagues and live events.
 */
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { isLang } from '../core/lang.ts';
import { OperatorActionError } from '../core/operator-errors.ts';
import { actorOf, jsonBody, refused, type ConsoleContext, type ConsoleRoute } from './context.ts';

const ReplyBody = z.object({ text: z.string().min(1).max(8000) });
const TransferBody = z.object({ operatorId: z.string().uuid() });

/** Heartbeat that keeps proxies from closing an idle event stream and notices ended sessions. */
const HEARTBEAT_MS = 15_000;

export function operatorRoutes(ctx: ConsoleContext): ConsoleRoute[] {
  const { actions } = ctx;
  return [
    {
      method: 'GET',
      path: '/api/me',
      handler: (c) => {
        const s = c.get('session');
        return c.json({ operator: publicOperator(s.operator), csrfToken: s.csrfToken, expiresAt: s.expiresAt });
      },
    },
    { method: 'GET', path: '/api/queue', handler: async (c) => c.json({ items: await ctx.queue.queue(), now: ctx.clock.now() }) },
    {
      method: 'GET',
      path: '/api/operators',
      handler: async (c) => c.json({ operators: (await ctx.accounts.list()).filter((o) => !o.disabled).map(publicOperator) }),
    },
    {
      method: 'GET',
      path: '/api/conversations/:id',
      handler: async (c) => {
        const view = await ctx.queue.conversation(c.req.param('id') ?? '');
        return view ? c.json({ conversation: view, now: ctx.clock.now() }) : c.json({ error: 'conversation not found', code: 'not-found' }, 404);
      },
    },
    action('claim', (c, id) => actions.claim(actorOf(c), id)),
    action('reply', async (c, id) => {
      const body = ReplyBody.safeParse(await jsonBody(c));
      if (!body.success) throw new OperatorActionError('invalid', 'reply text is required');
      return actions.reply(actorOf(c), id, body.data.text);
    }),
    action('transfer', async (c, id) => {
      const body = TransferBody.safeParse(await jsonBody(c));
      if (!body.success) throw new OperatorActionError('invalid', 'operatorId is required');
      const target = await ctx.accounts.get(body.data.operatorId);
      if (!target || target.disabled) throw new OperatorActionError('invalid', 'no such operator');
      return actions.transfer(actorOf(c), id, target);
    }),
    action('return', (c, id) => actions.returnToBot(actorOf(c), id)),
    action('close', (c, id) => actions.close(actorOf(c), id)),
    {
      method: 'GET',
      path: '/api/canned',
      handler: async (c) => {
        const lang = c.req.query('lang');
        return c.json({ items: await ctx.canned.list(isLang(lang) ? lang : undefined) });
      },
    },
    {
      method: 'GET',
      path: '/api/events',
      handler: (c) =>
        streamSSE(c, async (stream) => {
          let closed = false;
          const unsubscribe = ctx.live.subscribe((change) => {
            void stream.writeSSE({ event: 'change', id: String(change.messageId), data: JSON.stringify(change) }).catch(() => {});
          });
          stream.onAbort(() => {
            closed = true;
            unsubscribe();
          });
          await stream.writeSSE({ event: 'ready', data: '{}' });
          const token = c.get('sessionToken');
          while (!closed) {
            await stream.sleep(HEARTBEAT_MS);
            if (closed) break;
            if (!(await ctx.accounts.session(token, ctx.clock.now()))) {
              await stream.writeSSE({ event: 'signed-out', data: '{}' });
              break;
            }
            await stream.write(': keep-alive\n\n');
          }
          unsubscribe();
        }),
    },
  ];

  function action(name: string, run: (c: Parameters<ConsoleRoute['handler']>[0], id: string) => Promise<unknown>): ConsoleRoute {
    return {
      method: 'POST',
      path: `/api/conversations/:id/${name}`,
      handler: async (c) => {
        try {
          const result = await run(c, c.req.param('id') ?? '');
          void ctx.live.poll();
          return c.json({ ok: true, result });
        } catch (err) {
          return refused(c, err);
        }
      },
    };
  }
}

/** An operator as other operators may see them: never the password hash. */
export function publicOperator(o: { id: string; username: string; displayName: string; role: string }) {
  return { id: o.id, username: o.username, displayName: o.displayName, role: o.role };
}
