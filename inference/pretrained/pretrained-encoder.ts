/**
 * A deployer's pretrained sentence encoder (an ONNX export such as multilingual-e5-small, with
 * its tokenizer.json), run by onnxruntime-node as Kömek's {@link Encoder}. The folder is local;
 * nothing is fetched from anywhere.
 */
import * as ort from 'onnxruntime-node';
import type { Encoder } from '../../core/ports.ts';
import { PretrainedModelError } from './errors.ts';
import { createMicroBatcher } from '../micro-batcher.ts';
import { openModelFolder } from './model-folder.ts';
import { resolveMaxLength, resolvePooling, resolvePrefixes, type Prefixes } from './model-settings.ts';
import { buildFeeds, planInputs, planOutput, type InputPlan, type OutputPlan } from './onnx-io.ts';
import { l2Normalize, pool, rows, type Pooling } from './pooling.ts';
import { createTokenizer, openTokenizerFile, type Encoding, type Tokenizer } from './tokenizer.ts';

export interface PretrainedEncoderOptions {
  /** Threads for one run (onnxruntime's intra-op pool); its default uses every core. */
  intraOpNumThreads?: number;
  /**
   * Put before every query. Defaults to `"query: "` for e5 models (an instruction for e5
   * instruct models), else nothing.
   */
  queryPrefix?: string;
  /** Put before every passage. Defaults to `"passage: "` for e5 models, else nothing. */
  passagePrefix?: string;
  /** Longest input in tokens, special tokens included (see `resolveMaxLength`). */
  maxLength?: number;
  /**
   * How token vectors become one vector. Defaults to what the folder's sentence-transformers
   * pooling config says (`1_Pooling/config.json`), else the mean. Ignored when the graph
   * already outputs `sentence_embedding`.
   */
  pooling?: Pooling;
  /**
   * Most texts in one run (default 32). Larger calls are spread over several runs, and queries
   * go before passages waiting in the queue, so indexing does not hold up a citizen's question.
   */
  maxBatchSize?: number;
}

/** What was loaded, for the start-up log. */
export interface PretrainedEncoderInfo {
  dir: string;
  modelPath: string;
  tokenizerType: Tokenizer['modelType'];
  maxLength: number;
  prefixes: Prefixes;
  /** The output read, and whether it is already pooled. */
  output: string;
  pooled: boolean;
  /** Pooling applied to a token-level output. */
  pooling: Pooling;
  inputs: string[];
}

export interface PretrainedEncoder extends Encoder {
  readonly info: PretrainedEncoderInfo;
}

/** Tokens in one run at most (batch × padded length): bounds memory when passages are long. */
const TOKEN_BUDGET = 32 * 256;

/** Groups encodings of similar length (longest first) so little of each run is padding. */
function chunkByLength(encodings: Encoding[], maxBatch: number): number[][] {
  const order = encodings.map((_, i) => i).sort((a, b) => encodings[b]!.ids.length - encodings[a]!.ids.length);
  const chunks: number[][] = [];
  let chunk: number[] = [];
  let width = 0;
  for (const i of order) {
    const len = Math.max(1, encodings[i]!.ids.length);
    if (chunk.length === 0) width = len;
    if (chunk.length > 0 && (chunk.length >= maxBatch || (chunk.length + 1) * width > TOKEN_BUDGET)) {
      chunks.push(chunk);
      chunk = [];
      width = len;
    }
    chunk.push(i);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

function readVectors(tensor: ort.Tensor, output: OutputPlan, pooling: Pooling, mask: Int32Array, modelPath: string): Float32Array[] {
  if (tensor.type !== 'float32') {
    throw new PretrainedModelError(`${modelPath}: output "${output.name}" is ${tensor.type}; expected float32`, modelPath, 'unsupported');
  }
  const data = tensor.data as Float32Array;
  const dims = tensor.dims;
  if (dims.length === 2) return rows(data, dims[0]!, dims[1]!);
  if (dims.length === 3) return pool(pooling, data, mask, dims[0]!, dims[1]!, dims[2]!);
  throw new PretrainedModelError(
    `${modelPath}: output "${output.name}" has shape [${dims.join(', ')}]; expected [batch, seq, hidden] or [batch, hidden]`,
    modelPath,
    'unsupported',
  );
}

interface Runner {
  session: ort.InferenceSession;
  tokenizer: Tokenizer;
  inputs: InputPlan[];
  output: OutputPlan;
  pooling: Pooling;
  maxBatch: number;
  modelPath: string;
}

/** Tokenizes, runs the graph chunk by chunk, pools and normalises: one vector per text. */
function textRunner(r: Runner): (texts: string[]) => Promise<Float32Array[]> {
  return async function runTexts(texts) {
    const encodings = await r.tokenizer.encodeBatch(texts);
    const out = new Array<Float32Array>(texts.length);
    for (const chunk of chunkByLength(encodings, r.maxBatch)) {
      const batch = r.tokenizer.pad(chunk.map((i) => encodings[i]!));
      const result = await r.session.run(buildFeeds(ort, r.inputs, batch), [r.output.name]);
      const vectors = readVectors(result[r.output.name]!, r.output, r.pooling, batch.attentionMask, r.modelPath);
      chunk.forEach((i, k) => (out[i] = l2Normalize(vectors[k]!)));
    }
    return out;
  };
}

async function openSession(modelPath: string, intraOpNumThreads: number | undefined): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(modelPath, {
      ...(intraOpNumThreads !== undefined ? { intraOpNumThreads } : {}),
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // onnxruntime's warnings (unused initializers and the like) mean nothing to a deployer.
      logSeverityLevel: 3,
    });
  } catch (err) {
    throw new PretrainedModelError(`cannot load ${modelPath}: ${(err as Error).message}`, modelPath, 'invalid', { cause: err });
  }
}

