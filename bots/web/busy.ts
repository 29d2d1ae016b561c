/**
 * What the web chat answers when a message cannot be queued now (the backlog is over its
 * high-water mark, or the queue is unreachable): 503 with Retry-After and a short, polite body in
 * the three languages. The page shows the text in the citizen's language and sends the same
 * message (same id, so it is answered once) again after the wait.
 */
import type { Context } from 'hono';
import type { Lang } from '../../core/lang.ts';

export const BUSY_TEXT: Record<Lang, string> = {
  kk: 'Қазір сұрақтар өте көп. Хабарламаңыз бірнеше секундтан кейін қайта жіберіледі.',
  ru: 'Сейчас очень много вопросов. Ваше сообщение будет отправлено повторно через несколько секунд.',
  en: 'We are receiving a lot of questions right now. Your message will be sent again in a few seconds.',
};

export interface BusyBody {
  error: 'busy';
  retryAfter: number;
  message: Record<Lang, string>;
}

/** The 503 answer; `retryAfterMs` is rounded up to whole seconds, at least one. */
export function busyResponse(c: Context, retryAfterMs = 5_000): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const body: BusyBody = { error: 'busy', retryAfter: seconds, message: BUSY_TEXT };
  return c.json(body, 503, { 'Retry-After': String(seconds) });
}
