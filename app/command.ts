/**
 * The shape of one `komek` sub-command. Each command lives in `app/commands/<name>.ts` and is
 * registered in `app/cli.ts`. Commands get their dependencies from the context, built lazily by
 * the composition root, so `komek --help` never opens a database.
 */
import type { Writable } from 'node:stream';
import type { Config } from './config.ts';
import type { AppServices } from './services.ts';

export interface CommandContext {
  /** Arguments after the command name. */
  argv: string[];
  stdin: NodeJS.ReadableStream;
  stdout: Writable;
  stderr: Writable;
  /** Builds the application services once (config, database, knowledge base, inference…). */
  /** The parsed configuration, without connecting anything. */
  config(): Config;
  /** `noDemo`: do not load the demo knowledge base into an empty embedded database. */
  services(opts?: { noDemo?: boolean }): Promise<AppServices>;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(ctx: CommandContext): Promise<number>;
}

/** Thrown for wrong command-line usage: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
