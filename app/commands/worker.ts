/**
 * `komek worker`: a stateless worker process — takes inbound messages from the shared queue,
 * runs the pipeline and queues the replies. Run as many as the load needs, on any machine that
 * reaches the same Postgres (and Redis, when the queues live there; app/roles.ts).
 */
import type { Command } from '../command.ts';
import { runRole } from '../run-role.ts';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run a worker process (needs REDIS_URL or DATABASE_URL)',
  usage: [
    'Usage: komek worker',
    '',
    'Processes inbound messages from the shared queue (Redis, or Postgres without REDIS_URL);',
    'KOMEK_WORKER_CONCURRENCY jobs at a time.',
    'SIGTERM/SIGINT: stops taking jobs, finishes the ones in flight (or hands them back), exits.',
  ].join('\n'),
  run: (ctx) => runRole(ctx, 'worker'),
};
