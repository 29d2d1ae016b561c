/**
 * How a long-running role learns it should stop: the first SIGINT/SIGTERM starts the one
 * shutdown; a deadline and a second signal make sure the process ends even if a close hangs.
 */
import type { Logger } from '../core/ports.ts';

/**
 * Resolves with the first SIGINT/SIGTERM. Shutdown runs once; from then on the process exits
 * `deadlineMs` later at the latest, and at once on a second signal (a person pressing Ctrl+C
 * again, an orchestrator that has waited long enough). Jobs still in flight then are not lost:
 * their locks lapse and another worker takes them (BullMQ's stalled-job check). Without the
 * deadline a close that never returns — BullMQ's worker right after a Redis restart has been
 * seen to — would keep a dead worker around forever.
 */
export function untilSignal(logger: Logger, opts: { deadlineMs?: number; exit?: (code: number) => void } = {}): Promise<NodeJS.Signals> {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  return new Promise((resolve) => {
    let received: NodeJS.Signals | undefined;
    const on = (signal: NodeJS.Signals) => {
      if (received) {
        logger.warn({ signal }, 'second signal while shutting down: exiting now');
        exit(1);
        return;
      }
      received = signal;
      logger.info({ signal }, 'shutting down');
      if (opts.deadlineMs !== undefined) {
        const seconds = opts.deadlineMs / 1000;
        // unref: a shutdown that finishes in time exits normally, without waiting for this.
        setTimeout(() => {
          logger.error({ seconds }, 'shutdown did not finish in time; exiting without waiting further');
          exit(1);
        }, opts.deadlineMs).unref();
      }
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
