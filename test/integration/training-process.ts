/**
 * One Kömek process's inference layer, as a worker runs it, over the Postgres database named by
 * DATABASE_URL — for training-processes.test.ts, which starts several of these as separate OS
 * processes. Training is cut short (few epochs, a small dimension, part of the corpus): the test
 * is about who trains and who waits, not about answer quality.
 *
 * Commands arrive over IPC ({ t: 'ensure' | 'train' | 'retrieve', text? }); each gets a reply
 * with `current` (the loaded model). The process also reports training progress ('progress') and
 * its inference log lines ('log'), so the test can tell who trained and who waited.
 */
import { openDatabase } from '../../db/client.ts';
import { createKbRepository } from '../../db/kb-repository.ts';
import { createModelStore } from '../../db/model-store.ts';
import type { Logger } from '../../core/ports.ts';
import { loadCorpus } from '../../inference/load-corpus.ts';
import { createInference } from '../../inference/index.ts';

type Command = { id: number; t: 'ensure' | 'train' | 'retrieve'; text?: string };

const send = (msg: Record<string, unknown>) => process.send?.(msg);

function ipcLogger(bindings: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (fields: object, msg?: string) => send({ t: 'log', level, msg, fields: { ...bindings, ...fields } });
  return { debug: () => {}, info: at('info'), warn: at('warn'), error: at('error'), child: (more) => ipcLogger({ ...bindings, ...more }) };
}

const database = await openDatabase({ kind: 'postgres', url: process.env.DATABASE_URL!, max: 3 });
const corpus = (await loadCorpus()).slice(0, 60);
const inference = createInference({
  kb: createKbRepository(database.db),
  models: createModelStore(database.db),
  logger: ipcLogger(),
  options: {
    corpus: async () => corpus,
    train: { corpusEpochs: 1, kbEpochs: 4, dim: 16 },
    followEveryMs: 100,
    waitPollMs: 100,
  },
});

const current = () => inference.current() ?? null;

process.on('message', (cmd: Command) => {
  void (async () => {
    try {
      if (cmd.t === 'ensure') await inference.ensureCurrent();
      if (cmd.t === 'train') await inference.train({ onProgress: (p) => send({ t: 'progress', phase: p.phase }) });
      const hits = cmd.t === 'retrieve' ? await inference.retriever.retrieve(cmd.text ?? '', { lang: 'ru', limit: 1 }) : [];
      send({ t: 'done', id: cmd.id, current: current(), top: hits[0]?.faqId ?? null });
    } catch (err) {
      send({ t: 'done', id: cmd.id, error: (err as Error).message });
    }
  })();
});

process.once('SIGTERM', () => {
  void inference
    .close()
    .then(() => database.close())
    .finally(() => process.exit(0));
});
send({ t: 'ready' });
