import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { PretrainedModelError } from '../../inference/pretrained/errors.ts';
import { buildNormalizer } from '../../inference/pretrained/normalizers.ts';
import { parseCharsmap } from '../../inference/pretrained/precompiled-charsmap.ts';
import { buildPreTokenizer } from '../../inference/pretrained/pre-tokenizers.ts';
import { charMatcher, splitPiece } from '../../inference/pretrained/text-split.ts';
import { loadTokenizer, parseTokenizer } from '../../inference/pretrained/tokenizer.ts';
import { buildCharsmap, SPECIAL, unigramTokenizerJson, wordPieceTokenizerJson } from './pretrained-fixtures.ts';

const BERT_VOCAB = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', 'hello', 'world', '##s', 'un', '##aff', '##able', ',', '!', 'cafe',
  'қазақ', '##стан', 'и', '中', '国',
];

// Scores chosen so the best segmentation is not the greedy longest match: "▁world" (-13) loses
// to "▁w" + "or" + "ld" (-12).
const UNIGRAM_VOCAB: Array<[string, number]> = [
  ['<s>', 0], ['<pad>', 0], ['</s>', 0], ['<unk>', 0],
  ['▁', -2], ['▁hel', -3], ['lo', -3], ['▁hello', -4],
  ['h', -5], ['e', -5], ['l', -5], ['o', -5],
  ['▁w', -4], ['or', -4], ['ld', -4], ['▁world', -13],
  ['w', -5], ['r', -5], ['d', -5],
];

const words = (pieces: Array<{ text: string }>) => pieces.map((p) => p.text);

