/**
 * Writes the encoder as a real ONNX graph (opset 13) that onnxruntime-node runs on its own:
 *
 *   ids[int32 B×L], weights[float B×L]
 *   → Gather(embedding, ids) · Unsqueeze(weights) → ReduceSum over L        (embedding bag)
 *     (int8 table: Cast(Gather(values, ids)) · Unsqueeze(weights · Gather(scales, ids)))
 *   → z + Tanh(MatMul(z, W) + b)                                            (optional dense)
 *   → x / max(‖x‖₂, ε)                                                      (L2 normalise)
 *   → embedding[float B×D]
 *
 * Batch and length are dynamic axes, so one session serves any batch.
 */
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import type { EncoderWeights } from './model.ts';
import type { QuantizedEmbedding } from './quantize.ts';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT32 = onnx.TensorProto.DataType.INT32;
const INT64 = onnx.TensorProto.DataType.INT64;
const INT8 = onnx.TensorProto.DataType.INT8;

/** Names of the graph's inputs and output, shared with the runtime. */
export const ONNX_IO = { ids: 'ids', weights: 'weights', output: 'embedding' } as const;
export const ONNX_OPSET = 13;
/** Below this norm a vector is left (near) zero instead of being divided by ~0. */
export const NORM_EPSILON = 1e-12;

function floatTensor(name: string, dims: number[], data: Float32Array): OnnxTypes.ITensorProto {
  return {
    name,
    dims,
    dataType: FLOAT,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

function int64Tensor(name: string, values: number[]): OnnxTypes.ITensorProto {
  const data = new BigInt64Array(values.map((v) => BigInt(v)));
  return { name, dims: [values.length], dataType: INT64, rawData: new Uint8Array(data.buffer) };
}

function valueInfo(name: string, elemType: number, dims: (string | number)[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

function node(opType: string, input: string[], output: string[], attribute: OnnxTypes.IAttributeProto[] = []): OnnxTypes.INodeProto {
  return { opType, input, output, name: output[0], attribute };
}

function intAttr(name: string, i: number): OnnxTypes.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

/**
 * The ONNX model bytes for `weights`; with `quantized`, the embedding table is stored as int8
 * with per-row scales (and `weights.embedding` is ignored).
 */
export function exportOnnx(weights: EncoderWeights, opts: { docString?: string; quantized?: QuantizedEmbedding } = {}): Uint8Array {
  const outDim = weights.dense ? weights.dense.out : weights.dim;
  const initializer: OnnxTypes.ITensorProto[] = [
    int64Tensor('axis_1', [1]),
    int64Tensor('axis_2', [2]),
    floatTensor('norm_eps', [], new Float32Array([NORM_EPSILON])),
  ];
  const nodes: OnnxTypes.INodeProto[] = [];
  let rowWeights: string = ONNX_IO.weights;
  if (opts.quantized) {
    const q = opts.quantized;
    initializer.push(
      { name: 'embedding_int8', dims: [weights.rows, weights.dim], dataType: INT8, rawData: new Uint8Array(q.values.buffer, q.values.byteOffset, q.values.byteLength) },
      floatTensor('embedding_scale', [weights.rows], q.scales),
    );
    nodes.push(
      node('Gather', ['embedding_int8', ONNX_IO.ids], ['gathered_int8'], [intAttr('axis', 0)]),
      node('Cast', ['gathered_int8'], ['gathered'], [intAttr('to', FLOAT)]),
      node('Gather', ['embedding_scale', ONNX_IO.ids], ['row_scale'], [intAttr('axis', 0)]),
      node('Mul', [ONNX_IO.weights, 'row_scale'], ['scaled_weights']),
    );
    rowWeights = 'scaled_weights';
  } else {
    initializer.push(floatTensor('embedding_table', [weights.rows, weights.dim], weights.embedding));
    nodes.push(node('Gather', ['embedding_table', ONNX_IO.ids], ['gathered'], [intAttr('axis', 0)]));
  }
  nodes.push(
    node('Unsqueeze', [rowWeights, 'axis_2'], ['weights_3d']),
    node('Mul', ['gathered', 'weights_3d'], ['weighted']),
    node('ReduceSum', ['weighted', 'axis_1'], ['pooled'], [intAttr('keepdims', 0)]),
  );
  let last = 'pooled';
  if (weights.dense) {
    initializer.push(floatTensor('dense_weight', [weights.dim, outDim], weights.dense.weight));
    initializer.push(floatTensor('dense_bias', [outDim], weights.dense.bias));
    nodes.push(
      node('MatMul', ['pooled', 'dense_weight'], ['dense_mm']),
      node('Add', ['dense_mm', 'dense_bias'], ['dense_pre']),
      node('Tanh', ['dense_pre'], ['dense_act']),
      node('Add', ['pooled', 'dense_act'], ['dense_out']),
    );
    last = 'dense_out';
  }
  nodes.push(
    node('Mul', [last, last], ['squared']),
    node('ReduceSum', ['squared', 'axis_1'], ['sum_sq'], [intAttr('keepdims', 1)]),
    node('Sqrt', ['sum_sq'], ['norm']),
    node('Max', ['norm', 'norm_eps'], ['norm_safe']),
    node('Div', [last, 'norm_safe'], [ONNX_IO.output]),
  );
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'komek',
    producerVersion: '1',
    docString: opts.docString ?? 'Kömek hashed n-gram sentence encoder',
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: 'komek_encoder',
      node: nodes,
      initializer,
      input: [
        valueInfo(ONNX_IO.ids, INT32, ['batch', 'length']),
        valueInfo(ONNX_IO.weights, FLOAT, ['batch', 'length']),
      ],
      output: [valueInfo(ONNX_IO.output, FLOAT, ['batch', outDim])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
