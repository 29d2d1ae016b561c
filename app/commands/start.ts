/**
 * `komek start`: everything in one process — HTTP server (web chat, console, webhooks), queue,
 * workers and channel adapters. Shuts down once on SIGINT/SIGTERM: stop intake, drain, close.
 */
import type { Command } from '../command.ts';
import { createHttpApp, listen } from '../http.ts';

export const startCommand: Command = {
  name: 'start',
  summary: 'run Kömek in one process: HTTP server, workers and channels',
  usage: 'Usage: komek start\n\nServes HTTP on HOST:PORT (default 127.0.0.1:3000).',
  async run(ctx) {
    const services = await ctx.services();
    const { config, logger } = services;
    await services.inference.ensureCurrent();
    const app = createHttpApp({ logger, ready: () => services.database.ping(), mounts: [services.metrics.mount()] });
    const server = await listen(app, config.http.port, config.http.host);
    ctx.stdout.write(`Kömek is running at ${server.url}\n`);
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        resolve();
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    await server.close();
    await services.close();
    return 0;
  },
};
