import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PretrainedModelError } from '../../inference/pretrained/errors.ts';
import { createTokenizer, openTokenizerFile, type Tokenizer } from '../../inference/pretrained/tokenizer.ts';
import { REAL_TOKENIZERS, realTokenizerPath, referenceIds, type RealTokenizer } from './pretrained-fixtures.ts';

/** Longer than any fixture sentence: no truncation. */
const NO_LIMIT = 100_000;

async function open(name: RealTokenizer, maxLength = NO_LIMIT): Promise<Tokenizer> {
  return createTokenizer(await openTokenizerFile(realTokenizerPath(name)), maxLength);
}

describe('tokenizer on real tokenizer.json files', async () => {
  const reference = await referenceIds();

  for (const name of REAL_TOKENIZERS) {
    it(`${name}: gives the reference ids, tokens and type ids for Kazakh, Russian and English text`, async () => {
      const cases = reference.fixtures[name];
      const got = await (await open(name)).encodeBatch(cases.map((c) => c.text));
      cases.forEach((c, i) => {
        const label = `${name} ${JSON.stringify(c.text)}`;
        assert.deepEqual(got[i]!.tokens, c.tokens, label);
        assert.deepEqual(got[i]!.ids, c.ids, label);
        assert.deepEqual(got[i]!.typeIds, c.typeIds, label);
      });
    });

    it(`${name}: truncates to the maximum length with the special tokens kept, as the library does`, async () => {
      const cases = reference.fixtures[name];
      const tok = await open(name, reference.truncateAt);
      const got = await tok.encodeBatch(cases.map((c) => c.text));
      cases.forEach((c, i) => {
        assert.deepEqual(got[i]!.ids, c.truncatedIds, `${name} ${JSON.stringify(c.text)}`);
        assert.ok(got[i]!.ids.length <= reference.truncateAt);
      });
      // Most sentences are longer than the limit, so the check above is not a no-op.
      assert.ok(cases.filter((c) => c.ids.length > reference.truncateAt).length >= cases.length / 2);
    });
  }

  it('agrees with ids known from bert-base-uncased’s vocab.txt, which all-MiniLM-L6-v2 uses', async () => {
    const [e] = await (await open('bert-wordpiece')).encodeBatch(['How do I renew my passport?']);
    // [CLS] how do i … my … ? [SEP]: 101 2129 2079 1045 … 2026 … 1029 102
    assert.deepEqual([e!.ids[0], e!.ids[1], e!.ids[2], e!.ids[3], e!.ids[5], e!.ids.at(-2), e!.ids.at(-1)], [101, 2129, 2079, 1045, 2026, 1029, 102]);
  });

  it('names the model type, also of an older file whose model has no type', async () => {
    const types = await Promise.all(REAL_TOKENIZERS.map(async (n) => (await openTokenizerFile(realTokenizerPath(n))).modelType));
    assert.deepEqual(types, ['WordPiece', 'Unigram', 'BPE', 'Unigram']);
  });

  it('reads the truncation length a file declares, and ignores the padding a file asks for', async () => {
    const file = await openTokenizerFile(realTokenizerPath('bert-wordpiece'));
    assert.equal(file.declaredMaxLength, 128);
    // The file pads every text to 128; padding is Kömek's, per run.
    const [e] = await (await createTokenizer(file, 128)).encodeBatch(['hello']);
    assert.deepEqual(e!.ids, [101, 7592, 102]);
    assert.equal((await openTokenizerFile(realTokenizerPath('xlmr-unigram'))).declaredMaxLength, undefined);
  });

  it('pads a batch with the pad token and masks the padding', async () => {
    const tok = await open('xlmr-unigram');
    assert.equal(tok.padId, 1); // <pad>
    const encodings = await tok.encodeBatch(['Жеке куәлік', 'Как получить справку о несудимости?']);
    const batch = tok.pad(encodings);
    const [short, long] = encodings.map((e) => e.ids);
    assert.equal(batch.size, 2);
    assert.equal(batch.length, long!.length);
    const row = (a: Int32Array, r: number) => [...a.subarray(r * batch.length, (r + 1) * batch.length)];
    assert.deepEqual(row(batch.inputIds, 0), [...short!, ...new Array<number>(long!.length - short!.length).fill(1)]);
    assert.deepEqual(row(batch.inputIds, 1), long);
    assert.deepEqual(row(batch.attentionMask, 0), [...short!.map(() => 1), ...new Array<number>(long!.length - short!.length).fill(0)]);
    assert.deepEqual(row(batch.tokenTypeIds, 1), long!.map(() => 0));
    assert.equal(tok.pad([]).length, 1, 'a tensor is never empty');
  });

  it('encodes no texts to no encodings', async () => {
    assert.deepEqual(await (await open('t5-unigram')).encodeBatch([]), []);
  });

  describe('settings tokenizer.json adds to a real file', () => {
    let root: string;
    before(async () => {
      root = await mkdtemp(join(tmpdir(), 'komek-tokenizer-'));
    });
    after(async () => {
      await rm(root, { recursive: true, force: true });
    });

    async function variant(name: RealTokenizer, change: (json: Record<string, unknown>) => void): Promise<string> {
      const json = JSON.parse(await readFile(realTokenizerPath(name), 'utf8')) as Record<string, unknown>;
      change(json);
      const path = join(root, `${name}-${Math.random().toString(36).slice(2)}.json`);
      await writeFile(path, JSON.stringify(json));
      return path;
    }

    it('truncates and pads on the left when the file says so', async () => {
      const path = await variant('xlmr-unigram', (json) => {
        json.truncation = { direction: 'Left', max_length: 6, strategy: 'LongestFirst', stride: 0 };
        json.padding = { strategy: 'BatchLongest', direction: 'Left', pad_to_multiple_of: null, pad_id: 1, pad_type_id: 0, pad_token: '<pad>' };
      });
      const file = await openTokenizerFile(path);
      assert.equal(file.declaredMaxLength, 6);
      const tok = await createTokenizer(file, 6);
      const text = 'Как получить справку о несудимости?';
      const full = (await referenceIds()).fixtures['xlmr-unigram'].find((c) => c.text === text)!.ids;
      const [e] = await tok.encodeBatch([text]);
      // <s>, the last four pieces, </s>
      assert.deepEqual(e!.ids, [0, ...full.slice(1, -1).slice(-4), 2]);
      const batch = tok.pad([{ ids: [0, 2], typeIds: [0, 0], tokens: ['<s>', '</s>'] }, e!]);
      assert.deepEqual([...batch.inputIds.subarray(0, 6)], [1, 1, 1, 1, 0, 2]);
      assert.deepEqual([...batch.attentionMask.subarray(0, 6)], [0, 0, 0, 0, 1, 1]);
    });

    it('refuses a maximum length that leaves no room for text', async () => {
      const file = await openTokenizerFile(realTokenizerPath('whisper-bpe'));
      await assert.rejects(createTokenizer(file, 3), (err: unknown) => {
        assert.ok(err instanceof PretrainedModelError);
        assert.equal(err.reason, 'unsupported');
        assert.match(err.message, /whisper-bpe\/tokenizer\.json: a maximum length of 3 tokens leaves no room for text after its 3 special tokens/);
        return true;
      });
    });

    it('names the part of the file the library cannot read', async () => {
      const cases: Array<[RealTokenizer, (j: Record<string, unknown>) => void, string, RegExp]> = [
        ['bert-wordpiece', (j) => (j.model = { type: 'Mystery', vocab: {} }), 'unsupported', /\.json: its model \(type "Mystery"\) is not supported by the tokenizers library/],
        ['t5-unigram', (j) => (j.normalizer = { type: 'Frobnicate' }), 'unsupported', /its normalizer \(type "Frobnicate"\) is not supported/],
        ['xlmr-unigram', (j) => (j.pre_tokenizer = { type: 'Metaspace', replacement: 5 }), 'invalid', /its pre-tokenizer \(type "Metaspace"\) is malformed: .*expected a character/],
        ['bert-wordpiece', (j) => delete (j.model as Record<string, unknown>).vocab, 'invalid', /its model \(type "WordPiece"\) is malformed.*missing field `vocab`/],
      ];
      for (const [name, change, reason, pattern] of cases) {
        const path = await variant(name, change);
        await assert.rejects(openTokenizerFile(path), (err: unknown) => {
          assert.ok(err instanceof PretrainedModelError, String(err));
          assert.equal(err.reason, reason, err.message);
          assert.equal(err.path, path);
          assert.match(err.message, pattern);
          return true;
        });
      }
    });

    it('names a missing file, invalid JSON and JSON that is not an object', async () => {
      const expectError = async (path: string, reason: string, pattern: RegExp) =>
        assert.rejects(openTokenizerFile(path), (err: unknown) => err instanceof PretrainedModelError && err.reason === reason && pattern.test(err.message));
      await expectError(join(root, 'absent.json'), 'file-missing', /no tokenizer\.json at .*absent\.json/);
      await writeFile(join(root, 'broken.json'), '{"model": ');
      await expectError(join(root, 'broken.json'), 'invalid', /broken\.json is not valid JSON/);
      await writeFile(join(root, 'list.json'), '[]');
      await expectError(join(root, 'list.json'), 'invalid', /list\.json must hold a JSON object/);
    });
  });
});
