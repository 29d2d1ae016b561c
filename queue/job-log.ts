/**
 * What the queues put in their log lines about a job. Every line about one message carries its
 * traceId (it travels in the job data of inbound and outbound envelopes alike), so a failure can
 * be followed back to the message that caused it.
 */

/** `{ jobId, traceId }` for a job's log line; traceId only when the data carries one. */
export function jobLogFields(id: string, data: unknown): { jobId: string; traceId?: string } {
  const traceId = typeof data === 'object' && data !== null ? (data as { traceId?: unknown }).traceId : undefined;
  return typeof traceId === 'string' ? { jobId: id, traceId } : { jobId: id };
}

/** An error as one short line: its class and message, never a stack. */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
