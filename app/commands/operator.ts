/**
 * `komek operator add|list|passwd|disable|enable`: console accounts. Passwords come from standard
 * input (first line) or an interactive prompt that does not echo; they never appear in
 * arguments, shell history or logs.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command, CommandContext } from '../command.ts';
import { UsageError } from '../command.ts';
import { dataFolderHolder } from '../../db/data-folder-lock.ts';
import { createOperatorAccounts, MIN_PASSWORD } from '../../db/operator-accounts.ts';
import { readAdminFile, remoteOperatorDirectory, type OperatorDirectory } from '../local-admin.ts';

const USAGE = `Usage:
  komek operator add USERNAME [--role operator|admin] [--name "Display Name"]
  komek operator list
  komek operator passwd USERNAME
  komek operator disable USERNAME
  komek operator enable USERNAME

add      creates a console account (role "operator" unless --role admin). The password is read
         from standard input (first line), or asked for without echo in a terminal; at least
         ${MIN_PASSWORD} characters.
passwd   sets a new password the same way and signs the account out everywhere.
disable  stops an account from signing in and ends its sessions; enable undoes it.

While \`komek start\` runs on the embedded database, these commands go through the running
process (which holds the database); run them as the same user.`;

export const operatorCommand: Command = {
  name: 'operator',
  summary: 'manage operator console accounts (add, list, passwd, disable, enable)',
  usage: USAGE,
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    switch (sub) {
      case 'add':
        return add(ctx, rest);
      case 'list':
        return list(ctx);
      case 'passwd':
        return passwd(ctx, rest);
      case 'disable':
      case 'enable':
        return toggle(ctx, rest, sub === 'disable');
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand');
    }
  },
};

/** Where the accounts are changed, and a note for the output when it is not this process. */
async function accounts(ctx: CommandContext): Promise<OperatorDirectory & { via?: string }> {
  const { database } = ctx.config();
  // An embedded database held by a running server cannot be opened here (and a change made in
  // a copy would never reach the server's memory): ask the server, when it offers to be asked.
  // A holder that does not (a `komek kb import`, a server still starting) makes the open below
  // refuse with the lock's explanation.
  if (database.kind === 'pglite') {
    const holder = await dataFolderHolder(database.dataDir);
    const announced = holder ? await readAdminFile(path.resolve(database.dataDir)) : undefined;
    if (holder && announced?.pid === holder.pid) return { ...remoteOperatorDirectory(announced), via: ` in the running Kömek (process ${holder.pid})` };
  }
  const services = await ctx.services({ noDemo: true });
  return createOperatorAccounts(services.database.db);
}

async function add(ctx: CommandContext, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string', default: 'operator' }, name: { type: 'string' } },
  });
  const username = oneUsername(positionals);
  if (values.role !== 'operator' && values.role !== 'admin') throw new UsageError('--role must be operator or admin');
  const password = await readPassword(ctx, `Password for ${username}: `);
  const directory = await accounts(ctx);
  try {
    const account = await directory.add({ username, password, role: values.role, displayName: values.name });
    ctx.stdout.write(`added ${account.role} ${account.username} (${account.displayName})${directory.via ?? ''}\n`);
    return 0;
  } catch (err) {
    ctx.stderr.write(`komek operator add: ${(err as Error).message}\n`);
    return 1;
  }
}

async function list(ctx: CommandContext): Promise<number> {
  const all = await (await accounts(ctx)).list();
  if (all.length === 0) ctx.stdout.write('no operators yet; add one with `komek operator add USERNAME`\n');
  for (const o of all) ctx.stdout.write(`${o.username}\t${o.role}\t${o.disabled ? 'disabled' : 'active'}\t${o.displayName}\n`);
  return 0;
}

async function passwd(ctx: CommandContext, argv: string[]): Promise<number> {
  const username = oneUsername(parseArgs({ args: argv, allowPositionals: true, options: {} }).positionals);
  const password = await readPassword(ctx, `New password for ${username}: `);
  const directory = await accounts(ctx);
  try {
    if (!(await directory.setPassword(username, password))) {
      ctx.stderr.write(`komek operator passwd: no operator "${username}"\n`);
      return 1;
    }
  } catch (err) {
    ctx.stderr.write(`komek operator passwd: ${(err as Error).message}\n`);
    return 1;
  }
  ctx.stdout.write(`password of ${username} changed; its sessions were ended\n`);
  return 0;
}

async function toggle(ctx: CommandContext, argv: string[], disabled: boolean): Promise<number> {
  const username = oneUsername(parseArgs({ args: argv, allowPositionals: true, options: {} }).positionals);
  if (!(await (await accounts(ctx)).setDisabled(username, disabled))) {
    ctx.stderr.write(`komek operator: no operator "${username}"\n`);
    return 1;
  }
  ctx.stdout.write(`${username} ${disabled ? 'disabled' : 'enabled'}\n`);
  return 0;
}

function oneUsername(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError('expected exactly one USERNAME');
  return positionals[0]!.trim().toLowerCase();
}

/** The first line of standard input, or a typed password when standard input is a terminal. */
async function readPassword(ctx: CommandContext, prompt: string): Promise<string> {
  const stdin = ctx.stdin as NodeJS.ReadStream;
  const password = stdin.isTTY ? await promptHidden(stdin, ctx, prompt) : await firstLine(stdin);
  if (!password) throw new UsageError('no password given on standard input');
  return password;
}

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const done = () => {
      stream.off('data', onData);
      stream.off('end', done);
      stream.off('error', reject);
      stream.pause();
      resolve(buffer.split(/\r?\n/)[0] ?? '');
    };
    const onData = (chunk: Buffer | string) => {
      buffer += chunk.toString();
      if (buffer.includes('\n')) done();
    };
    stream.on('data', onData);
    stream.once('end', done);
    stream.once('error', reject);
  });
}

function promptHidden(stdin: NodeJS.ReadStream, ctx: CommandContext, prompt: string): Promise<string> {
  ctx.stderr.write(prompt);
  return new Promise((resolve) => {
    let typed = '';
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          ctx.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          ctx.stderr.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}
