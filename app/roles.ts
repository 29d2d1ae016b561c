/**
 * The roles a Kömek process can run, and the one check of whether the configuration allows a
 * role. Made before anything connects, so a worker without Redis never opens the embedded
 * database; `app/cli.ts` turns the error into a message and exit code 78 (EX_CONFIG).
 */
import type { Config } from './config.ts';

/** `komek start` runs 'all'; `komek worker` only the workers; `komek bots` the adapters and HTTP. */
export type Role = 'all' | 'worker' | 'bots';

/** Thrown when a role cannot run with the given configuration. */
export class RuntimeConfigError extends Error {
  override name = 'RuntimeConfigError';
}

/** Throws a {@link RuntimeConfigError} when `role` cannot run with `config`. */
export function assertRoleRunnable(role: Role, config: Pick<Config, 'redisUrl'>): void {
  // Without Redis the queue lives inside one process, so workers and adapters cannot be apart.
  if (role !== 'all' && !config.redisUrl) {
    throw new RuntimeConfigError(`${role} needs REDIS_URL: without Redis the queue lives inside one process — run \`komek start\` instead`);
  }
}
