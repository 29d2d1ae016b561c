/**
 * `komek bots`: the channel adapters (Telegram, web chat, and others wired in) with the HTTP
 * server for webhooks and the web chat, delivering replies from the outbound queue. Web-chat
 * replies reach the process holding the browser's connection over Redis pub/sub, or Postgres
 * LISTEN/NOTIFY when the queues live in Postgres.
 */
import type { Command } from '../command.ts';
import type { Mount } from '../http.ts';
import { runRole } from '../run-role.ts';

/** Routes of other parts (the operator console) are added here by the composition root. */
export const BOTS_MOUNTS: Mount[] = [];

export const botsCommand: Command = {
  name: 'bots',
  summary: 'run the channel adapters and HTTP server (needs REDIS_URL or DATABASE_URL)',
  usage: [
    'Usage: komek bots',
    '',
    'Receives messages from Telegram (polling or webhook) and the web chat, queues them for',
    '`komek worker` processes and delivers the replies. Serves HTTP on HOST:PORT.',
  ].join('\n'),
  run: (ctx) => runRole(ctx, 'bots', { mounts: BOTS_MOUNTS }),
};
