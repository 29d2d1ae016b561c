/**
 * Telegram failures → core's retry classes. 429 carries `retry_after` (seconds); 5xx, 409 and
 * network failures are worth another try; 403 (bot blocked, kicked) and 400 (chat not found,
 * bad request) will fail the same way again.
 */
import { GrammyError, HttpError } from 'grammy';
import { PermanentError, TransientError } from '../../core/errors.ts';

export function classifyTelegramError(err: unknown): TransientError | PermanentError {
  if (err instanceof GrammyError) {
    const what = `telegram ${err.method}: ${err.error_code} ${err.description}`;
    if (err.error_code === 429) {
      const seconds = err.parameters?.retry_after ?? 1;
      return new TransientError(what, { retryAfterMs: seconds * 1000, cause: err });
    }
    if (err.error_code >= 500 || err.error_code === 409) return new TransientError(what, { cause: err });
    return new PermanentError(what, { cause: err });
  }
  if (err instanceof HttpError) return new TransientError(`telegram network error: ${err.message}`, { cause: err });
  if (err instanceof TransientError || err instanceof PermanentError) return err;
  return new TransientError(`telegram call failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}
