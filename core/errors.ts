/**
 * Errors that steer retries. A queue worker retries a {@link TransientError} with backoff
 * (honouring `retryAfterMs`, e.g. Telegram's 429 `retry_after`) and never retries a
 * {@link PermanentError}: bad input does not get better by trying again.
 */

export class TransientError extends Error {
  override name = 'TransientError';
  constructor(
    message: string,
    readonly opts: { retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
  }
  get retryAfterMs(): number | undefined {
    return this.opts.retryAfterMs;
  }
}

export class PermanentError extends Error {
  override name = 'PermanentError';
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
  }
}
