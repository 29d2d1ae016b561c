/**
 * Post-processors of tokenizer.json: the special tokens put around a sequence (`[CLS] … [SEP]`,
 * `<s> … </s>`). Only single sequences are needed for sentence embeddings.
 */
import { arrayField, isObject, objectField, TokenizerFormatError, typeOf, unsupported, type Json } from './json-fields.ts';

export interface Sequence {
  ids: number[];
  typeIds: number[];
  tokens: string[];
}

export interface PostProcessor {
  /** How many tokens `apply` adds; truncation leaves room for them. */
  readonly added: number;
  apply(seq: Sequence): Sequence;
}

const none: PostProcessor = { added: 0, apply: (seq) => seq };

function pairField(cfg: Json, key: string, where: string): [string, number] {
  const v = cfg[key];
  if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'number') return [v[0], v[1]];
  throw new TokenizerFormatError(`${where}.${key} must be a [token, id] pair`);
}

/** BertProcessing and RobertaProcessing: `cls A sep`, type id 0 throughout. */
function clsSep(cfg: Json, where: string): PostProcessor {
  const [clsToken, clsId] = pairField(cfg, 'cls', where);
  const [sepToken, sepId] = pairField(cfg, 'sep', where);
  return {
    added: 2,
    apply: (seq) => ({
      ids: [clsId, ...seq.ids, sepId],
      typeIds: [0, ...seq.typeIds.map(() => 0), 0],
      tokens: [clsToken, ...seq.tokens, sepToken],
    }),
  };
}

type TemplatePiece = { special: { ids: number[]; tokens: string[] }; typeId: number } | { sequence: true; typeId: number };

function template(cfg: Json, where: string): PostProcessor {
  const specials = objectField(cfg, 'special_tokens', where);
  const pieces: TemplatePiece[] = arrayField(cfg, 'single', where).map((p, i) => {
    const at = `${where}.single[${i}]`;
    if (isObject(p) && isObject(p.Sequence)) {
      return { sequence: true, typeId: typeof p.Sequence.type_id === 'number' ? p.Sequence.type_id : 0 };
    }
    if (isObject(p) && isObject(p.SpecialToken) && typeof p.SpecialToken.id === 'string') {
      const name = p.SpecialToken.id;
      const spec = specials[name];
      if (!isObject(spec) || !Array.isArray(spec.ids) || !spec.ids.every((x) => typeof x === 'number')) {
        throw new TokenizerFormatError(`${at}: special token "${name}" is missing from ${where}.special_tokens`);
      }
      const ids = spec.ids as number[];
      const tokens = Array.isArray(spec.tokens) ? spec.tokens.map(String) : ids.map(() => name);
      return { special: { ids, tokens }, typeId: typeof p.SpecialToken.type_id === 'number' ? p.SpecialToken.type_id : 0 };
    }
    throw new TokenizerFormatError(`${at} must be {"Sequence": …} or {"SpecialToken": …}`);
  });
  const added = pieces.reduce((n, p) => n + ('special' in p ? p.special.ids.length : 0), 0);
  return {
    added,
    apply(seq) {
      const out: Sequence = { ids: [], typeIds: [], tokens: [] };
      for (const p of pieces) {
        if ('special' in p) {
          out.ids.push(...p.special.ids);
          out.tokens.push(...p.special.tokens);
          for (let k = 0; k < p.special.ids.length; k++) out.typeIds.push(p.typeId);
        } else {
          out.ids.push(...seq.ids);
          out.tokens.push(...seq.tokens);
          for (let k = 0; k < seq.ids.length; k++) out.typeIds.push(p.typeId);
        }
      }
      return out;
    },
  };
}

/** Builds the post-processor described by tokenizer.json's `post_processor` (null means none). */
export function buildPostProcessor(cfg: unknown, where = 'post_processor'): PostProcessor {
  if (cfg === null || cfg === undefined) return none;
  if (!isObject(cfg)) throw new TokenizerFormatError(`${where} must be an object or null`);
  const type = typeOf(cfg, where);
  switch (type) {
    case 'TemplateProcessing':
      return template(cfg, where);
    case 'BertProcessing':
    case 'RobertaProcessing':
      return clsSep(cfg, where);
    case 'ByteLevel':
      return none; // only trims offsets, which an encoder does not use
    case 'Sequence': {
      const steps = arrayField(cfg, 'processors', where).map((c, i) => buildPostProcessor(c, `${where}.processors[${i}]`));
      return {
        added: steps.reduce((n, s) => n + s.added, 0),
        apply: (seq) => steps.reduce((acc, s) => s.apply(acc), seq),
      };
    }
    default:
      throw unsupported(`${where}: post-processor type "${type}"`);
  }
}
