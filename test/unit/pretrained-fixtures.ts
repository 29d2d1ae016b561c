/**
 * Fixtures for the pretrained-encoder tests: tiny ONNX graphs written with onnx-proto and small
 * tokenizer.json files generated on the fly, and the real tokenizer.json files of
 * test/fixtures/tokenizers with the library's reference ids for them.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';

const TOKENIZER_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers');

/** The real tokenizer.json files (see test/fixtures/tokenizers/README.md). */
export const REAL_TOKENIZERS = ['bert-wordpiece', 't5-unigram', 'whisper-bpe', 'xlmr-unigram'] as const;
export type RealTokenizer = (typeof REAL_TOKENIZERS)[number];

export function realTokenizerPath(name: RealTokenizer): string {
  return join(TOKENIZER_FIXTURES, name, 'tokenizer.json');
}

/** What HuggingFace's tokenizers library gave for one sentence (build.mjs). */
export interface ReferenceEncoding {
  text: string;
  ids: number[];
  tokens: string[];
  typeIds: number[];
  /** The ids truncated to `truncateAt` tokens, special tokens included. */
  truncatedIds: number[];
}

export interface ReferenceIds {
  truncateAt: number;
  fixtures: Record<RealTokenizer, ReferenceEncoding[]>;
}

export async function referenceIds(): Promise<ReferenceIds> {
  return JSON.parse(await readFile(join(TOKENIZER_FIXTURES, 'expected.json'), 'utf8')) as ReferenceIds;
}

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const INT32 = onnx.TensorProto.DataType.INT32;

function valueInfo(name: string, elemType: number, dims: Array<number | string>): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export interface TinyModelOptions {
  /** Row i is the hidden vector of token id i. */
  embeddings: number[][];
  /** Adds a `token_type_ids` input whose rows (one per type id) are added to the hidden state. */
  typeEmbeddings?: number[][];
  /** Also output `sentence_embedding`: the max over positions (not the mean, so tests can tell). */
  sentenceEmbedding?: boolean;
  /** Element type of the id inputs (default int64). */
  idsType?: 'int64' | 'int32';
  /** Name of the token-level output (default `last_hidden_state`). */
  outputName?: string;
  /** Declare the hidden size symbolically, so it must be found by running the model. */
  symbolicHidden?: boolean;
  /** Declare one more (unused) float input of this name. */
  extraInput?: string;
}

/**
 * An "encoder" whose hidden state at a position is the embedding row of the token there (plus
 * its type row): Gather → (Add). Pooling results can then be computed by hand.
 */
export function tinyEncoderOnnx(opts: TinyModelOptions): Uint8Array {
  const hidden = opts.embeddings[0]!.length;
  const idsType = opts.idsType === 'int32' ? INT32 : INT64;
  const out = opts.outputName ?? 'last_hidden_state';
  const hiddenDim: number | string = opts.symbolicHidden ? 'hidden' : hidden;
  const initializer: onnxProto.onnx.ITensorProto[] = [
    { name: 'emb', dataType: FLOAT, dims: [opts.embeddings.length, hidden], floatData: opts.embeddings.flat() },
    { name: 'axis2', dataType: INT64, dims: [1], int64Data: [2] },
  ];
  const inputs = [valueInfo('input_ids', idsType, ['batch', 'seq']), valueInfo('attention_mask', idsType, ['batch', 'seq'])];
  if (opts.extraInput) inputs.push(valueInfo(opts.extraInput, FLOAT, ['batch']));
  const nodes: onnxProto.onnx.INodeProto[] = [{ opType: 'Gather', input: ['emb', 'input_ids'], output: ['tok'], name: 'gather' }];
  let state = 'tok';
  if (opts.typeEmbeddings) {
    initializer.push({ name: 'type_emb', dataType: FLOAT, dims: [opts.typeEmbeddings.length, hidden], floatData: opts.typeEmbeddings.flat() });
    inputs.push(valueInfo('token_type_ids', idsType, ['batch', 'seq']));
    nodes.push({ opType: 'Gather', input: ['type_emb', 'token_type_ids'], output: ['typ'], name: 'gather_type' });
    nodes.push({ opType: 'Add', input: ['tok', 'typ'], output: ['with_type'], name: 'add_type' });
    state = 'with_type';
  }
  // The mask is consumed (mask × 0 is added) but padding keeps its embedding row, as in a real
  // transformer whose padded positions still output something: pooling must skip them itself.
  initializer.push({ name: 'zero', dataType: FLOAT, dims: [hidden], floatData: new Array<number>(hidden).fill(0) });
  nodes.push(
    { opType: 'Cast', input: ['attention_mask'], output: ['mask_f'], name: 'cast', attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: FLOAT }] },
    { opType: 'Unsqueeze', input: ['mask_f', 'axis2'], output: ['mask3'], name: 'unsqueeze' },
    { opType: 'Mul', input: ['mask3', 'zero'], output: ['mask_zero'], name: 'mask_zero' },
    { opType: 'Add', input: [state, 'mask_zero'], output: [out], name: 'use_mask' },
  );
  const outputs = [valueInfo(out, FLOAT, ['batch', 'seq', hiddenDim])];
  if (opts.sentenceEmbedding) {
    nodes.push({
      opType: 'ReduceMax',
      input: [out],
      output: ['sentence_embedding'],
      name: 'pool',
      attribute: [
        { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] },
        { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 },
      ],
    });
    outputs.push(valueInfo('sentence_embedding', FLOAT, ['batch', hiddenDim]));
  }
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'komek-test',
    graph: { name: 'tiny', node: nodes, initializer, input: inputs, output: outputs },
  });
  return onnx.ModelProto.encode(model).finish();
}

const SPECIAL = (id: number, content: string) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

/** A BERT-style tokenizer.json: BertNormalizer, BertPreTokenizer, WordPiece, `[CLS] $A [SEP]`. */
export function wordPieceTokenizerJson(vocab: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const id = (t: string) => vocab.indexOf(t);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]'].filter((t) => id(t) >= 0).map((t) => SPECIAL(id(t), t)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
    ...extra,
  };
}

/** An XLM-R-style tokenizer.json: Metaspace, Unigram, `<s> $A </s>`. */
export function unigramTokenizerJson(vocab: Array<[string, number]>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const id = (t: string) => vocab.findIndex(([p]) => p === t);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['<s>', '<pad>', '</s>', '<unk>'].map((t) => SPECIAL(id(t), t)),
    normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [],
      special_tokens: {
        '<s>': { id: '<s>', ids: [id('<s>')], tokens: ['<s>'] },
        '</s>': { id: '</s>', ids: [id('</s>')], tokens: ['</s>'] },
      },
    },
    decoder: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: id('<unk>'), vocab, byte_fallback: false },
    ...extra,
  };
}

/** Writes a model folder: model.onnx plus whatever JSON files are given. */
export async function writeModelFolder(
  dir: string,
  files: { onnx?: Uint8Array; tokenizer?: unknown; config?: unknown; tokenizerConfig?: unknown },
): Promise<string> {
  await mkdir(dir, { recursive: true });
  if (files.onnx) await writeFile(join(dir, 'model.onnx'), files.onnx);
  if (files.tokenizer !== undefined) await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(files.tokenizer));
  if (files.config !== undefined) await writeFile(join(dir, 'config.json'), JSON.stringify(files.config));
  if (files.tokenizerConfig !== undefined) await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(files.tokenizerConfig));
  return dir;
}
