/**
 * Training coordinated across every process that shares the database: of several workers that
 * notice the same knowledge-base change one trains, under a lock held in the database, and the
 * others wait for its model and load it. If the lock frees up without a model for this version
 * (the trainer died), a waiting process trains itself. The model's life cycle — what training,
 * loading and adopting a model do — stays with the caller (`inference/index.ts`).
 */
import type { KnowledgeBase, Logger, ModelStore } from '../core/ports.ts';
import { MODEL_KIND } from './encoder/meta.ts';
import type { TrainProgress } from './training/train-model.ts';
import type { SelfCheck } from './retrieval/self-check.ts';

export interface TrainResult {
  modelId: string;
  kbVersion: number;
  seconds: number;
  /** How well the model knows the knowledge base (absent when another process trained it on an older meta). */
  selfCheck?: SelfCheck;
}

export interface TrainOptions {
  onProgress?: (p: TrainProgress) => void;
}

export interface SharedTrainingDeps {
  kb: Pick<KnowledgeBase, 'version'>;
  models: ModelStore;
  log: Logger;
  /** How often a process waiting for another's training looks for its model, ms (default 2000). */
  waitPollMs?: number;
  /** True once inference is closed: no new round starts then. */
  isClosed(): boolean;
  /** Trains on the current knowledge base in this process (it holds the lock). */
  trainHere(opts: TrainOptions, started: number): Promise<TrainResult>;
  /** Switches to a model another process trained (unless it is the one in use). */
  adopt(newest: { id: string; kbVersion: number }, started: number): Promise<TrainResult>;
}

export interface SharedTraining {
  /** Trains once across all processes; concurrent calls in this process share one run. */
  train(opts?: TrainOptions): Promise<TrainResult>;
  /** Whether a training (here, or waiting for another process's) is under way. */
  running(): boolean;
  /** Ends the waits at once and lets a training in flight finish; call after marking closed. */
  close(): Promise<void>;
}

export function createSharedTraining(deps: SharedTrainingDeps): SharedTraining {
  const log = deps.log;
  let training: Promise<TrainResult> | null = null;
  const wakeOnClose = new Set<() => void>();

  /**
   * Trains on the current knowledge base — once across all processes sharing the database. When
   * another process holds the training lock this one waits for that model and loads it; if the
   * lock frees up without a model for this version (the trainer died), it trains itself.
   */
  function train(trainOpts: TrainOptions = {}): Promise<TrainResult> {
    training ??= (async () => {
      const started = performance.now();
      const version = await deps.kb.version();
      for (let round = 0; ; round++) {
        if (deps.isClosed()) throw new Error('inference is closed');
        const outcome = await deps.models.exclusively(MODEL_KIND, async () => {
          // Asked for directly and nobody else was at it: train. Otherwise another process may
          // have finished this very version while this one waited for the lock: use its model.
          if (round > 0) {
            const newest = await deps.models.newest(MODEL_KIND);
            if (newest && newest.kbVersion >= version) return deps.adopt(newest, started);
          }
          return deps.trainHere(trainOpts, started);
        });
        if (outcome.ran) return outcome.value;
        if (round === 0) log.info({ kbVersion: version }, 'another process is training the model; waiting for it');
        const newest = await deps.models.newest(MODEL_KIND);
        if (newest && newest.kbVersion >= version) return deps.adopt(newest, started);
        await pause(deps.waitPollMs ?? 2000);
      }
    })().finally(() => {
      training = null;
    });
    return training;
  }

  /** A wait that ends early when inference closes. */
  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakeOnClose.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeOnClose.add(done);
    });
  }

  return {
    train,
    running: () => training !== null,
    async close() {
      for (const wake of wakeOnClose) wake();
      await training?.catch(() => undefined);
    },
  };
}
