/**
 * A reader of Hugging Face `tokenizer.json` files (the format of the `tokenizers` library) and a
 * tokenizer built from one: added tokens → normalizer → pre-tokenizer → subword model →
 * truncation → post-processor, then padding in a batch. It reproduces the ids the model was
 * trained with, which is what makes a pretrained encoder usable here without Python.
 *
 * Supported: normalizers NFC/NFD/NFKC/NFKD, Lowercase, Strip, StripAccents, Replace, Prepend,
 * BertNormalizer, Precompiled (SentencePiece charsmap, read exactly), ByteLevel, Sequence;
 * pre-tokenizers Whitespace, WhitespaceSplit, BertPreTokenizer, Metaspace, Punctuation, Split,
 * Digits, CharDelimiterSplit, ByteLevel, Sequence; models WordPiece, Unigram, BPE, WordLevel;
 * post-processors TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, Sequence.
 *
 * Known differences, none of which the usual encoder files hit: offsets are not tracked, so
 * Metaspace's `prepend_scheme: "first"` treats text as starting at 0 even when a normalizer
 * stripped leading characters; regular expressions are compiled as JavaScript ones, and a
 * pattern using Oniguruma-only syntax is refused at load; BPE dropout (a training device) is
 * ignored; Unicode properties are the JavaScript engine's, which may lag or lead the library's
 * for newly encoded characters.
 */
import { readFile } from 'node:fs/promises';
import { addedTokenSplitter, readAddedTokens, type AddedToken } from './added-tokens.ts';
import { PretrainedModelError } from './errors.ts';
import { isObject, numberField, TokenizerFormatError, type Json } from './json-fields.ts';
import { buildSubwordModel } from './models.ts';
import { buildNormalizer } from './normalizers.ts';
import { buildPostProcessor } from './post-processors.ts';
import { buildPreTokenizer } from './pre-tokenizers.ts';
import type { SubwordModel } from './subword-model.ts';

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

export interface EncodeOptions {
  /** Longest sequence, special tokens included; defaults to tokenizer.json's truncation. */
  maxLength?: number;
  /** Add the post-processor's special tokens (default true). */
  addSpecialTokens?: boolean;
}

export interface Tokenizer {
  /** `WordPiece`, `Unigram`, `BPE` or `WordLevel`. */
  readonly modelType: SubwordModel['type'];
  /** tokenizer.json's truncation length, if it sets one. */
  readonly maxLength: number | undefined;
  readonly padId: number;
  encode(text: string, opts?: EncodeOptions): Encoding;
  /** Encodes and pads to the longest text; the mask is 1 on real tokens, 0 on padding. */
  encodeBatch(texts: string[], opts?: EncodeOptions): Batch;
  /** Pads encodings to the longest one (at least one position, so a tensor is never empty). */
  pad(encodings: Encoding[]): Batch;
  /** Id of a token in the added tokens or the vocabulary. */
  tokenToId(token: string): number | undefined;
}

interface Truncation {
  maxLength: number | undefined;
  left: boolean;
}

function readTruncation(cfg: unknown): Truncation {
  if (!isObject(cfg)) return { maxLength: undefined, left: false };
  return {
    maxLength: numberField(cfg, 'max_length', 'truncation', 512),
    left: String(cfg.direction ?? 'Right').toLowerCase() === 'left',
  };
}

interface Padding {
  id: number | undefined;
  typeId: number;
  left: boolean;
}

function readPadding(cfg: unknown): Padding {
  if (!isObject(cfg)) return { id: undefined, typeId: 0, left: false };
  return {
    id: typeof cfg.pad_id === 'number' ? cfg.pad_id : undefined,
    typeId: typeof cfg.pad_type_id === 'number' ? cfg.pad_type_id : 0,
    left: String(cfg.direction ?? 'Right').toLowerCase() === 'left',
  };
}

const PAD_NAMES = ['<pad>', '[PAD]', '<|padding|>', '<|pad|>'];

