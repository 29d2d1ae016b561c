/**
 * `komek whatsapp logout`: forgets the stored WhatsApp session, so the next start prints a new
 * QR code. Needed after WhatsApp logged the number out, or to link another number.
 */
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';

export const whatsappCommand: Command = {
  name: 'whatsapp',
  summary: 'manage the WhatsApp session (logout: forget it, a new QR code at next start)',
  usage: 'Usage: komek whatsapp logout\n\nDeletes the stored WhatsApp session (credentials and keys) from the database.\nStop the process running WhatsApp first; the next start prints a new QR code to scan.',
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    if (sub !== 'logout' || rest.length > 0) throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand');
    const services = await ctx.services({ noDemo: true });
    // Baileys (through the auth store) only when this command runs, not for every `komek` command.
    const { createPostgresAuthState } = await import('../../db/whatsapp-auth-store.ts');
    const auth = await createPostgresAuthState(services.database.db);
    await auth.clear();
    ctx.stdout.write('WhatsApp session deleted; the next start shows a new QR code.\n');
    return 0;
  },
};
