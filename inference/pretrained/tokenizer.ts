/**
 * The tokenizer of a pretrained encoder: its tokenizer.json run by HuggingFace's `tokenizers`
 * library (the npm package is a native binding of the same Rust code Python's `transformers`
 * runs), so the ids are the ones the model was trained with, SentencePiece charsmaps and
 * byte-level BPE included. Kömek adds only what an encoder needs around it: one truncation
 * length, no padding from the file (texts are grouped by length and padded per run), and errors
 * that name the file and the part of it the library cannot read.
 */
import { readFile } from 'node:fs/promises';
import type { Tokenizer as HfTokenizer } from 'tokenizers';
import { PretrainedModelError } from './errors.ts';
import { isObject, type Json } from './json-fields.ts';

/** The ids of one text, special tokens included. */
export interface Encoding {
  ids: number[];
  /** Segment ids (`token_type_ids`); all 0 for a single sentence with the usual templates. */
  typeIds: number[];
  /** The vocabulary strings, for inspection and tests. */
  tokens: string[];
}

/** Texts padded to one length, row-major `[size, length]`. */
export interface Batch {
  size: number;
  length: number;
  inputIds: Int32Array;
  attentionMask: Int32Array;
  tokenTypeIds: Int32Array;
}

export type TokenizerModelType = 'WordPiece' | 'Unigram' | 'BPE' | 'WordLevel';

/** A tokenizer.json the library has read, before Kömek settles its length. */
export interface TokenizerFile {
  path: string;
  modelType: TokenizerModelType;
  /** tokenizer.json's truncation length, if it sets one. */
  declaredMaxLength: number | undefined;
  /** Left when tokenizer.json truncates or pads on the left. */
  truncateLeft: boolean;
  padLeft: boolean;
  padId: number;
  padTypeId: number;
  hf: HfTokenizer;
}

export interface Tokenizer {
  readonly modelType: TokenizerModelType;
  /** Longest encoding, special tokens included. */
  readonly maxLength: number;
  readonly padId: number;
  /** Encodes texts one by one (no padding), truncated to `maxLength`. */
  encodeBatch(texts: string[]): Promise<Encoding[]>;
  /** Pads encodings to the longest one (at least one position, so a tensor is never empty). */
  pad(encodings: Encoding[]): Batch;
}

/**
 * The library knows older files whose `model` has no `type` by their fields; the name is only
 * for the start-up log, so the same inference is enough here.
 */
function modelTypeOf(model: unknown): TokenizerModelType {
  if (!isObject(model)) return 'WordLevel';
  const named = model.type;
  if (named === 'WordPiece' || named === 'Unigram' || named === 'BPE' || named === 'WordLevel') return named;
  if (Array.isArray(model.vocab)) return 'Unigram';
  if ('merges' in model) return 'BPE';
  if ('max_input_chars_per_word' in model || 'continuing_subword_prefix' in model) return 'WordPiece';
  return 'WordLevel';
}

const PAD_NAMES = ['<pad>', '[PAD]', '<|padding|>', '<|pad|>'];

function isLeft(cfg: Json | undefined): boolean {
  return String(cfg?.direction ?? 'Right').toLowerCase() === 'left';
}

/** Parts of tokenizer.json, each with a stand-in the library always accepts. */
const PARTS: Array<[key: string, name: string, standIn: unknown]> = [
  ['model', 'model', { type: 'WordLevel', vocab: {}, unk_token: '[UNK]' }],
  ['normalizer', 'normalizer', null],
  ['pre_tokenizer', 'pre-tokenizer', null],
  ['post_processor', 'post-processor', null],
  ['decoder', 'decoder', null],
  ['added_tokens', 'added tokens', []],
];

type HfTokenizerClass = typeof HfTokenizer;

function loads(Hf: HfTokenizerClass, json: Json): boolean {
  try {
    Hf.fromString(JSON.stringify(json));
    return true;
  } catch {
    return false;
  }
}

/**
 * The library's message says what it expected but not where; swapping each part for a stand-in
 * in turn finds the part it cannot read, which is what a deployer needs to know.
 */
function describeFault(Hf: HfTokenizerClass, json: Json, libraryMessage: string): { message: string; unsupported: boolean } {
  const unsupported = /did not match any variant/.test(libraryMessage);
  for (const [key, name, standIn] of PARTS) {
    if (json[key] === undefined || !loads(Hf, { ...json, [key]: standIn })) continue;
    const part = json[key];
    const type = isObject(part) && typeof part.type === 'string' ? ` (type "${part.type}")` : '';
    const verdict = unsupported ? 'is not supported by the tokenizers library' : 'is malformed';
    return { message: `its ${name}${type} ${verdict}: ${libraryMessage}`, unsupported };
  }
  return { message: `the tokenizers library cannot read it: ${libraryMessage}`, unsupported };
}

