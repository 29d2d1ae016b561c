/**
 * Settings a pretrained encoder needs that its folder implies: the prefixes e5 models were
 * trained with, how the model pools token vectors, and the longest input it accepts.
 */
import { PretrainedModelError } from './errors.ts';
import type { ModelFolder } from './model-folder.ts';
import { modelNames } from './model-folder.ts';
import type { Pooling } from './pooling.ts';

export interface Prefixes {
  query: string;
  passage: string;
}

/** e5 models were trained with these and lose accuracy without them. */
export const E5_PREFIXES: Prefixes = { query: 'query: ', passage: 'passage: ' };

/**
 * e5 "instruct" models take a task instruction before the query and nothing before a passage;
 * this is the retrieval instruction of their model card.
 */
export const E5_INSTRUCT_PREFIXES: Prefixes = {
  query: 'Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery: ',
  passage: '',
};

/** `e5` as a word of the name: `multilingual-e5-small`, `intfloat/e5-base-v2`, `e5_small`. */
const E5_NAME = /(^|[^a-z0-9])e5([^a-z0-9]|$)/i;
const INSTRUCT_NAME = /instruct/i;

/** True when the folder name or its config names an e5 model. */
export function looksLikeE5(folder: ModelFolder): boolean {
  return modelNames(folder).some((name) => E5_NAME.test(name));
}

/** Prefixes to use: explicit ones win (an empty string disables), else e5's when it is e5. */
export function resolvePrefixes(folder: ModelFolder, opts: { queryPrefix?: string; passagePrefix?: string }): Prefixes {
  let base: Prefixes = { query: '', passage: '' };
  if (looksLikeE5(folder)) {
    base = modelNames(folder).some((name) => INSTRUCT_NAME.test(name)) ? E5_INSTRUCT_PREFIXES : E5_PREFIXES;
  }
  return { query: opts.queryPrefix ?? base.query, passage: opts.passagePrefix ?? base.passage };
}

const POOLING_FLAGS: Array<[string, Pooling]> = [
  ['pooling_mode_mean_tokens', 'mean'],
  // The mean divided by √length points the same way: after normalisation it is the mean.
  ['pooling_mode_mean_sqrt_len_tokens', 'mean'],
  ['pooling_mode_cls_token', 'cls'],
  ['pooling_mode_max_tokens', 'max'],
  ['pooling_mode_lasttoken', 'lasttoken'],
];
const POOLING_NAMES: Record<string, Pooling> = { mean: 'mean', mean_sqrt_len_tokens: 'mean', cls: 'cls', max: 'max', lasttoken: 'lasttoken' };

/**
 * Pooling: the option if given, else what sentence-transformers' pooling config says, else the
 * mean. A config asking for something else (weighted mean, several modes at once) is an error
 * naming the file, since pooling the wrong way silently degrades every vector.
 */
export function resolvePooling(folder: ModelFolder, requested?: Pooling): Pooling {
  if (requested) return requested;
  if (!folder.pooling) return 'mean';
  const { path, config } = folder.pooling;
  if (typeof config.pooling_mode === 'string') {
    const named = POOLING_NAMES[config.pooling_mode];
    if (named) return named;
    throw new PretrainedModelError(`${path}: pooling_mode "${config.pooling_mode}" is not supported`, path, 'unsupported');
  }
  const modes = Object.entries(config).filter(([key, on]) => key.startsWith('pooling_mode_') && on === true);
  const known = POOLING_FLAGS.filter(([key]) => modes.some(([m]) => m === key));
  if (modes.length === 0) return 'mean';
  if (modes.length === 1 && known.length === 1) return known[0]![1];
  throw new PretrainedModelError(
    `${path}: pooling ${modes.map(([m]) => m).join(' + ')} is not supported (one of mean, cls, max, lasttoken)`,
    path,
    'unsupported',
  );
}

// RoBERTa-style models number positions from `pad_token_id + 1`, so two of their
// `max_position_embeddings` are never reachable by a token (514 → 512 for XLM-R and e5).
const OFFSET_POSITIONS = new Set(['roberta', 'xlm-roberta', 'xlm-roberta-xl', 'camembert', 'longformer', 'mpnet']);

/** How many positions the model's position table allows, if config.json says. */
export function positionLimit(folder: ModelFolder): number | undefined {
  const cfg = folder.config;
  const max = cfg?.max_position_embeddings;
  if (typeof max !== 'number' || max <= 0) return undefined;
  const type = typeof cfg?.model_type === 'string' ? cfg.model_type : '';
  const pad = typeof cfg?.pad_token_id === 'number' ? cfg.pad_token_id : 1;
  return OFFSET_POSITIONS.has(type) ? max - (pad + 1) : max;
}

/** tokenizer_config.json's `model_max_length`, ignoring the "no limit" sentinel (1e30). */
function configuredMaxLength(folder: ModelFolder): number | undefined {
  const v = folder.tokenizerConfig?.model_max_length;
  return typeof v === 'number' && v > 0 && v < 1_000_000 ? v : undefined;
}

export const DEFAULT_MAX_LENGTH = 512;

/**
 * Longest input in tokens, special tokens included: the option if given, else the tightest of
 * tokenizer.json's truncation and tokenizer_config.json's `model_max_length`, else 512; never
 * beyond what the position table allows (a longer input would fail inside the model).
 */
export function resolveMaxLength(folder: ModelFolder, tokenizerMaxLength: number | undefined, requested?: number): number {
  const limit = positionLimit(folder);
  const declared = [tokenizerMaxLength, configuredMaxLength(folder)].filter((v): v is number => v !== undefined);
  let length = requested ?? (declared.length > 0 ? Math.min(...declared) : DEFAULT_MAX_LENGTH);
  if (limit !== undefined) length = Math.min(length, limit);
  return Math.max(2, Math.floor(length));
}
