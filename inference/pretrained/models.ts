/**
 * The subword model of tokenizer.json (`model`): turns one word into vocabulary ids. WordPiece
 * (BERT), Unigram (XLM-R, e5, T5), BPE (GPT-2, RoBERTa and many newer models) and WordLevel.
 */
import { isObject, TokenizerFormatError, typeOf, unsupported, type Json } from './json-fields.ts';
import { buildBpe } from './model-bpe.ts';
import { buildUnigram } from './model-unigram.ts';
import { buildWordPiece } from './model-wordpiece.ts';
import { readVocabObject, type SubwordModel } from './subword-model.ts';

function buildWordLevel(cfg: Json, where: string): SubwordModel {
  const vocab = readVocabObject(cfg, where);
  const unk = typeof cfg.unk_token === 'string' ? cfg.unk_token : undefined;
  return {
    type: 'WordLevel',
    tokenToId: (token) => vocab.get(token),
    tokenize(word) {
      const id = vocab.get(word);
      if (id !== undefined) return [{ id, value: word }];
      const unkId = unk === undefined ? undefined : vocab.get(unk);
      if (unkId === undefined) throw new Error(`WordLevel: "${word}" is not in the vocabulary and there is no unk token`);
      return [{ id: unkId, value: unk! }];
    },
  };
}

/** Builds the model described by tokenizer.json's `model`. */
export function buildSubwordModel(cfg: unknown, where = 'model'): SubwordModel {
  if (!isObject(cfg)) throw new TokenizerFormatError(`${where} must be an object`);
  // Old files omit `type` for BPE; the library then guesses from the fields present.
  const type = cfg.type === undefined && 'merges' in cfg ? 'BPE' : typeOf(cfg, where);
  switch (type) {
    case 'WordPiece':
      return buildWordPiece(cfg, where);
    case 'Unigram':
      return buildUnigram(cfg, where);
    case 'BPE':
      return buildBpe(cfg, where);
    case 'WordLevel':
      return buildWordLevel(cfg, where);
    default:
      throw unsupported(`${where}: tokenizer model type "${type}"`);
  }
}
