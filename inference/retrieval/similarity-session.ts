/**
 * Dot products of a query with every stored vector, run by onnxruntime (one Gemm over the
 * matrix kept as an initializer). For 10,000 entries (~50,000 texts) this is an order of
 * magnitude faster than a JavaScript loop, which pays for every Float32Array read.
 */
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export interface SimilaritySession {
  /** Similarities of `query` (length dim) with each of the n rows. */
  scores(query: Float32Array): Promise<Float32Array>;
  close(): Promise<void>;
}

function graphBytes(matrix: Float32Array, n: number, dim: number): Uint8Array {
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'komek',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'komek_similarity',
      node: [{ opType: 'Gemm', input: ['query', 'matrix'], output: ['scores'], name: 'scores', attribute: [{ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] }],
      initializer: [{ name: 'matrix', dims: [n, dim], dataType: FLOAT, rawData: new Uint8Array(matrix.buffer, matrix.byteOffset, matrix.byteLength) }],
      input: [{ name: 'query', type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: 1 }, { dimValue: dim }] } } } }],
      output: [{ name: 'scores', type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: 1 }, { dimValue: n }] } } } }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** A session over `matrix` (row-major n × dim). */
export async function createSimilaritySession(matrix: Float32Array, n: number, dim: number, intraOpNumThreads = 1): Promise<SimilaritySession> {
  const session = await ort.InferenceSession.create(graphBytes(matrix, n, dim), { intraOpNumThreads, interOpNumThreads: 1 });
  let closed: Promise<void> | null = null;
  return {
    async scores(query) {
      const out = await session.run({ query: new ort.Tensor('float32', query, [1, dim]) });
      return out.scores!.data as Float32Array;
    },
    close() {
      closed ??= session.release();
      return closed;
    },
  };
}
