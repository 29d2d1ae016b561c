/**
 * `komek bench` end to end at a tiny load on the real Redis and Postgres: every scenario runs,
 * nothing is lost or answered twice, and the last line is `ratio X.XX`. The figures themselves
 * belong to `npm run bench`, not to a test on a shared machine.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBench } from '../../bench/run.ts';
import { postgresAvailable, TEST_DATABASE_URL } from '../helpers/databases.ts';
import { REDIS_TEST_URL, redisAvailable } from '../integration/queue-redis.ts';

const ready = (await postgresAvailable()) && (await redisAvailable());

test('the benchmark runs every scenario and ends with the ratio', { skip: !ready && 'needs Postgres and Redis' }, async () => {
  const lines: string[] = [];
  const ratio = await runBench({
    out: (line) => lines.push(line),
    sections: ['e2e'],
    redisUrl: REDIS_TEST_URL,
    postgresUrl: TEST_DATABASE_URL,
    chats: 3,
    perChat: 2,
    workers: 1,
    concurrency: 4,
    warmUp: 1,
  });
  const text = lines.join('\n');
  for (const scenario of [
    'Kömek, Redis + Postgres, 1 process:',
    'bare BullMQ round trips, same Redis:',
    "Kömek's queue layer alone",
    'bare BullMQ with Telegram both ways',
    'Kömek, Redis + Postgres, 1 × komek worker:',
    'Kömek, Postgres alone, 1 process:',
    'Kömek, Postgres alone, 1 × komek worker:',
    'Kömek, embedded (PGlite + in-process queue):',
  ]) {
    const row = lines.find((l) => l.startsWith(scenario));
    assert.ok(row, `${scenario} missing in:\n${text}`);
    assert.match(row, /\(6 in [\d.]+ s\)/, `every message answered: ${row}`);
    assert.match(row, /0 unanswered/);
    if (row.startsWith('Kömek,')) assert.match(row, /0 answered twice/);
  }
  assert.match(text, /CPU per message: Kömek [\d.]+ ms/);
  assert.match(text, /Kömek on Postgres alone ÷ on Redis \+ Postgres: 1 process \d+\.\d\d, 1 × komek worker \d+\.\d\d/);
  assert.match(lines.at(-1)!, /^ratio \d+\.\d\d$/);
  assert.equal(lines.at(-1), `ratio ${ratio!.toFixed(2)}`);
});
