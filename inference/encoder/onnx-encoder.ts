/**
 * Kömek's trained encoder at run time: one onnxruntime-node session created from the stored
 * bytes, the featurizer rebuilt from the stored meta, and concurrent `encode()` calls merged into
 * one `session.run`. Nothing here imports training code.
 */
import * as ort from 'onnxruntime-node';
import type { Lang } from '../../core/lang.ts';
import type { Encoder } from '../../core/ports.ts';
import { createFeaturizer, padBatch, type Analyzer, type FeatureBatch, type Featurizer } from './featurize.ts';
import { parseEncoderMeta, type EncoderMeta } from './meta.ts';
import { createMicroBatcher } from '../micro-batcher.ts';
import { ONNX_IO } from './onnx-export.ts';
import { deserializeVocabulary } from './vocabulary.ts';

export interface OnnxEncoderOptions {
  /** Threads onnxruntime may use inside one run (default 1: workers scale by processes). */
  intraOpNumThreads?: number;
  /** How long a request waits for others to share its run (ms; default 0 = the current I/O turn). */
  batchWindowMs?: number;
  /** Most texts in one run (default 256); a larger request is spread over several runs. */
  maxBatch?: number;
  /**
   * Keep onnxruntime's CPU memory arena (default false). The arena never gives back what a run
   * took: after the 256-text batches that embed the background index at load, it held about
   * 80 MB for the life of a worker whose questions then need well under 1 MB a run. Without it
   * each run allocates and frees its tensors: measured side by side, no cost for one text a run,
   * about 5% for 8 (a worker's micro-batches at concurrency 8), about 15% for 32.
   */
  memoryArena?: boolean;
}

/** The trained encoder: the core `Encoder` port plus what retrieval and benchmarks need. */
export interface OnnxEncoder extends Encoder {
  readonly meta: EncoderMeta;
  readonly featurizer: Featurizer;
  /** Like `encode`, with the language of each text when it is known (better stemming). */
  encodeWithLang(texts: string[], langs?: (Lang | undefined)[]): Promise<Float32Array[]>;
  /** One direct `session.run` over pre-featurized input (no batching, no featurizing). */
  runBatch(batch: FeatureBatch): Promise<Float32Array[]>;
  /** Runs and items merged so far. */
  batchStats(): { runs: number; items: number };
}

interface Job {
  text: string;
  lang: Lang | undefined;
}

/** Loads a stored model (ONNX bytes + meta) into a session. */
export async function createOnnxEncoder(
  model: { onnx: Uint8Array; meta: unknown },
  analyzer: Analyzer,
  opts: OnnxEncoderOptions = {},
): Promise<OnnxEncoder> {
  const meta = parseEncoderMeta(model.meta);
  const featurizer = createFeaturizer(analyzer, meta.featurizer, deserializeVocabulary(meta.vocab));
  const session = await ort.InferenceSession.create(model.onnx, {
    intraOpNumThreads: opts.intraOpNumThreads ?? 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    enableCpuMemArena: opts.memoryArena ?? false,
  });
  const dim = meta.outDim;
  let closed: Promise<void> | null = null;

  async function runBatch(batch: FeatureBatch): Promise<Float32Array[]> {
    const feeds = {
      [ONNX_IO.ids]: new ort.Tensor('int32', batch.ids, [batch.batch, batch.length]),
      [ONNX_IO.weights]: new ort.Tensor('float32', batch.weights, [batch.batch, batch.length]),
    };
    const result = await session.run(feeds);
    const data = result[ONNX_IO.output]!.data as Float32Array;
    const out: Float32Array[] = [];
    for (let i = 0; i < batch.batch; i++) out.push(data.slice(i * dim, (i + 1) * dim));
    return out;
  }

  const batcher = createMicroBatcher<Job, Float32Array>(
    function runJobs(jobs) {
      return runBatch(padBatch(jobs.map((j) => featurizer.featurize(j.text, j.lang))));
    },
    { windowMs: opts.batchWindowMs ?? 0, maxItems: opts.maxBatch ?? 256 },
  );

  return {
    dim,
    meta,
    featurizer,
    runBatch,
    batchStats: () => batcher.stats(),
    encode(texts) {
      return batcher.submit(texts.map((text) => ({ text, lang: undefined })));
    },
    encodeWithLang(texts, langs) {
      return batcher.submit(texts.map((text, i) => ({ text, lang: langs?.[i] })));
    },
    close() {
      closed ??= (async function release() {
        await batcher.close();
        await session.release();
      })();
      return closed;
    },
  };
}