describe('WordPiece tokenizer (BERT style)', () => {
  const tok = parseTokenizer(wordPieceTokenizerJson(BERT_VOCAB));

  it('lowercases, splits punctuation and continues words with ##', () => {
    const e = tok.encode('Hello, worlds! Unaffable');
    assert.deepEqual(e.tokens, ['[CLS]', 'hello', ',', 'world', '##s', '!', 'un', '##aff', '##able', '[SEP]']);
    assert.deepEqual(e.ids, [2, 4, 10, 5, 6, 11, 7, 8, 9, 3]);
    assert.deepEqual(e.typeIds, new Array(10).fill(0));
  });

  it('strips accents when lowercasing, as uncased BERT does (й loses its breve too)', () => {
    assert.deepEqual(tok.encode('Café').tokens, ['[CLS]', 'cafe', '[SEP]']);
    assert.deepEqual(tok.encode('Й').tokens, ['[CLS]', 'и', '[SEP]']);
    assert.deepEqual(tok.encode('ҚАЗАҚСТАН').tokens, ['[CLS]', 'қазақ', '##стан', '[SEP]']);
  });

  it('puts CJK ideographs in words of their own', () => {
    assert.deepEqual(tok.encode('中国').tokens, ['[CLS]', '中', '国', '[SEP]']);
  });

  it('maps a word it cannot cover entirely to [UNK]', () => {
    assert.deepEqual(tok.encode('hellox world').ids, [2, 1, 5, 3]);
  });

  it('maps words longer than max_input_chars_per_word to [UNK]', () => {
    const json = wordPieceTokenizerJson(BERT_VOCAB);
    (json.model as Record<string, unknown>).max_input_chars_per_word = 4;
    assert.deepEqual(parseTokenizer(json).encode('hello').ids, [2, 1, 3]);
  });

  it('keeps special tokens typed in the text whole', () => {
    assert.deepEqual(tok.encode('hello [SEP] world').ids, [2, 4, 3, 5, 3]);
  });

  it('truncates to maxLength keeping the special tokens', () => {
    assert.deepEqual(tok.encode('hello, world!', { maxLength: 4 }).ids, [2, 4, 10, 3]);
    assert.deepEqual(tok.encode('hello, world!', { maxLength: 4, addSpecialTokens: false }).ids, [4, 10, 5, 11]);
  });

  it('applies the truncation of tokenizer.json, including its direction', () => {
    const left = parseTokenizer(
      wordPieceTokenizerJson(BERT_VOCAB, { truncation: { direction: 'Left', max_length: 4, strategy: 'LongestFirst', stride: 0 } }),
    );
    assert.equal(left.maxLength, 4);
    assert.deepEqual(left.encode('hello, world!').ids, [2, 5, 11, 3]);
  });

  it('pads a batch with [PAD] and masks the padding', () => {
    const b = tok.encodeBatch(['hello', 'hello world!']);
    assert.equal(b.size, 2);
    assert.equal(b.length, 5);
    assert.deepEqual([...b.inputIds], [2, 4, 3, 0, 0, 2, 4, 5, 11, 3]);
    assert.deepEqual([...b.attentionMask], [1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
    assert.deepEqual([...b.tokenTypeIds], new Array(10).fill(0));
  });

  it('reads BertProcessing as [CLS] A [SEP]', () => {
    const json = wordPieceTokenizerJson(BERT_VOCAB, { post_processor: { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] } });
    assert.deepEqual(parseTokenizer(json).encode('hello').ids, [2, 4, 3]);
  });
});

describe('Unigram tokenizer with Metaspace (XLM-R / e5 style)', () => {
  const tok = parseTokenizer(unigramTokenizerJson(UNIGRAM_VOCAB));

  it('finds the segmentation with the best total score by Viterbi', () => {
    const e = tok.encode('hello world');
    assert.deepEqual(e.tokens, ['<s>', '▁hello', '▁w', 'or', 'ld', '</s>']);
    assert.deepEqual(e.ids, [0, 7, 12, 13, 14, 2]);
  });

  it('fuses adjacent unknown characters into one <unk>', () => {
    const e = tok.encode('hexz');
    assert.deepEqual(e.tokens, ['<s>', '▁', 'h', 'e', 'xz', '</s>']);
    assert.deepEqual(e.ids, [0, 4, 8, 9, 3, 2]);
  });

  it('spells unknown pieces as <0xNN> bytes when byte_fallback is on', () => {
    const vocab: Array<[string, number]> = [...UNIGRAM_VOCAB, ['<0x78>', -20], ['<0x7A>', -20]];
    const json = unigramTokenizerJson(vocab);
    (json.model as Record<string, unknown>).byte_fallback = true;
    assert.deepEqual(parseTokenizer(json).encode('hexz').tokens, ['<s>', '▁', 'h', 'e', '<0x78>', '<0x7A>', '</s>']);
  });

  it('pads with <pad>', () => {
    const b = tok.encodeBatch(['hello', 'hello world']);
    assert.deepEqual([...b.inputIds], [0, 7, 2, 1, 1, 1, 0, 7, 12, 13, 14, 2]);
    assert.deepEqual([...b.attentionMask], [1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
  });

  it('prepends ▁ only at the very start with prepend_scheme "first"', () => {
    const first = unigramTokenizerJson(UNIGRAM_VOCAB, {
      pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: true },
    });
    assert.deepEqual(parseTokenizer(first).encode('hello</s>world').tokens, ['<s>', '▁hello', '</s>', 'w', 'or', 'ld', '</s>']);
    assert.deepEqual(tok.encode('hello</s>world').tokens, ['<s>', '▁hello', '</s>', '▁w', 'or', 'ld', '</s>']);
  });

  it('reads the older add_prefix_space spelling of Metaspace', () => {
    const never = unigramTokenizerJson(UNIGRAM_VOCAB, {
      pre_tokenizer: { type: 'Metaspace', replacement: '▁', add_prefix_space: false },
    });
    assert.deepEqual(parseTokenizer(never).encode('world').tokens, ['<s>', 'w', 'or', 'ld', '</s>']);
  });

  it('normalises with a SentencePiece charsmap, then collapses spaces', () => {
    const charsmap = Buffer.from(buildCharsmap({ 'Ｈ': 'h', 'e\u0301': 'e', '\u00a0': ' ' })).toString('base64');
    const json = unigramTokenizerJson(UNIGRAM_VOCAB, {
      normalizer: {
        type: 'Sequence',
        normalizers: [
          { type: 'Precompiled', precompiled_charsmap: charsmap },
          { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' },
        ],
      },
    });
    assert.deepEqual(parseTokenizer(json).encode('Ｈe\u0301llo\u00a0\u00a0world').tokens, ['<s>', '▁hello', '▁w', 'or', 'ld', '</s>']);
  });
});

describe('precompiled charsmap', () => {
  const cm = parseCharsmap(buildCharsmap({ 'ﬁ': 'fi', 'Ａ': 'A', 'e\u0301': 'é', '\u200b': '' }));

  it('rewrites by the rules and leaves other text alone', () => {
    assert.equal(cm.normalize('ﬁx Ａ b'), 'fix A b');
    assert.equal(cm.normalize('a\u200bb'), 'ab');
    assert.equal(cm.normalize('Сәлем'), 'Сәлем');
  });

  it('matches a whole grapheme cluster when one rule covers it', () => {
    assert.equal(cm.normalize('cafe\u0301'), 'café');
  });

  it('gives the same text with or without the no-cluster shortcut (property)', () => {
    const rules: Record<string, string> = { 'Ａ': 'A', 'ﬁ': 'fi', 'e\u0301': 'é', '\r\n': '<crlf>', '\u00a0': ' ', '한': 'h', 'ж': 'Ж' };
    const charsmap = parseCharsmap(buildCharsmap(rules));
    const keys = Object.keys(rules).sort((a, b) => a.length - b.length);
    const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');
    // The library's algorithm, always segmenting into graphemes.
    const reference = (text: string) => {
      let out = '';
      for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
        const rule = utf8Length(segment) < 6 ? keys.find((k) => segment.startsWith(k)) : undefined;
        if (rule !== undefined) out += rules[rule];
        else for (const ch of segment) out += rules[ch] ?? ch;
      }
      return out;
    };
    const alphabet = ['a', 'e', '\u0301', 'Ａ', 'ﬁ', '\r', '\n', '😀', '\u200d', '👍', '\u{1F3FD}', 'ж', 'ә', ' ', '\u00a0', '한', '\u1100', '\u1161'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }), (chars) => {
        const text = chars.join('');
        assert.equal(charsmap.normalize(text), reference(text));
      }),
      { numRuns: 500 },
    );
  });

  it('rejects a blob whose trie does not fit', () => {
    assert.throws(() => parseCharsmap(new Uint8Array([255, 0, 0, 0, 1, 2])), /trie size/);
  });
});

