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
    openLoopRate: 10,
    openLoopSeconds: 1,
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
  assert.match(text, /open loop at 10 msg\/s for 1 s .*latency p50 \d+ ms p99 \d+ ms; 10 of 10 answered, 0 unanswered/);
  assert.match(text, /^Kömek ÷ echo bot: \d+\.\d\d \(/m);
  assert.match(text, /Kömek on Postgres alone ÷ on Redis \+ Postgres: 1 process \d+\.\d\d, 1 × komek worker \d+\.\d\d/);
  assert.match(lines.at(-1)!, /^ratio \d+\.\d\d$/);
  assert.equal(lines.at(-1), `ratio ${ratio!.toFixed(2)}`);
});

test('the memory section measures a komek worker after its load and says where the memory goes', { skip: !ready && 'needs Postgres and Redis' }, async () => {
  const lines: string[] = [];
  await runBench({ out: (line) => lines.push(line), sections: ['memory'], redisUrl: REDIS_TEST_URL, postgresUrl: TEST_DATABASE_URL, chats: 3, perChat: 2, workers: 1, concurrency: 4, warmUp: 1 });
  const text = lines.join('\n');
  assert.match(text, /komek worker, steady state after 12 messages .*: RSS \d+ MB .*; 0 unanswered/);
  // Every step of the probe, each a figure, in the order a worker goes.
  assert.match(text, /node \d+ MB; Kömek's modules \d+ MB \(\+\d+\); Postgres and Redis connections \d+ MB \(\+-?\d+\); model loaded .* \d+ MB \(\+-?\d+\); answering the dev-set questions once \d+ MB/);
  assert.match(text, /memory arena on \(as before\): model loaded \d+ MB, after answering \d+ MB; the arena keeps -?\d+ MB more/);
});
