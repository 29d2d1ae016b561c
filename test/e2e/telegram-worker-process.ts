/**
 * A worker process for the kill test: the runtime's 'worker' role, as `komek worker` runs it,
 * over the test's Postgres database and, when REDIS_URL is passed, Redis (the environment names them).
 * Prints "worker running" once it takes jobs; SIGTERM/SIGINT shut it down gracefully.
 */
import { startRuntime } from '../../app/runtime.ts';
import { untilSignal } from '../../app/signals.ts';
import { openDatabase } from '../../db/client.ts';
import { demoKb, testConfig, testServices } from './telegram-harness.ts';

const config = testConfig({
  DATABASE_URL: process.env.DATABASE_URL,
  REDIS_URL: process.env.REDIS_URL,
  KOMEK_QUEUE_PREFIX: process.env.KOMEK_QUEUE_PREFIX,
  KOMEK_WORKER_CONCURRENCY: process.env.KOMEK_WORKER_CONCURRENCY,
});
if (config.database.kind !== 'postgres') throw new Error('DATABASE_URL must name the test database');
const database = await openDatabase({ kind: 'postgres', url: config.database.url, max: 4 });
const services = await testServices({ database, drop: async () => {} }, config, await demoKb());
const runtime = await startRuntime(services, { role: 'worker' });
process.stdout.write('worker running\n');
await untilSignal(services.logger);
await runtime.close();
await services.close();
await database.close();
process.stdout.write('worker stopped\n');
