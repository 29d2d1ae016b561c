/**
 * The roles a Kömek process can run, where its queues live, and the one check of whether the
 * configuration allows a role. Made before anything connects, so a worker without a shared queue
 * never opens the embedded database; `app/cli.ts` turns the error into a message and exit code 78
 * (EX_CONFIG).
 */
import type { Config } from './config.ts';

/** `komek start` runs 'all'; `komek worker` only the workers; `komek bots` the adapters and HTTP. */
export type Role = 'all' | 'worker' | 'bots';

/** Where the inbound and outbound queues live. */
export type QueueBackend = 'redis' | 'postgres' | 'memory';

/** Thrown when a role cannot run with the given configuration. */
export class RuntimeConfigError extends Error {
  override name = 'RuntimeConfigError';
}

/**
 * The queue backend of a process running `role`. KOMEK_QUEUE wins when set (config.ts checks
 * that its server is configured). Otherwise: Redis whenever REDIS_URL is set; Postgres when only
 * DATABASE_URL is set and the role is one of several processes (`komek worker`, `komek bots`,
 * `komek jobs`), since their queue must be shared and Postgres is the one server they all reach;
 * in process for `komek start` without Redis — one process, no queue round trips — and always on
 * the embedded database. So a `komek start` that other processes are to join needs
 * KOMEK_QUEUE=postgres, like every process sharing its queue.
 */
export function queueBackendFor(role: Role, config: Pick<Config, 'queue' | 'redisUrl' | 'database'>): QueueBackend {
  if (config.queue) return config.queue;
  if (config.redisUrl) return 'redis';
  if (config.database.kind === 'postgres' && role !== 'all') return 'postgres';
  return 'memory';
}

/** Throws a {@link RuntimeConfigError} when `role` cannot run with `config`. */
export function assertRoleRunnable(role: Role, config: Pick<Config, 'queue' | 'redisUrl' | 'database'>): void {
  // An in-process queue lives inside one process, so workers and adapters cannot be apart.
  if (role !== 'all' && queueBackendFor(role, config) === 'memory') {
    throw new RuntimeConfigError(
      `${role} needs a queue shared between processes: set REDIS_URL, or DATABASE_URL for a queue in Postgres — or run \`komek start\` instead`,
    );
  }
}
