/**
 * Structured logs (pino) to stderr, so stdout stays clean for command output such as
 * `komek ask --json`. Tokens and secrets are redacted by path wherever they appear.
 */
import { pino } from 'pino';
import type { Logger } from '../core/ports.ts';

export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger & { flush(): void } {
  const logger = pino(
    {
      level,
      base: { service: 'komek', ...bindings },
      redact: { paths: ['token', '*.token', 'password', '*.password', 'authorization', '*.authorization', 'cookie', '*.cookie'], censor: '[redacted]' },
    },
    pino.destination({ fd: 2, sync: true }),
  );
  return logger as unknown as Logger & { flush(): void };
}
