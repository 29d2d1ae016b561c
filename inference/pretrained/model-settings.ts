/**
 * Settings a pretrained encoder needs that its folder implies: the prefixes e5 models were
 * trained with, and the longest input the model accepts.
 */
import type { ModelFolder } from './model-folder.ts';
import { modelNames } from './model-folder.ts';
import type { Tokenizer } from './tokenizer.ts';

export interface Prefixes {
  query: string;
  passage: string;
}

/** e5 models were trained with these and lose accuracy without them. */
export const E5_PREFIXES: Prefixes = { query: 'query: ', passage: 'passage: ' };

/** `e5` as a word of the name: `multilingual-e5-small`, `intfloat/e5-base-v2`, `e5_small`. */
const E5_NAME = /(^|[^a-z0-9])e5([^a-z0-9]|$)/i;

/** True when the folder name or its config names an e5 model. */
export function looksLikeE5(folder: ModelFolder): boolean {
  return modelNames(folder).some((name) => E5_NAME.test(name));
}

/** Prefixes to use: explicit ones win (an empty string disables), else e5's when it is e5. */
export function resolvePrefixes(folder: ModelFolder, opts: { queryPrefix?: string; passagePrefix?: string }): Prefixes {
  const base = looksLikeE5(folder) ? E5_PREFIXES : { query: '', passage: '' };
  return { query: opts.queryPrefix ?? base.query, passage: opts.passagePrefix ?? base.passage };
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
export function resolveMaxLength(folder: ModelFolder, tokenizer: Tokenizer, requested?: number): number {
  const limit = positionLimit(folder);
  const declared = [tokenizer.maxLength, configuredMaxLength(folder)].filter((v): v is number => v !== undefined);
  let length = requested ?? (declared.length > 0 ? Math.min(...declared) : DEFAULT_MAX_LENGTH);
  if (limit !== undefined) length = Math.min(length, limit);
  return Math.max(2, Math.floor(length));
}
