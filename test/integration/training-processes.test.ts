/**
 * Training coordination between separate OS processes on one Postgres, as several `komek worker`
 * processes run it: the training lock is a Postgres advisory lock, so it must hold across
 * processes and be given up when its holder is killed. The in-process version of these checks
 * (several inference layers in one process) is in test/unit/retrieval-inference.test.ts; the
 * lock itself across pools in model-store.test.ts.
 */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readDemoKb } from '../../app/services.ts';
import { stopProcess } from '../../bench/e2e.ts';
import type { KbEntry } from '../../core/kb.ts';
import { createKbRepository } from '../../db/kb-repository.ts';
import { postgresAvailable, postgresDatabase, type TestDatabase } from '../helpers/databases.ts';

const CHILD = fileURLToPath(new URL('./training-process.ts', import.meta.url));

type FromChild =
  | { t: 'ready' }
  | { t: 'done'; id: number; current: { modelId: string; kbVersion: number } | null; top: string | null; error?: string }
  | { t: 'progress'; phase: string }
  | { t: 'log'; level: string; msg?: string };

interface Trainer {
  child: ChildProcess;
  logs: string[];
  /** Resolves at the first training progress report of this process. */
  trainingStarted: Promise<void>;
  run(t: 'ensure' | 'train' | 'retrieve', text?: string): Promise<Extract<FromChild, { t: 'done' }>>;
  /** Resolves when this process has logged `msg`. */
  logged(msg: string): Promise<void>;
}

function startTrainer(url: string): Promise<Trainer> {
  const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const logs: string[] = [];
  const pending = new Map<number, (m: Extract<FromChild, { t: 'done' }>) => void>();
  const logWaiters: { msg: string; resolve: () => void }[] = [];
  let started!: () => void;
  const trainingStarted = new Promise<void>((r) => (started = r));
  let seq = 0;
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`training process exited early (${signal ?? code}): ${stderr}`)));
    child.on('message', (m: FromChild) => {
      if (m.t === 'ready') resolve({ child, logs, trainingStarted, run, logged });
      else if (m.t === 'progress') started();
      else if (m.t === 'log') {
        logs.push(m.msg ?? '');
        for (const w of logWaiters.filter((w) => w.msg === m.msg)) w.resolve();
      } else {
        pending.get(m.id)?.(m);
        pending.delete(m.id);
      }
    });
  });

  function run(t: 'ensure' | 'train' | 'retrieve', text?: string) {
    const id = ++seq;
    return new Promise<Extract<FromChild, { t: 'done' }>>((resolve, reject) => {
      pending.set(id, (m) => (m.error ? reject(new Error(m.error)) : resolve(m)));
      child.once('exit', (code, signal) => reject(new Error(`training process exited (${signal ?? code}) during ${t}: ${stderr}`)));
      child.send({ id, t, text });
    });
  }

  function logged(msg: string) {
    if (logs.includes(msg)) return Promise.resolve();
    return new Promise<void>((resolve) => logWaiters.push({ msg, resolve }));
  }
}

const available = await postgresAvailable();
let db: TestDatabase;
let trainers: Trainer[] = [];

before(async () => {
  if (!available) return;
  db = await postgresDatabase();
  // A few Russian entries of the demo knowledge base: enough to train on, quick to train.
  const demo = (await readDemoKb()).filter((e) => e.lang === 'ru').slice(0, 12);
  await createKbRepository(db.database.db).import(demo, { changedBy: 'test' });
});

after(async () => {
  await Promise.all(trainers.map((t) => stopProcess(t.child, 10_000)));
  await db?.drop();
});

async function storedModels(): Promise<{ id: string; kbVersion: number }[]> {
  const rows = await db.database.db.execute(sql`select id, kb_version from models order by created_at`);
  return (rows as unknown as { id: string; kb_version: number }[]).map((r) => ({ id: r.id, kbVersion: Number(r.kb_version) }));
}

const CAT: KbEntry = {
  id: 'test-cat',
  lang: 'ru',
  question: 'Нужно ли регистрировать кошку?',
  answer: 'Кошек регистрировать не нужно.',
  altQuestions: ['Регистрация кошки в акимате', 'Куда регистрировать кота'],
  sourceUrl: null,
  category: null,
  enabled: true,
};

test('three worker processes start on an empty database: one trains, the others load its model', { skip: !available && 'no Postgres', timeout: 180_000 }, async () => {
  trainers = await Promise.all([0, 1, 2].map(() => startTrainer(db.url!)));
  const results = await Promise.all(trainers.map((t) => t.run('ensure')));
  const models = await storedModels();
  assert.equal(models.length, 1, 'one model stored');
  assert.deepEqual(
    results.map((r) => r.current?.modelId),
    trainers.map(() => models[0]!.id),
    'every process answers with that model',
  );
  assert.equal(trainers.filter((t) => t.logs.includes('encoder trained')).length, 1, 'one process trained');
  assert.ok(trainers.some((t) => t.logs.includes('another process is training the model; waiting for it')), 'the others waited for it');
});

test('a trainer killed mid-training gives the lock up: a waiting process trains, a third picks the model up while answering', { skip: !available && 'no Postgres', timeout: 180_000 }, async () => {
  // The one that trained first is killed this time; the follower must not have trained before.
  const [doomed, heir, follower] = [...trainers].sort((x, y) => Number(y.logs.includes('encoder trained')) - Number(x.logs.includes('encoder trained'))) as [Trainer, Trainer, Trainer];
  const kb = createKbRepository(db.database.db);
  const { kbVersion } = await kb.import([CAT], { changedBy: 'test' });

  // One process starts training the new version (as an admin's edit would make it)…
  const a = doomed.run('train').catch(() => 'killed');
  await doomed.trainingStarted;
  // …another is asked to train it too, and waits on the lock…
  const b = heir.run('train');
  await heir.logged('another process is training the model; waiting for it');
  // …and the first is killed with the lock held: Postgres ends its session, freeing the lock.
  doomed.child.kill('SIGKILL');
  assert.equal(await a, 'killed');

  const trained = await b;
  const models = await storedModels();
  assert.equal(models.filter((m) => m.kbVersion === kbVersion).length, 1, 'the new version trained once, by the heir');
  assert.equal(trained.current?.kbVersion, kbVersion);
  assert.equal(trained.current?.modelId, models.at(-1)!.id);
  assert.ok(heir.logs.includes('encoder trained'));

  // The third process never trained; answering, it finds the heir's model within followEveryMs.
  let seen: Extract<FromChild, { t: 'done' }> | undefined;
  for (let i = 0; i < 100; i++) {
    seen = await follower.run('retrieve', 'Надо ли регистрировать кошку?');
    if (seen.current?.modelId === trained.current?.modelId) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(seen?.current?.modelId, trained.current?.modelId, 'the follower switched to the new model');
  seen = await follower.run('retrieve', 'Надо ли регистрировать кошку?');
  assert.equal(seen.top, CAT.id, 'and answers from the new entry');
  assert.ok(!follower.logs.includes('encoder trained'), 'the follower never trained');
});
