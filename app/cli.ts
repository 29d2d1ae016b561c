/**
 * `komek` command-line entry. Parses the command name, builds services lazily (only commands that
 * need the database open it), prints usage errors politely and exits with a meaningful code.
 */
import type { Command, CommandContext } from './command.ts';
import { CalibrationError } from '../inference/retrieval/self-check.ts';
import { UsageError } from './command.ts';
import { ConfigError, parseConfig, type Config } from './config.ts';
import { DataFolderLockedError } from '../db/data-folder-lock.ts';
import { RuntimeConfigError } from './roles.ts';
import { buildServices, type AppServices } from './services.ts';
import { askCommand } from './commands/ask.ts';
import { kbCommand } from './commands/kb.ts';
import { migrateCommand } from './commands/migrate.ts';
import { operatorCommand } from './commands/operator.ts';
import { startCommand } from './commands/start.ts';
import { workerCommand } from './commands/worker.ts';
import { botsCommand } from './commands/bots.ts';
import { jobsCommand } from './commands/jobs.ts';
import { retentionCommand } from './commands/retention.ts';
import { trainCommand } from './commands/train.ts';
import { whatsappCommand } from './commands/whatsapp.ts';
import { evalCommand } from './commands/eval.ts';
import { benchCommand } from './commands/bench.ts';

export const COMMANDS: Command[] = [startCommand, workerCommand, botsCommand, jobsCommand, migrateCommand, kbCommand, askCommand, trainCommand, evalCommand, retentionCommand, operatorCommand, whatsappCommand, benchCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Kömek — answers citizens\' questions about government services (kk/ru/en).',
    '',
    'Usage: komek <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `komek <command> --help` for a command\'s options.',
  ].join('\n');
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`komek: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  let services: Promise<AppServices> | undefined;
  let config: Config | undefined;
  const ctx: CommandContext = {
    config: () => (config ??= parseConfig(env)),
    argv: rest,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    services: (opts) => (services ??= buildServices(ctx.config(), opts)),
  };
  try {
    return await command.run(ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`komek ${name}: ${err.message}\n\n${command.usage}\n`);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof RuntimeConfigError) {
      // EX_CONFIG: the environment, not the command, has to change.
      process.stderr.write(`komek: ${err.message}\n`);
      return 78;
    }
    if (err instanceof CalibrationError) {
      // Nothing was stored: the model in use (if any) stays, and the administrator is told why.
      process.stderr.write(`komek ${name}: training failed, no model was stored: ${err.message}\n`);
      return 1;
    }
    if (err instanceof DataFolderLockedError) {
      // EX_TEMPFAIL: nothing is wrong with the command; it can run once the folder is free.
      process.stderr.write(`komek ${name}: ${err.message}\n`);
      return 75;
    }
    process.stderr.write(`komek ${name}: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  } finally {
    if (services && command.name !== 'start') await (await services.catch(() => undefined))?.close();
  }
}
