/**
 * How a pretrained ONNX encoder is fed and read: which inputs it declares (and with which
 * integer type), and which output carries the sentence vectors.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { PretrainedModelError } from './errors.ts';
import type { Batch } from './tokenizer.ts';

type Ort = typeof import('onnxruntime-node');

export type InputName = 'input_ids' | 'attention_mask' | 'token_type_ids' | 'position_ids';
const KNOWN_INPUTS = new Set<string>(['input_ids', 'attention_mask', 'token_type_ids', 'position_ids']);

export interface InputPlan {
  name: InputName;
  type: 'int64' | 'int32';
}

export interface OutputPlan {
  name: string;
  /** True when the output is already one vector per text (`sentence_embedding`). */
  pooled: boolean;
  /** Vector size if the graph declares it. */
  declaredDim: number | undefined;
}

function metadataOf(names: readonly string[], list: readonly InferenceSession.ValueMetadata[], name: string) {
  return list[names.indexOf(name)] ?? list.find((m) => m.name === name);
}

/** Reads the graph's inputs; any input Kömek cannot fill is an error naming the model file. */
export function planInputs(session: InferenceSession, modelPath: string): InputPlan[] {
  const plans = session.inputNames.map((name): InputPlan => {
    if (!KNOWN_INPUTS.has(name)) {
      throw new PretrainedModelError(
        `${modelPath} declares an input "${name}"; only input_ids, attention_mask, token_type_ids and position_ids can be fed`,
        modelPath,
        'unsupported',
      );
    }
    const meta = metadataOf(session.inputNames, session.inputMetadata, name);
    const type = meta && meta.isTensor ? meta.type : 'int64';
    if (type !== 'int64' && type !== 'int32') {
      throw new PretrainedModelError(`${modelPath}: input "${name}" has type ${type}; expected int64 or int32`, modelPath, 'unsupported');
    }
    return { name: name as InputName, type };
  });
  if (!plans.some((p) => p.name === 'input_ids')) {
    throw new PretrainedModelError(`${modelPath} has no input named input_ids`, modelPath, 'unsupported');
  }
  return plans;
}

/**
 * `sentence_embedding` when the export includes pooling, else `last_hidden_state` (or
 * `token_embeddings`), else the first output, which is the hidden state in plain exports.
 */
export function planOutput(session: InferenceSession): OutputPlan {
  const names = session.outputNames;
  const name = ['sentence_embedding', 'last_hidden_state', 'token_embeddings'].find((n) => names.includes(n)) ?? names[0]!;
  const meta = metadataOf(names, session.outputMetadata, name);
  const shape = meta && meta.isTensor ? meta.shape : [];
  const last = shape.at(-1);
  return {
    name,
    pooled: name === 'sentence_embedding' || shape.length === 2,
    declaredDim: typeof last === 'number' && last > 0 ? last : undefined,
  };
}

function positionIds(batch: Batch): Int32Array {
  const out = new Int32Array(batch.size * batch.length);
  for (let b = 0; b < batch.size; b++) {
    let pos = 0;
    for (let t = 0; t < batch.length; t++) {
      const i = b * batch.length + t;
      out[i] = batch.attentionMask[i] ? pos++ : 0;
    }
  }
  return out;
}

function toTensor(ort: Ort, type: 'int64' | 'int32', data: Int32Array, dims: number[]): Tensor {
  if (type === 'int32') return new ort.Tensor('int32', data, dims);
  return new ort.Tensor('int64', BigInt64Array.from(data, (v) => BigInt(v)), dims);
}

/** The feeds of one run, in the types the graph declares. */
export function buildFeeds(ort: Ort, plans: InputPlan[], batch: Batch): Record<string, Tensor> {
  const dims = [batch.size, batch.length];
  const feeds: Record<string, Tensor> = {};
  for (const p of plans) {
    const data =
      p.name === 'input_ids'
        ? batch.inputIds
        : p.name === 'attention_mask'
          ? batch.attentionMask
          : p.name === 'token_type_ids'
            ? batch.tokenTypeIds
            : positionIds(batch);
    feeds[p.name] = toTensor(ort, p.type, data, dims);
  }
  return feeds;
}