/** Builds a tokenizer from the parsed content of a tokenizer.json. */
export function parseTokenizer(json: unknown): Tokenizer {
  if (!isObject(json)) throw new TokenizerFormatError('the file must hold a JSON object');
  const root: Json = json;
  const added = readAddedTokens(root.added_tokens);
  const model = buildSubwordModel(root.model);
  const normalize = buildNormalizer(root.normalizer);
  const preTokenize = buildPreTokenizer(root.pre_tokenizer);
  const post = buildPostProcessor(root.post_processor);
  const truncation = readTruncation(root.truncation);
  const padding = readPadding(root.padding);
  const rawSplitter = addedTokenSplitter(added.filter((t) => !t.normalized));
  const normalizedSplitter = addedTokenSplitter(added.filter((t) => t.normalized));
  const addedByContent = new Map(added.map((t) => [t.content, t]));

  function tokenToId(token: string): number | undefined {
    return addedByContent.get(token)?.id ?? model.tokenToId(token);
  }

  const padId = padding.id ?? PAD_NAMES.map(tokenToId).find((id) => id !== undefined) ?? 0;

  function modelTokens(text: string): { ids: number[]; tokens: string[] } {
    const ids: number[] = [];
    const tokens: string[] = [];
    const push = (t: AddedToken | { id: number; value: string }) => {
      ids.push(t.id);
      tokens.push('content' in t ? t.content : t.value);
    };
    for (const raw of rawSplitter.split({ text, atStart: true })) {
      if ('added' in raw) {
        push(raw.added);
        continue;
      }
      const normalized = { text: normalize(raw.piece.text), atStart: raw.piece.atStart };
      for (const part of normalizedSplitter.split(normalized)) {
        if ('added' in part) {
          push(part.added);
          continue;
        }
        for (const word of preTokenize([part.piece])) {
          for (const t of model.tokenize(word.text)) push(t);
        }
      }
    }
    return { ids, tokens };
  }

  function encode(text: string, opts: EncodeOptions = {}): Encoding {
    const addSpecial = opts.addSpecialTokens ?? true;
    let { ids, tokens } = modelTokens(text);
    const maxLength = opts.maxLength ?? truncation.maxLength;
    if (maxLength !== undefined) {
      const room = Math.max(0, maxLength - (addSpecial ? post.added : 0));
      if (ids.length > room) {
        const from = truncation.left ? ids.length - room : 0;
        ids = ids.slice(from, from + room);
        tokens = tokens.slice(from, from + room);
      }
    }
    const seq = { ids, typeIds: ids.map(() => 0), tokens };
    return addSpecial ? post.apply(seq) : seq;
  }

  function pad(encodings: Encoding[]): Batch {
    const length = Math.max(1, ...encodings.map((e) => e.ids.length));
    const size = encodings.length;
    const inputIds = new Int32Array(size * length).fill(padId);
    const attentionMask = new Int32Array(size * length);
    const tokenTypeIds = new Int32Array(size * length).fill(padding.typeId);
    encodings.forEach((e, row) => {
      const offset = row * length + (padding.left ? length - e.ids.length : 0);
      inputIds.set(e.ids, offset);
      tokenTypeIds.set(e.typeIds, offset);
      attentionMask.fill(1, offset, offset + e.ids.length);
    });
    return { size, length, inputIds, attentionMask, tokenTypeIds };
  }

  const encodeBatch = (texts: string[], opts: EncodeOptions = {}) => pad(texts.map((t) => encode(t, opts)));

  return { modelType: model.type, maxLength: truncation.maxLength, padId, encode, encodeBatch, pad, tokenToId };
}

/**
 * Reads and parses a tokenizer.json. Errors name the file: a missing or unreadable file, bad
 * JSON, a malformed field, or a component Kömek does not implement.
 */
export async function loadTokenizer(path: string): Promise<Tokenizer> {
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
  try {
    return parseTokenizer(json);
  } catch (err) {
    if (!(err instanceof TokenizerFormatError)) throw err;
    throw new PretrainedModelError(`${path}: ${err.message}`, path, err.unsupported ? 'unsupported' : 'invalid', { cause: err });
  }
}
