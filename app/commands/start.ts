/**
 * `komek start`: everything in one process — HTTP server (web chat, webhooks, console), queues
 * (in process, or BullMQ when REDIS_URL is set), workers and channel adapters. The small
 * deployment and the embedded default. Shuts down once on SIGINT/SIGTERM: stop intake, drain,
 * close.
 */
import type { Command } from '../command.ts';
import type { Mount } from '../http.ts';
import { runRole } from '../run-role.ts';

/** Routes of other parts (the operator console) are added here by the composition root. */
export const START_MOUNTS: Mount[] = [];

export const startCommand: Command = {
  name: 'start',
  summary: 'run Kömek in one process: HTTP server and web chat, workers and channels',
  usage: [
    'Usage: komek start',
    '',
    'Serves the web chat and HTTP routes on HOST:PORT (default 127.0.0.1:3000), runs the workers',
    'and the enabled channels (Telegram when TELEGRAM_BOT_TOKEN is set). Without REDIS_URL the',
    'queue runs inside this process; with it, more `komek worker` processes can share the load.',
  ].join('\n'),
  run: (ctx) => runRole(ctx, 'all', { mounts: START_MOUNTS }),
};
