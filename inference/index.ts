/**
 * Kömek's inference layer for one worker: the language detector, the trained (or a deployer's
 * pretrained) encoder loaded once, and the hybrid retriever kept in sync with the knowledge base.
 *
 * Model policy: a worker loads the newest stored `komek-hashed-v1` model. When its knowledge-base
 * version is the current one it is used as is (with its stored vectors). When there is none, the
 * worker trains before answering (the demo knowledge base trains in well under a minute). When it
 * is older than the knowledge base, the worker answers with it at once — new and changed entries
 * are embedded by it immediately — and retrains in the background, swapping the new model in
 * when it is saved. Training takes a lock shared through the database, so of several workers
 * that notice the same change one trains and the others load its model (shared-training.ts);
 * every worker looks for a newer model every `followEveryMs` while it answers.
 */
import type { Thresholds } from '../core/decide.ts';
import type { KbEntry } from '../core/kb.ts';
import type { KnowledgeBase, LanguageDetector, Logger, ModelStore, Retriever, StoredModel } from '../core/ports.ts';
import { loadCorpus } from './load-corpus.ts';
import type { Analyzer } from './encoder/featurize.ts';
import { MODEL_KIND, parseEncoderMeta } from './encoder/meta.ts';
import { createOnnxEncoder } from './encoder/onnx-encoder.ts';
import { recentAnalyses } from './encoder/recent-analyses.ts';
import type { TrainProgress } from './training/train-model.ts';
import type { CorpusLike } from './training/training-data.ts';
import { createLanguageDetector } from './language.ts';
import { createPretrainedEncoder } from './pretrained/pretrained-encoder.ts';
import { createSharedTraining, type TrainResult } from './shared-training.ts';
import { backgroundIndex, calibrateHybrid, fitRetrieval, type CalibrationMeta } from './training/fit-retrieval.ts';
import { encoderEmbedder, trainedEmbedder, type TextEmbedder } from './retrieval/embedder.ts';
import { createHybridRetriever, type HybridRetriever } from './retrieval/hybrid-retriever.ts';
import { DEFAULT_SPLIT, makeCalibrationSplit } from './training/calibration-split.ts';
import type { LogisticModel } from './retrieval/logistic.ts';
import { DEFAULT_THRESHOLDS } from './retrieval/thresholds.ts';
import type { SelfCheck } from './retrieval/self-check.ts';
import { analyze } from './text/index.ts';

export { DEFAULT_THRESHOLDS } from './retrieval/thresholds.ts';
export { MODEL_KIND } from './encoder/meta.ts';

export interface InferenceOptions {
  /** onnxruntime intra-op threads per session (default 1). */
  intraOpNumThreads?: number;
  /** Keep onnxruntime's CPU memory arena for the answering session (default false: see onnx-encoder.ts). */
  memoryArena?: boolean;
  /** A pretrained ONNX sentence encoder folder (EMBEDDING_MODEL_DIR): no training then. */
  modelDir?: string;
  /** Training seed (default 42). */
  seed?: number;
  /** How often retrieval checks the knowledge-base version, ms (default 5000). */
  checkEveryMs?: number;
  /**
   * How often answering checks for a newer stored model (trained by another process) or a
   * knowledge base the model is older than, ms (default 30000). In the background: never delays
   * an answer.
   */
  followEveryMs?: number;
  /** How often a process waiting for another's training looks for its model, ms (default 2000). */
  waitPollMs?: number;
  /** Corpus source (default: the project's corpus); tests pass a small one. */
  corpus?: () => Promise<CorpusLike[]>;
  /** Text analyser (default: inference/text's `analyze`). */
  analyzer?: Analyzer;
  /** Training option overrides (tests use fewer epochs). */
  train?: Parameters<typeof fitRetrieval>[3]['train'];
}

export interface InferenceDeps {
  kb: KnowledgeBase;
  models: ModelStore;
  logger: Logger;
  options?: InferenceOptions;
}

export type { TrainResult } from './shared-training.ts';
export type { SelfCheck } from './retrieval/self-check.ts';
export { CalibrationError } from './retrieval/self-check.ts';

/** The inference layer as the composition root and the commands use it. */
export interface KomekInference {
  retriever: Retriever;
  detector: LanguageDetector;
  thresholds: Thresholds;
  /** False with a pretrained encoder (EMBEDDING_MODEL_DIR): then there is nothing to train. */
  trainable: boolean;
  /** Trains on the current knowledge base, stores model and vectors, and switches to them. */
  train(opts?: { onProgress?: (p: TrainProgress) => void }): Promise<TrainResult>;
  /** Loads the current model (training first when there is none); see the policy above. */
  ensureCurrent(): Promise<void>;
  /** The stored model in use (none yet, or a pretrained encoder: no id), with its self-check. */
  current(): { modelId?: string; kbVersion: number; thresholds: Thresholds; selfCheck?: SelfCheck } | undefined;
  close(): Promise<void>;
}

