/**
 * The queue contract on the Postgres queue (queue/postgres-queue.ts) against a real Postgres
 * (TEST_DATABASE_URL, default the local server): one migrated database of its own for the file,
 * a unique queue prefix per test. Under CI=true a missing Postgres fails instead of skipping.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { JobInfo } from '../../core/ports.ts';
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

  test('a job that runs longer than its lock keeps it (renewed), and is not handed to another consumer', async () => {
    const prefix = `komek-test-${randomBytes(4).toString('hex')}`;
    const opts = { sql: db.database.sql!, prefix, name: 'renew', logger: recordingLogger(), lockDurationMs: 300, stalledIntervalMs: 100 };
    const first = createPostgresQueue<Job>(opts);
    const second = createPostgresQueue<Job>(opts);
    const runs: JobInfo[] = [];
    const slow = async (_job: Job, info: JobInfo) => {
      runs.push(info);
      await new Promise((r) => setTimeout(r, 1_500));
    };
    const consumers = [first.process(slow), second.process(slow)];
    try {
      await first.add({ key: 'k', n: 1 }, { id: 'long', key: 'k' });
      const end = Date.now() + 10_000;
      for (;;) {
        const [row] = await db.database.sql!.unsafe<{ state: string }[]>('select state from queue_jobs where queue = $1 and id = $2', [`${prefix}:renew`, 'long']);
        if (row?.state === 'completed') break;
        if (Date.now() > end) throw new Error(`job still ${row?.state}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(runs.length, 1, 'ran once: its lock was renewed while it ran');
      assert.equal(runs[0]!.redelivered, false);
    } finally {
      await Promise.all(consumers.map((c) => c.close()));
      await db.database.sql!.unsafe('delete from queue_jobs where queue like $1', [`${prefix}:%`]);
    }
  });
});
