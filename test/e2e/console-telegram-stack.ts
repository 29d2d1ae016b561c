/**
 * The whole of Kömek for the console's Telegram end-to-end test: application services built from
 * a parsed config the way `komek start` builds them, a small knowledge base, operator accounts as
 * `komek operator add` creates them, the console wired into the runtime as `runRole` wires it,
 * and Telegram pointed at a `telegram-test-api` emulator. One `close()` takes it all down.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../app/config.ts';
import { createOperatorConsole } from '../../app/operator-console.ts';
import { startRuntime, type Runtime } from '../../app/runtime.ts';
import { buildServices, type AppServices } from '../../app/services.ts';
import type { ConsoleMount } from '../../console/index.ts';
import type { KbEntry } from '../../core/kb.ts';
import { createOperatorAccounts, type OperatorAccount } from '../../db/operator-accounts.ts';
import { postgresAvailable, postgresDatabase, type TestDatabase } from '../helpers/databases.ts';
import { recordingLogger } from '../helpers/fakes.ts';
import { startEmulator, type Emulator } from './telegram-emulator.ts';

export const PASSWORD = 'correct horse battery';

export interface StackOptions {
  entries: KbEntry[];
  operators: { username: string; displayName: string }[];
}

export interface ConsoleTelegramStack {
  emu: Emulator;
  services: AppServices;
  runtime: Runtime;
  console: ConsoleMount;
  operators: OperatorAccount[];
  /** Where the HTTP server (web chat, console, API) listens. */
  url: string;
  logger: ReturnType<typeof recordingLogger>;
  /** Seconds `inference.ensureCurrent()` took (training the encoder on the small knowledge base). */
  trainingSeconds: number;
  /** Runs every cleanup step once, even when an earlier one fails. */
  close(): Promise<void>;
}

/** Starts everything; on failure, tears down what had started before rethrowing. */
export async function startConsoleTelegramStack(opts: StackOptions): Promise<ConsoleTelegramStack> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async () => {
    const errors: unknown[] = [];
    for (const step of cleanups.splice(0).reverse()) await step().catch((err: unknown) => errors.push(err));
    if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed');
  };
  try {
    const emu = await startEmulator();
    cleanups.push(() => emu.server.stop());
    const dataDir = await mkdtemp(path.join(tmpdir(), 'komek-console-tg-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    // Under CI=true Postgres must answer (postgresAvailable throws otherwise); elsewhere the
    // embedded Postgres in the temp data dir stands in.
    let db: TestDatabase | undefined;
    if (await postgresAvailable()) {
      db = await postgresDatabase();
      cleanups.push(() => db!.drop());
    }
    const config = parseConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      KOMEK_DATA_DIR: dataDir,
      KOMEK_DEMO_KB: 'false',
      DATABASE_URL: db?.url,
      TELEGRAM_BOT_TOKEN: emu.token,
      TELEGRAM_API_ROOT: emu.apiRoot,
      // Always open, so the escalation notice carries the wait estimate, not the after-hours text.
      KOMEK_OFFICE_HOURS: '00:00-23:59',
      KOMEK_OFFICE_DAYS: '1,2,3,4,5,6,7',
    });
    const logger = recordingLogger();
    const services = await buildServices(config, { noDemo: true, logger });
    cleanups.push(() => services.close());
    await services.kb.import(opts.entries, { changedBy: 'test' });
    const began = Date.now();
    await services.inference.ensureCurrent();
    const trainingSeconds = (Date.now() - began) / 1000;

    const accounts = createOperatorAccounts(services.database.db);
    const operators: OperatorAccount[] = [];
    for (const o of opts.operators) operators.push(await accounts.add({ username: o.username, password: PASSWORD, role: 'operator', displayName: o.displayName }));

    // The same wiring `komek start` uses (app/runtime.ts).
    const operatorConsole = await createOperatorConsole(services);
    const consoleMount = operatorConsole.console;
    cleanups.push(() => consoleMount.close());
    const runtime = await startRuntime(services, {
      role: 'all',
      mounts: [consoleMount.mount],
      // The emulator answers getUpdates at once when empty; a short idle delay keeps polling snappy.
      telegram: { polling: { idleDelayMs: 30 } },
    });
    cleanups.push(() => runtime.close());
    operatorConsole.bind(runtime.outbound);
    return { emu, services, runtime, console: consoleMount, operators, url: runtime.url!, logger, trainingSeconds, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}