interface Loaded {
  retriever: HybridRetriever;
  /** Thresholds the model's calibration chose for its knowledge base. */
  thresholds: Thresholds;
  /** The model's self-check (none for a pretrained encoder's older meta). */
  selfCheck?: SelfCheck;
  /** The stored model in use; undefined for a pretrained encoder. */
  modelId?: string;
  modelKbVersion: number;
  close(): Promise<void>;
}

export function createInference(deps: InferenceDeps): KomekInference {
  const opts = deps.options ?? {};
  const analyzer = opts.analyzer ?? analyze;
  // The loaded encoder and the retriever's lexical index share one analysis per question.
  const answering = recentAnalyses(analyzer);
  const seed = opts.seed ?? 42;
  const log = deps.logger.child({ component: 'inference' });
  const corpus = opts.corpus ?? loadCorpus;
  let loaded: Loaded | null = null;
  let loading: Promise<void> | null = null;
  let closed = false;
  let followedAt = Date.now();

  async function swap(next: Loaded): Promise<void> {
    const previous = loaded;
    loaded = next;
    await previous?.close();
  }

  async function retrieverFor(
    embedder: TextEmbedder,
    calibration: LogisticModel,
    backgroundServices: readonly string[],
    stored?: { kbVersion: number; vectors: Awaited<ReturnType<ModelStore['vectors']>> },
  ): Promise<{ retriever: HybridRetriever; close(): Promise<void> }> {
    const background = await backgroundIndex(await corpus(), backgroundServices, embedder);
    const retriever = createHybridRetriever({ kb: deps.kb, encoder: embedder, analyzer: answering, calibration, logger: log, stored, background, checkEveryMs: opts.checkEveryMs });
    return {
      retriever,
      async close() {
        await retriever.close();
        await background.close();
      },
    };
  }

  async function loadStored(model: StoredModel): Promise<void> {
    const meta = parseEncoderMeta(model.meta);
    const cal = meta.calibration as unknown as CalibrationMeta | undefined;
    if (!cal?.model) throw new Error(`model ${model.id} has no calibration in its meta`);
    const encoder = await createOnnxEncoder(model, answering, { intraOpNumThreads: opts.intraOpNumThreads, memoryArena: opts.memoryArena });
    try {
      const vectors = await deps.models.vectors(model.id);
      const built = await retrieverFor(trainedEmbedder(encoder), cal.model, cal.backgroundServices ?? [], { kbVersion: model.kbVersion, vectors });
      await built.retriever.refresh();
      // Models stored before thresholds were chosen per knowledge base keep the old constants.
      const thresholds = cal.thresholds ?? DEFAULT_THRESHOLDS;
      await swap({ retriever: built.retriever, modelId: model.id, modelKbVersion: model.kbVersion, thresholds, selfCheck: cal.selfCheck, close: async () => (await built.close(), await encoder.close()) });
      log.info({ modelId: model.id, kbVersion: model.kbVersion, thresholds }, 'encoder loaded');
      if (cal.selfCheck?.status === 'weak') log.warn({ modelId: model.id, selfCheck: cal.selfCheck.message }, 'the model knows this knowledge base poorly');
    } catch (err) {
      await encoder.close();
      throw err;
    }
  }

  async function loadPretrained(dir: string): Promise<void> {
    const encoder = await createPretrainedEncoder(dir, { intraOpNumThreads: opts.intraOpNumThreads });
    try {
      const embedder = encoderEmbedder(encoder);
      const entries = await deps.kb.list({ enabledOnly: true });
      const kbVersion = await deps.kb.version();
      // No training: the split only decides which corpus services play the unknown while calibrating.
      const all = await corpus();
      const split = makeCalibrationSplit(entries, all, { ...DEFAULT_SPLIT, seed });
      const cal = await calibrateHybrid(split, all, embedder, analyzer, seed);
      const built = await retrieverFor(embedder, cal.model, cal.backgroundServices);
      await built.retriever.refresh();
      await swap({ retriever: built.retriever, modelKbVersion: kbVersion, thresholds: cal.thresholds, selfCheck: cal.selfCheck, close: async () => (await built.close(), await encoder.close()) });
      log.info({ dir, kbVersion, thresholds: cal.thresholds, selfCheck: cal.selfCheck.message }, 'pretrained encoder loaded');
    } catch (err) {
      await encoder.close();
      throw err;
    }
  }

  const shared = createSharedTraining({ kb: deps.kb, models: deps.models, log, waitPollMs: opts.waitPollMs, isClosed: () => closed, trainHere, adopt });

  async function train(trainOpts: { onProgress?: (p: TrainProgress) => void } = {}): Promise<TrainResult> {
    if (opts.modelDir) throw new Error('a pretrained encoder is configured (EMBEDDING_MODEL_DIR): nothing to train');
    return shared.train(trainOpts);
  }

  async function trainHere(trainOpts: { onProgress?: (p: TrainProgress) => void }, started: number): Promise<TrainResult> {
    const kbVersion = await deps.kb.version();
    const entries: KbEntry[] = await deps.kb.list({ enabledOnly: true });
    const fit = await fitRetrieval(entries, await corpus(), analyzer, {
      seed,
      train: opts.train,
      intraOpNumThreads: opts.intraOpNumThreads,
      onProgress: trainOpts.onProgress,
    });
    trainOpts.onProgress?.({ phase: 'save', done: 0, total: 1 });
    const saved = await deps.models.save({ kind: MODEL_KIND, kbVersion, onnx: fit.onnx, meta: fit.meta });
    await deps.models.saveVectors(saved.id, fit.vectors);
    trainOpts.onProgress?.({ phase: 'save', done: 1, total: 1 });
    if (!closed) await loadStored(saved);
    const seconds = (performance.now() - started) / 1000;
    log.info({ modelId: saved.id, kbVersion, seconds, fit: fit.seconds, entries: entries.length, thresholds: fit.calibration.thresholds, selfCheck: fit.calibration.selfCheck.message }, 'encoder trained');
    return { modelId: saved.id, kbVersion, seconds, selfCheck: fit.calibration.selfCheck };
  }

  /** Switches to a model another process trained (unless it is the one in use). */
  async function adopt(newest: { id: string; kbVersion: number }, started: number): Promise<TrainResult> {
    if (loaded?.modelId !== newest.id && !closed) {
      const model = await deps.models.latest(MODEL_KIND);
      if (model) await loadStored(model);
    }
    return { modelId: newest.id, kbVersion: newest.kbVersion, seconds: (performance.now() - started) / 1000, selfCheck: loaded?.modelId === newest.id ? loaded.selfCheck : undefined };
  }

  async function ensureCurrent(): Promise<void> {
    if (closed) throw new Error('inference is closed');
    loading ??= (async () => {
      if (opts.modelDir) {
        if (!loaded) await loadPretrained(opts.modelDir);
        return;
      }
      const version = await deps.kb.version();
      if (loaded && loaded.modelKbVersion === version) return;
      // Which model is newest, without fetching its bytes: most checks end here.
      const newest = await deps.models.newest(MODEL_KIND);
      if (!newest) {
        log.info({ kbVersion: version }, 'no trained encoder yet: training now');
        await train();
        return;
      }
      if (loaded?.modelId !== newest.id) {
        const model = await deps.models.latest(MODEL_KIND);
        if (model) await loadStored(model);
      }
      if (newest.kbVersion !== version && !shared.running()) {
        log.info({ modelKbVersion: newest.kbVersion, kbVersion: version }, 'knowledge base changed since training: retraining in the background');
        train().catch((err: unknown) => log.error({ err }, 'background training failed'));
      }
    })().finally(() => {
      loading = null;
    });
    return loading;
  }

  /** At most every `followEveryMs`, in the background: pick up newer models, retrain when due. */
  function follow(): void {
    if (opts.modelDir || closed) return;
    const at = Date.now();
    if (at - followedAt < (opts.followEveryMs ?? 30_000)) return;
    followedAt = at;
    ensureCurrent().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'could not check for a newer model'));
  }

  // A live view: the pipeline reads the thresholds at every decision, so a new model's own
  // thresholds apply from the moment it is swapped in.
  const thresholds: Thresholds = {
    get answer() {
      return (loaded?.thresholds ?? DEFAULT_THRESHOLDS).answer;
    },
    get clarify() {
      return (loaded?.thresholds ?? DEFAULT_THRESHOLDS).clarify;
    },
    get margin() {
      return (loaded?.thresholds ?? DEFAULT_THRESHOLDS).margin;
    },
  };

  const retriever: Retriever = {
    async retrieve(text, retrieveOpts) {
      if (!loaded) await ensureCurrent();
      else follow();
      return loaded!.retriever.retrieve(text, retrieveOpts);
    },
  };

  return {
    retriever,
    detector: createLanguageDetector(),
    thresholds,
    trainable: !opts.modelDir,
    train,
    ensureCurrent,
    current: () => (loaded ? { modelId: loaded.modelId, kbVersion: loaded.modelKbVersion, thresholds: loaded.thresholds, selfCheck: loaded.selfCheck } : undefined),
    async close() {
      if (closed) return;
      closed = true;
      await shared.close();
      await loaded?.close();
      loaded = null;
    },
  };
}
