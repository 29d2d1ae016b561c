/**
 * Why an operator action was refused. The console maps `code` to an HTTP status (404, 409, 403,
 * 400) and shows `message`; `details` says who holds the conversation when that helps.
 */
export type OperatorErrorCode = 'not-found' | 'conflict' | 'forbidden' | 'invalid';

export class OperatorActionError extends Error {
  override name = 'OperatorActionError';
  constructor(
    readonly code: OperatorErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