/**
 * Loaded only when a pretrained encoder is configured: a deployment on Kömek's own encoder
 * never needs the native binary, and one on a platform without a prebuilt binary still starts.
 */
async function loadLibrary(path: string): Promise<HfTokenizerClass> {
  try {
    return (await import('tokenizers')).Tokenizer;
  } catch (err) {
    throw new PretrainedModelError(
      `cannot read ${path}: the tokenizers library does not load on this platform (${(err as Error).message})`,
      path,
      'unsupported',
      { cause: err },
    );
  }
}

/**
 * Reads a tokenizer.json with the library. Errors name the file: a missing or unreadable file,
 * bad JSON, or the part the library cannot read (`unsupported` when it does not know that kind
 * of component, `invalid` when a field is wrong).
 */
export async function openTokenizerFile(path: string): Promise<TokenizerFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new PretrainedModelError(
      missing ? `no tokenizer.json at ${path}` : `cannot read ${path}: ${(err as Error).message}`,
      path,
      missing ? 'file-missing' : 'file-unreadable',
      { cause: err },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PretrainedModelError(`${path} is not valid JSON: ${(err as Error).message}`, path, 'invalid', { cause: err });
  }
  if (!isObject(json)) throw new PretrainedModelError(`${path} must hold a JSON object`, path, 'invalid');
  const Hf = await loadLibrary(path);
  let hf: HfTokenizer;
  try {
    hf = Hf.fromString(text);
  } catch (err) {
    const fault = describeFault(Hf, json, (err as Error).message);
    throw new PretrainedModelError(`${path}: ${fault.message}`, path, fault.unsupported ? 'unsupported' : 'invalid', { cause: err });
  }
  const truncation = isObject(json.truncation) ? json.truncation : undefined;
  const padding = isObject(json.padding) ? json.padding : undefined;
  const declared = truncation?.max_length;
  const padId =
    typeof padding?.pad_id === 'number' ? padding.pad_id : (PAD_NAMES.map((t) => hf.tokenToId(t)).find((id) => id !== null) ?? 0);
  return {
    path,
    modelType: modelTypeOf(json.model),
    declaredMaxLength: typeof declared === 'number' && declared > 0 ? declared : undefined,
    truncateLeft: isLeft(truncation),
    padLeft: isLeft(padding),
    padId,
    padTypeId: typeof padding?.pad_type_id === 'number' ? padding.pad_type_id : 0,
    hf,
  };
}

/**
 * Settles the file's tokenizer on one truncation length (special tokens included) and turns
 * off its own padding. Takes over `file.hf`: the library keeps these settings on the instance.
 * Refuses a length that leaves no room for text, since the library then silently skips
 * truncation and the model would get inputs longer than it allows.
 */
export async function createTokenizer(file: TokenizerFile, maxLength: number): Promise<Tokenizer> {
  const { hf } = file;
  hf.disablePadding();
  hf.disableTruncation();
  const special = (await hf.encode('')).getLength();
  if (maxLength <= special) {
    throw new PretrainedModelError(
      `${file.path}: a maximum length of ${maxLength} tokens leaves no room for text after its ${special} special tokens`,
      file.path,
      'unsupported',
    );
  }
  // The binding takes the direction in lowercase (its TruncationDirection enum says otherwise).
  hf.setTruncation(maxLength, { direction: file.truncateLeft ? 'left' : 'right' });

  async function encodeBatch(texts: string[]): Promise<Encoding[]> {
    if (texts.length === 0) return [];
    const encodings = await hf.encodeBatch(texts);
    return encodings.map((e) => ({ ids: e.getIds(), typeIds: e.getTypeIds(), tokens: e.getTokens() }));
  }

  function pad(encodings: Encoding[]): Batch {
    const length = Math.max(1, ...encodings.map((e) => e.ids.length));
    const size = encodings.length;
    const inputIds = new Int32Array(size * length).fill(file.padId);
    const attentionMask = new Int32Array(size * length);
    const tokenTypeIds = new Int32Array(size * length).fill(file.padTypeId);
    encodings.forEach((e, row) => {
      const offset = row * length + (file.padLeft ? length - e.ids.length : 0);
      inputIds.set(e.ids, offset);
      tokenTypeIds.set(e.typeIds, offset);
      attentionMask.fill(1, offset, offset + e.ids.length);
    });
    return { size, length, inputIds, attentionMask, tokenTypeIds };
  }

  return { modelType: file.modelType, maxLength, padId: file.padId, encodeBatch, pad };
}