describe('BPE tokenizer with ByteLevel (RoBERTa style)', () => {
  const vocab = [
    '<s>', '<pad>', '</s>', '<unk>', 'h', 'e', 'l', 'o', 'Ġ', 'w', 'r', 'd',
    'he', 'll', 'hell', 'hello', 'Ġw', 'or', 'Ġwor', 'ld', 'Ġworld', '!',
  ];
  const json = (model: Record<string, unknown> = {}) => ({
    added_tokens: [SPECIAL(0, '<s>'), SPECIAL(1, '<pad>'), SPECIAL(2, '</s>'), SPECIAL(3, '<unk>')],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: false },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
      merges: ['h e', 'l l', 'he ll', 'hell o', 'Ġ w', ['o', 'r'], 'Ġw or', 'l d', 'Ġwor ld'],
      ...model,
    },
  });

  it('merges by rank within byte-level words', () => {
    const e = parseTokenizer(json()).encode('hello world!');
    assert.deepEqual(e.tokens, ['<s>', 'hello', 'Ġworld', '!', '</s>']);
    assert.deepEqual(e.ids, [0, 15, 20, 21, 2]);
  });

  it('gives each unknown byte the unk token unless fused', () => {
    // "é" is two bytes, shown as "Ã" and "©"; neither is in the vocabulary.
    assert.deepEqual(parseTokenizer(json({ unk_token: '<unk>' })).encode('é').ids, [0, 3, 3, 2]);
    assert.deepEqual(parseTokenizer(json({ unk_token: '<unk>', fuse_unk: true })).encode('é').ids, [0, 3, 2]);
  });

  it('rejects a merge whose tokens are not in the vocabulary', () => {
    assert.throws(() => parseTokenizer(json({ merges: ['x y'] })), /merges\[0\].*"x"/);
  });
});

