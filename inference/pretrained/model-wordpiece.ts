/**
 * WordPiece (BERT and its multilingual variants): greedy longest match from the left, pieces
 * after the first spelled with a continuation prefix (`##`); a word that cannot be covered
 * entirely becomes the unknown token.
 */
import { numberField, stringField, type Json } from './json-fields.ts';
import { cachedTokenize, readVocabObject, type SubwordModel, type Token } from './subword-model.ts';

export function buildWordPiece(cfg: Json, where: string): SubwordModel {
  const vocab = readVocabObject(cfg, where);
  const unkToken = stringField(cfg, 'unk_token', where, '[UNK]');
  const prefix = stringField(cfg, 'continuing_subword_prefix', where, '##');
  const maxChars = numberField(cfg, 'max_input_chars_per_word', where, 100);

  function unknown(): Token[] {
    const id = vocab.get(unkToken);
    if (id === undefined) throw new Error(`WordPiece: the unk token "${unkToken}" is not in the vocabulary`);
    return [{ id, value: unkToken }];
  }

  function tokenize(word: string): Token[] {
    const chars = Array.from(word);
    if (chars.length > maxChars) return unknown();
    const out: Token[] = [];
    let start = 0;
    while (start < chars.length) {
      let found: Token | undefined;
      let end = chars.length;
      for (; end > start; end--) {
        const piece = (start > 0 ? prefix : '') + chars.slice(start, end).join('');
        const id = vocab.get(piece);
        if (id !== undefined) {
          found = { id, value: piece };
          break;
        }
      }
      if (!found) return unknown();
      out.push(found);
      start = end;
    }
    return out;
  }

  return { type: 'WordPiece', tokenize: cachedTokenize(tokenize), tokenToId: (t) => vocab.get(t) };
}