/**
 * Opens a pretrained encoder folder (model.onnx + tokenizer.json, optionally config.json and
 * tokenizer_config.json) and returns an {@link Encoder} backed by one onnxruntime session.
 * Create one per process and share it: concurrent `encode` calls are joined into one run.
 *
 * Throws {@link PretrainedModelError} naming the folder or file when the folder is missing,
 * has no model.onnx or tokenizer.json, or uses a tokenizer or graph Kömek cannot run.
 */
export async function createPretrainedEncoder(dir: string, opts: PretrainedEncoderOptions = {}): Promise<PretrainedEncoder> {
  const folder = await openModelFolder(dir);
  const tokenizerFile = await openTokenizerFile(folder.tokenizerPath);
  const maxLength = resolveMaxLength(folder, tokenizerFile.declaredMaxLength, opts.maxLength);
  const tokenizer = await createTokenizer(tokenizerFile, maxLength);
  const prefixes = resolvePrefixes(folder, opts);
  const pooling = resolvePooling(folder, opts.pooling);
  const maxBatch = Math.max(1, opts.maxBatchSize ?? 32);
  const session = await openSession(folder.modelPath, opts.intraOpNumThreads);

  let runTexts: (texts: string[]) => Promise<Float32Array[]>;
  let inputs: InputPlan[];
  let output: OutputPlan;
  let dim: number;
  try {
    inputs = planInputs(session, folder.modelPath);
    output = planOutput(session);
    runTexts = textRunner({ session, tokenizer, inputs, output, pooling, maxBatch, modelPath: folder.modelPath });
    // The graph may leave the hidden size symbolic; one tiny run tells it for certain.
    dim = output.declaredDim ?? (await runTexts(['dim']))[0]!.length;
  } catch (err) {
    await session.release().catch(() => undefined);
    throw err;
  }

  const batcher = createMicroBatcher<string, Float32Array>(runTexts, { maxItems: maxBatch });
  let closing: Promise<void> | undefined;

  return {
    dim,
    info: {
      dir: folder.dir,
      modelPath: folder.modelPath,
      tokenizerType: tokenizer.modelType,
      maxLength,
      prefixes,
      output: output.name,
      pooled: output.pooled,
      pooling,
      inputs: inputs.map((p) => p.name),
    },
    async encode(texts, role) {
      if (closing) throw new PretrainedModelError(`the encoder of ${folder.dir} is closed`, folder.dir, 'closed');
      const prefix = role === 'query' ? prefixes.query : prefixes.passage;
      const priority = role === 'query' ? 'high' : 'low';
      return batcher.submit(texts.map((t) => prefix + t), { priority });
    },
    close() {
      // Runs already queued finish first; only then is the native session released.
      closing ??= batcher.drain().then(() => session.release());
      return closing;
    },
  };
}
