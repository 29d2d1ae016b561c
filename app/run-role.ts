/**
 * A long-running role from start to shutdown: `komek start` (all), `komek worker`, `komek bots`.
 * Around the messaging runtime (runtime.ts) it wires the parts that live outside it — the operator
 * console (roles all and bots), WhatsApp (when enabled), the local admin socket of the embedded
 * database and the model warm-up — and shuts everything down once, in order.
 */
import type { ConsoleMount } from '../console/index.ts';
import type { MessageQueue } from '../core/ports.ts';
import type { OutboundMessage } from '../core/envelopes.ts';
import { createOperatorAccounts } from '../db/operator-accounts.ts';
import { createWhatsApp } from './channels.ts';
import type { CommandContext } from './command.ts';
import type { Mount } from './http.ts';
import { startLocalAdmin, type LocalAdmin } from './local-admin.ts';
import { createOperatorConsole } from './operator-console.ts';
import { assertRoleRunnable, type Role } from './roles.ts';
import { startRuntime, type RuntimeOptions } from './runtime.ts';
import type { AppServices } from './services.ts';
import { untilSignal } from './signals.ts';
import { warmUp } from './warm-up.ts';

/** Process-level routes every HTTP-serving role adds: the metrics scrape endpoint. */
function standardMounts(services: AppServices): Mount[] {
  return [services.metrics.mount()];
}

/**
 * Runs `role` until SIGINT/SIGTERM, then shuts down once: the runtime (intake, drain, queues),
 * the console, then the services (database, inference). This is where the composition root wires
 * the parts that live outside the messaging runtime: the operator console (roles all and bots),
 * WhatsApp (when enabled) and the model warm-up.
 */
export async function runRole(
  ctx: Pick<CommandContext, 'config' | 'services' | 'stdout'>,
  role: Role,
  extra: Pick<RuntimeOptions, 'mounts' | 'adapters'> = {},
): Promise<number> {
  // Checked before anything connects: a worker without a shared queue must not open the embedded database.
  assertRoleRunnable(role, ctx.config());
  const services = await ctx.services();
  const { logger } = services;
  let consoleMount: ConsoleMount | undefined;
  let localAdmin: LocalAdmin | undefined;
  try {
    // This process holds the embedded database alone; `komek operator` reaches it through here.
    if (services.database.dataDir) {
      localAdmin = await startLocalAdmin({ dataDir: services.database.dataDir, accounts: createOperatorAccounts(services.database.db), logger });
    }
    // A worker takes no jobs before its model is ready; an HTTP-serving process opens at once and
    // warms up behind it, so the web chat and the console are there from the first second.
    if (role === 'worker') await services.inference.ensureCurrent();
    let bindConsole: ((queue: MessageQueue<OutboundMessage>) => void) | undefined;
    const mounts = [...(extra.mounts ?? [])];
    if (role !== 'worker') {
      const operatorConsole = await createOperatorConsole(services);
      consoleMount = operatorConsole.console;
      bindConsole = operatorConsole.bind;
      mounts.push(consoleMount.mount);
    }
    const adapters = [...(extra.adapters ?? [])];
    if (role !== 'worker' && services.config.whatsapp.enabled) adapters.push(await createWhatsApp({ db: services.database.db, logger }));
    const runtime = await startRuntime(services, {
      role,
      mounts: role === 'worker' ? [] : [...standardMounts(services), ...mounts],
      adapters,
    });
    bindConsole?.(runtime.outbound);
    const setupLink = runtime.url ? await consoleMount?.setupLink(runtime.url) : undefined;
    // One write: whoever reads the address line (a person, a supervisor, a test) has the link too.
    ctx.stdout.write(
      (runtime.url
        ? `Kömek is running at ${runtime.url} (operator console: ${runtime.url}/console)\n`
        : `Kömek ${role} is running (concurrency ${services.config.workerConcurrency})\n`) +
        (setupLink
          ? `No console account exists yet. Create the first administrator at\n  ${setupLink}\n` +
            '(the link works once, while this process runs), or run `komek operator add USERNAME --role admin`.\n'
          : ''),
    );
    if (role === 'all') warmUp(services, ctx.stdout);
    await untilSignal(logger, { deadlineMs: services.config.shutdownTimeoutSeconds * 1000 });
    await runtime.close();
    return 0;
  } finally {
    await localAdmin?.close();
    await consoleMount?.close();
    await services.close();
  }
}