describe('pre-tokenizers and normalizers', () => {
  const run = (cfg: unknown, text: string) => words(buildPreTokenizer(cfg)([{ text, atStart: true }]));

  it('Whitespace keeps Kazakh and Russian words whole', () => {
    assert.deepEqual(run({ type: 'Whitespace' }, 'Сәлем, әлем! ЖСН-ді қалай?'), ['Сәлем', ',', 'әлем', '!', 'ЖСН', '-', 'ді', 'қалай', '?']);
  });

  it('WhitespaceSplit, Punctuation, Digits and Sequence', () => {
    assert.deepEqual(run({ type: 'WhitespaceSplit' }, ' a  b,c '), ['a', 'b,c']);
    assert.deepEqual(run({ type: 'Punctuation', behavior: 'Isolated' }, 'a,b!!'), ['a', ',', 'b', '!', '!']);
    assert.deepEqual(run({ type: 'Digits', individual_digits: false }, 'ab123c4'), ['ab', '123', 'c', '4']);
    assert.deepEqual(run({ type: 'Digits', individual_digits: true }, 'a12'), ['a', '1', '2']);
    assert.deepEqual(
      run({ type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Digits', individual_digits: true }] }, 'x1 y'),
      ['x', '1', 'y'],
    );
  });

  it('Split with a regex and each delimiter behaviour', () => {
    const split = (behavior: string, invert = false) =>
      run({ type: 'Split', pattern: { Regex: '-+' }, behavior, invert }, 'the-final--countdown');
    assert.deepEqual(split('Removed'), ['the', 'final', 'countdown']);
    assert.deepEqual(split('Isolated'), ['the', '-', 'final', '--', 'countdown']);
    assert.deepEqual(split('MergedWithPrevious'), ['the-', 'final--', 'countdown']);
    assert.deepEqual(split('MergedWithNext'), ['the', '-final', '--countdown']);
    assert.deepEqual(split('Removed', true), ['-', '--']);
  });

  it('MergedWithNext and Contiguous treat runs of single-character delimiters as the library does', () => {
    const piece = { text: 'a--b', atStart: true };
    const dash = charMatcher((c) => c === '-');
    assert.deepEqual(words(splitPiece(piece, dash, 'MergedWithNext')), ['a', '-', '-b']);
    assert.deepEqual(words(splitPiece(piece, dash, 'MergedWithPrevious')), ['a-', '-', 'b']);
    assert.deepEqual(words(splitPiece(piece, dash, 'Contiguous')), ['a', '--', 'b']);
  });

  it('normalizer sequences: NFKC, Lowercase, Strip, Replace, StripAccents, Prepend', () => {
    const n = buildNormalizer({
      type: 'Sequence',
      normalizers: [
        { type: 'NFKC' },
        { type: 'Lowercase' },
        { type: 'Strip', strip_left: true, strip_right: true },
        { type: 'Replace', pattern: { String: 'ё' }, content: 'е' },
      ],
    });
    assert.equal(n('  ＡБВ Ёлка ﬁ  '), 'aбв елка fi');
    assert.equal(buildNormalizer({ type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'StripAccents' }] })('café'), 'cafe');
    assert.equal(buildNormalizer({ type: 'Prepend', prepend: '▁' })('a'), '▁a');
    // One character at a time, as the library lowercases: no final-sigma rule.
    assert.equal(buildNormalizer({ type: 'Lowercase' })('ΟΔΟΣ ΣΑΣ'), 'οδοσ σασ');
    assert.equal(buildNormalizer({ type: 'Replace', pattern: { String: 'a' }, content: '$&' })('ba'), 'b$&');
  });
});

describe('loading tokenizer.json', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'komek-tokenizer-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function write(name: string, content: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  it('loads a file', async () => {
    const path = await write('ok.json', JSON.stringify(wordPieceTokenizerJson(BERT_VOCAB)));
    const tok = await loadTokenizer(path);
    assert.equal(tok.modelType, 'WordPiece');
    assert.equal(tok.padId, 0);
    assert.equal(tok.tokenToId('hello'), 4);
  });

  it('names the file and the model type it cannot run', async () => {
    const json = wordPieceTokenizerJson(BERT_VOCAB);
    json.model = { type: 'CharCNN', vocab: {} };
    const path = await write('unsupported.json', JSON.stringify(json));
    await assert.rejects(loadTokenizer(path), (err: unknown) => {
      assert.ok(err instanceof PretrainedModelError);
      assert.equal(err.reason, 'unsupported');
      assert.equal(err.path, path);
      assert.match(err.message, /unsupported\.json/);
      assert.match(err.message, /model type "CharCNN"/);
      return true;
    });
  });

  it('names an unsupported component and a malformed field', async () => {
    const json = wordPieceTokenizerJson(BERT_VOCAB, { pre_tokenizer: { type: 'UnicodeScripts' } });
    await assert.rejects(loadTokenizer(await write('scripts.json', JSON.stringify(json))), /scripts\.json: pre_tokenizer: pre-tokenizer type "UnicodeScripts" is not supported/);
    const bad = unigramTokenizerJson([['<unk>', 0], ['a', 'x' as unknown as number]]);
    await assert.rejects(loadTokenizer(await write('bad.json', JSON.stringify(bad))), /bad\.json: model\.vocab\[1\] must be a \[piece, score\] pair/);
  });

  it('names a missing file and invalid JSON', async () => {
    await assert.rejects(loadTokenizer(join(dir, 'nope.json')), (err: unknown) => {
      assert.ok(err instanceof PretrainedModelError);
      assert.equal(err.reason, 'file-missing');
      assert.match(err.message, /nope\.json/);
      return true;
    });
    await assert.rejects(loadTokenizer(await write('broken.json', '{"model":')), /broken\.json is not valid JSON/);
  });
});
