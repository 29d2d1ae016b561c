/**
 * Maps what a failed Baileys send throws onto core's retry classes. Baileys rejects with Boom
 * errors carrying an HTTP-like `output.statusCode` (408 timed out, 428 connection closed, …) or
 * with plain socket errors.
 */
import { PermanentError, TransientError } from '../../core/errors.ts';

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
const TRANSIENT_TEXT = /connection (closed|lost|terminated)|timed? ?out|not open|socket|websocket|rate-overlimit/i;

/** The status code of a Boom error (`output.statusCode`), or a plain numeric `code`/`status`. */
export function statusCodeOf(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { output?: { statusCode?: unknown }; status?: unknown; code?: unknown; data?: unknown };
  for (const v of [e.output?.statusCode, e.status, e.code]) {
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

/**
 * Transient: timeouts, closed or lost connections, rate limits (429 / "rate-overlimit", retried
 * after a minute), 5xx and network errors. Permanent: everything else (a bad jid, a number not on
 * WhatsApp, a refused request): resending the same thing will not help.
 */
export function toDeliveryError(err: unknown): TransientError | PermanentError {
  if (err instanceof TransientError || err instanceof PermanentError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const status = statusCodeOf(err);
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  if (status === 429 || /rate-overlimit/i.test(message)) {
    return new TransientError(`WhatsApp rate limit: ${message}`, { retryAfterMs: 60_000, cause: err });
  }
  if (status !== undefined && (status === 408 || status === 428 || status === 440 || status >= 500)) {
    return new TransientError(`WhatsApp send failed (${status}): ${message}`, { cause: err });
  }
  if (status !== undefined && status >= 400) return new PermanentError(`WhatsApp refused the message (${status}): ${message}`, { cause: err });
  if ((typeof code === 'string' && NETWORK_CODES.has(code)) || TRANSIENT_TEXT.test(message)) {
    return new TransientError(`WhatsApp send failed: ${message}`, { cause: err });
  }
  return new PermanentError(`WhatsApp send failed: ${message}`, { cause: err });
}
