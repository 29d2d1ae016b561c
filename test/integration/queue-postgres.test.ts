/**
 * The queue contract on the Postgres queue (queue/postgres-queue.ts) against a real Postgres
 * (TEST_DATABASE_URL, default the local server): one migrated database of its own for the file,
 * a unique queue prefix per test. Under CI=true a missing Postgres fails instead of skipping.
 */
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { createPostgresQueue } from '../../queue/postgres-queue.ts';
import { postgresAvailable, postgresDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/databases.ts';
import { recordingLogger } from '../helpers/fakes.ts';
import { queueContract, type Job } from './queue-contract.ts';

const available = await postgresAvailable();

describe('Postgres queue', { skip: available ? false : `no Postgres at ${TEST_DATABASE_URL}` }, () => {
  let db: TestDatabase;
  before(async () => {
    db = await postgresDatabase();
  });
  after(() => db.drop());

  queueContract(async (policy) => {
    const prefix = `komek-test-${randomBytes(4).toString('hex')}`;
    const queue = createPostgresQueue<Job>({ sql: db.database.sql!, prefix, name: 'contract', logger: recordingLogger(), policy, stalledIntervalMs: 1_000 });
    return {
      queue,
      async cleanup() {
        await db.database.sql!.unsafe('delete from queue_jobs where queue like $1', [`${prefix}:%`]);
      },
    };
  });
});
