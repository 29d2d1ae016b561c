import type { Command } from '../command.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply database migrations (Postgres or the embedded database)',
  usage: 'Usage: komek migrate\n\nApplies the committed migrations to DATABASE_URL, or to the embedded database in KOMEK_DATA_DIR.',
  async run(ctx) {
    // Building the services applies the migrations; nothing else is needed.
    const services = await ctx.services();
    ctx.stdout.write(`migrations applied (${services.database.kind})\n`);
    return 0;
  },
};
