/**
 * What the chat page may post. Validated strictly: the endpoint is public, so anything else is a
 * 400 with a short reason, never a stack trace.
 */
import { z } from 'zod';

/** Session ids come from crypto.randomUUID() in the page; anything id-like of that size is fine. */
export const sessionId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'session must be 16–64 letters, digits, - or _');

export const chatPostSchema = z
  .object({
    session: sessionId,
    /** Client-made id of this message; a resent POST with the same id is answered once. */
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'id must be 1–64 letters, digits, - or _'),
    text: z.string().max(8000).default(''),
    /** Data of a pressed button (core's encodeButton). */
    button: z.string().max(64).optional(),
    /** The page did not show this message (its opening /start, a language switch): not replayed. */
    hidden: z.boolean().optional(),
  })
  .strict()
  .refine((v) => v.text.trim() !== '' || v.button !== undefined, { message: 'text or button is required' });

export type ChatPost = z.infer<typeof chatPostSchema>;
