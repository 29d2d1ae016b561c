/**
 * Error reports of Redis connections. ioredis emits 'error' on every failed reconnect (several a
 * second while Redis is down) and prints "Unhandled error event" with a stack when nobody
 * listens; BullMQ's queues and workers pass the same errors on. Every connection and BullMQ
 * object Kömek creates gets a listener from here: one warn line at once, then at most one per
 * interval with the number of errors left out, so an outage is visible without flooding the log.
 */
import type { Logger } from '../core/ports.ts';

export interface ErrorSource {
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export interface ThrottledReporterOptions {
  logger: Logger;
  /** The log message, e.g. 'redis connection error'. */
  message: string;
  /** Fields added to every line (which connection). */
  fields?: object;
  /** At most one line per this many milliseconds. */
  everyMs?: number;
  now?: () => number;
}

/** A function that logs the errors given to it at warn, at most once per `everyMs`. */
export function throttledErrorReporter(opts: ThrottledReporterOptions): (err: unknown) => void {
  const everyMs = opts.everyMs ?? 10_000;
  const now = opts.now ?? Date.now;
  let last = -Infinity;
  let suppressed = 0;
  return function reportError(err) {
    const at = now();
    if (at - last < everyMs) {
      suppressed++;
      return;
    }
    last = at;
    const message = err instanceof Error ? err.message : String(err);
    opts.logger.warn({ ...opts.fields, err: message, ...(suppressed > 0 ? { suppressed } : {}) }, opts.message);
    suppressed = 0;
  };
}

/** Attaches a throttled warn reporter to each source; they share one throttle. */
export function reportRedisErrors(sources: ErrorSource[], opts: ThrottledReporterOptions): void {
  const report = throttledErrorReporter(opts);
  for (const source of sources) source.on('error', report);
}
