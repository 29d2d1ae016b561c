import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PretrainedModelError } from '../../inference/pretrained/errors.ts';
import { createPretrainedEncoder, type PretrainedEncoder } from '../../inference/pretrained/pretrained-encoder.ts';
import {
  REAL_TOKENIZERS,
  realTokenizerPath,
  referenceIds,
  tinyEncoderOnnx,
  unigramTokenizerJson,
  wordPieceTokenizerJson,
  writeModelFolder,
  type TinyModelOptions,
} from './pretrained-fixtures.ts';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'hello', 'world', 'query', ':', 'passage', 'a', 'b', 'c'];
/** Row i = [i, 1, i mod 3]: pooled vectors are easy to work out by hand. */
const EMB = VOCAB.map((_, i) => [i, 1, i % 3]);
const ID = (t: string) => VOCAB.indexOf(t);

function unit(v: number[]): number[] {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** Mean of the embedding rows of `ids`, normalised: what the encoder must return. */
function expectedMean(ids: number[]): number[] {
  const sum = [0, 0, 0];
  for (const id of ids) EMB[id]!.forEach((x, h) => (sum[h]! += x));
  return unit(sum.map((x) => x / ids.length));
}

function assertClose(actual: Float32Array | undefined, expected: number[], msg?: string): void {
  assert.ok(actual, msg);
  assert.equal(actual.length, expected.length, msg);
  actual.forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) < 1e-5, `${msg ?? ''} [${i}] ${x} != ${expected[i]}`));
}

describe('createPretrainedEncoder', () => {
  let root: string;
  const opened: PretrainedEncoder[] = [];
  let n = 0;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'komek-pretrained-'));
  });
  after(async () => {
    await Promise.all(opened.map((e) => e.close()));
    await rm(root, { recursive: true, force: true });
  });

  async function folder(opts: { name?: string; model?: Partial<TinyModelOptions>; tokenizer?: unknown; config?: unknown; tokenizerConfig?: unknown } = {}) {
    return writeModelFolder(join(root, opts.name ?? `model-${n++}`), {
      onnx: tinyEncoderOnnx({ embeddings: EMB, ...opts.model }),
      tokenizer: opts.tokenizer ?? wordPieceTokenizerJson(VOCAB),
      config: opts.config,
      tokenizerConfig: opts.tokenizerConfig,
    });
  }

  async function open(dir: string, opts?: Parameters<typeof createPretrainedEncoder>[1]) {
    const enc = await createPretrainedEncoder(dir, opts);
    opened.push(enc);
    return enc;
  }

  it('mean-pools the hidden states under the attention mask and L2-normalises', async () => {
    const enc = await open(await folder());
    assert.equal(enc.dim, 3);
    assert.equal(enc.info.output, 'last_hidden_state');
    assert.equal(enc.info.pooled, false);
    // "hello" is padded to the length of the second text; padding must not count.
    const [hello, long] = await enc.encode(['hello', 'hello world a b c'], 'passage');
    // [CLS]=[2,1,2], hello=[4,1,1], [SEP]=[3,1,0] → mean [3,1,1]
    assertClose(hello, unit([3, 1, 1]), 'hello');
    assertClose(long, expectedMean([ID('[CLS]'), ID('hello'), ID('world'), ID('a'), ID('b'), ID('c'), ID('[SEP]')]), 'long');
    assert.ok(Math.abs(Math.hypot(...long!) - 1) < 1e-6);
  });

  it('returns nothing for no texts', async () => {
    const enc = await open(await folder());
    assert.deepEqual(await enc.encode([], 'query'), []);
  });

  it('uses a sentence_embedding output when the graph has one', async () => {
    const enc = await open(await folder({ model: { sentenceEmbedding: true } }));
    assert.equal(enc.info.output, 'sentence_embedding');
    assert.equal(enc.info.pooled, true);
    const [v] = await enc.encode(['hello'], 'query');
    // The tiny graph pools by max: max of [2,1,2], [4,1,1], [3,1,0].
    assertClose(v, unit([4, 1, 2]));
  });

  it('feeds token_type_ids when the graph declares them', async () => {
    const enc = await open(await folder({ model: { typeEmbeddings: [[10, 0, 0], [0, 10, 0]] } }));
    assert.deepEqual(enc.info.inputs, ['input_ids', 'attention_mask', 'token_type_ids']);
    const [v] = await enc.encode(['hello'], 'query');
    // Every token has type 0, so [10, 0, 0] is added at each position: mean [13, 1, 1].
    assertClose(v, unit([13, 1, 1]));
  });

  it('feeds int32 ids when the graph declares int32', async () => {
    const enc = await open(await folder({ model: { idsType: 'int32' } }));
    assertClose((await enc.encode(['hello'], 'query'))[0], unit([3, 1, 1]));
  });

  it('reads the first output when no known name is present, and finds a symbolic size by running', async () => {
    const enc = await open(await folder({ model: { outputName: 'hidden', symbolicHidden: true } }));
    assert.equal(enc.info.output, 'hidden');
    assert.equal(enc.dim, 3);
    assertClose((await enc.encode(['hello'], 'query'))[0], unit([3, 1, 1]));
  });

  it('runs a Unigram (XLM-R style) tokenizer end to end', async () => {
    const vocab: Array<[string, number]> = [['<s>', 0], ['<pad>', 0], ['</s>', 0], ['<unk>', 0], ['▁hello', -1], ['▁world', -1]];
    const emb = [[1, 0], [0, 0], [1, 0], [0, 0], [0, 4], [4, 4]];
    const dir = await writeModelFolder(join(root, `unigram-${n++}`), {
      onnx: tinyEncoderOnnx({ embeddings: emb }),
      tokenizer: unigramTokenizerJson(vocab),
    });
    const enc = await open(dir);
    assert.equal(enc.info.tokenizerType, 'Unigram');
    const [a, b] = await enc.encode(['hello', 'hello world'], 'query');
    assertClose(a, unit([2 / 3, 4 / 3])); // <s> ▁hello </s>
    assertClose(b, unit([6 / 4, 8 / 4])); // <s> ▁hello ▁world </s>
  });

  it('feeds the reference ids of real tokenizer.json files to the graph', async () => {
    const reference = await referenceIds();
    for (const name of REAL_TOKENIZERS) {
      const cases = reference.fixtures[name];
      // One row per id of the whole vocabulary; distinct enough that other ids give another mean.
      const rowCount = Math.max(...cases.flatMap((c) => c.ids)) + 1;
      const row = (id: number) => [1, (id % 97) / 97, (id % 89) / 89, id / rowCount];
      const dir = await writeModelFolder(join(root, `${name}-${n++}`), {
        onnx: tinyEncoderOnnx({ embeddings: Array.from({ length: rowCount }, (_, id) => row(id)) }),
        tokenizer: JSON.parse(await readFile(realTokenizerPath(name), 'utf8')),
      });
      const enc = await open(dir, { maxLength: 1000 });
      const vectors = await enc.encode(cases.map((c) => c.text), 'passage');
      cases.forEach((c, i) => {
        const sum = [0, 0, 0, 0];
        for (const id of c.ids) row(id).forEach((x, h) => (sum[h]! += x));
        assertClose(vectors[i], unit(sum.map((x) => x / c.ids.length)), `${name} ${JSON.stringify(c.text)}`);
      });
    }
  });

  it('adds e5 prefixes when the folder is an e5 model, and not otherwise', async () => {
    const plain = await open(await folder());
    const e5 = await open(await folder({ name: 'multilingual-e5-tiny' }));
    assert.deepEqual(e5.info.prefixes, { query: 'query: ', passage: 'passage: ' });
    assert.deepEqual(plain.info.prefixes, { query: '', passage: '' });
    const [q] = await e5.encode(['hello'], 'query');
    const [p] = await e5.encode(['hello'], 'passage');
    const [qRef, pRef, bare] = await plain.encode(['query: hello', 'passage: hello', 'hello'], 'query');
    assert.deepEqual(q, qRef);
    assert.deepEqual(p, pRef);
    assert.notDeepEqual(q, bare);
  });

  it('recognises e5 from config.json, and lets options override the prefixes', async () => {
    const byConfig = await open(await folder({ config: { _name_or_path: 'intfloat/multilingual-e5-small', model_type: 'bert' } }));
    assert.deepEqual(byConfig.info.prefixes, { query: 'query: ', passage: 'passage: ' });
    const off = await open(await folder({ name: 'e5-small' }), { queryPrefix: '', passagePrefix: 'a ' });
    assert.deepEqual(off.info.prefixes, { query: '', passage: 'a ' });
  });

  it('uses the e5 instruct format for e5 instruct models', async () => {
    const enc = await open(await folder({ name: 'multilingual-e5-large-instruct' }));
    assert.match(enc.info.prefixes.query, /^Instruct: .*\nQuery: $/);
    assert.equal(enc.info.prefixes.passage, '');
  });

  it('pools as the sentence-transformers pooling config says, skipping padding', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'modules.json'), JSON.stringify([{ idx: 1, name: '1', path: 'pool', type: 'sentence_transformers.models.Pooling' }]));
    await mkdir(join(dir, 'pool'));
    await writeFile(join(dir, 'pool', 'config.json'), JSON.stringify({ word_embedding_dimension: 3, pooling_mode_cls_token: true, pooling_mode_mean_tokens: false }));
    const cls = await open(dir);
    assert.equal(cls.info.pooling, 'cls');
    const [first] = await cls.encode(['hello', 'hello world a b'], 'query');
    assertClose(first, unit(EMB[ID('[CLS]')]!));
    // Options win over the folder.
    const last = await open(dir, { pooling: 'lasttoken' });
    const [lastOfShort] = await last.encode(['hello', 'hello world a b'], 'query');
    assertClose(lastOfShort, unit(EMB[ID('[SEP]')]!), 'the last real token, not padding');
    const max = await open(dir, { pooling: 'max' });
    assertClose((await max.encode(['hello', 'hello world a b'], 'query'))[0], unit([4, 1, 2]));
  });

  it('reads 1_Pooling/config.json without modules.json, and refuses pooling it cannot do', async () => {
    const dir = await folder();
    await mkdir(join(dir, '1_Pooling'));
    await writeFile(join(dir, '1_Pooling', 'config.json'), JSON.stringify({ pooling_mode_max_tokens: true }));
    assert.equal((await open(dir)).info.pooling, 'max');
    await writeFile(join(dir, '1_Pooling', 'config.json'), JSON.stringify({ pooling_mode: 'lasttoken' }));
    assert.equal((await open(dir)).info.pooling, 'lasttoken');
    await writeFile(join(dir, '1_Pooling', 'config.json'), JSON.stringify({ pooling_mode_weightedmean_tokens: true }));
    await assert.rejects(createPretrainedEncoder(dir), (err: unknown) => {
      assert.ok(err instanceof PretrainedModelError);
      assert.equal(err.reason, 'unsupported');
      assert.match(err.message, /1_Pooling\/config\.json: pooling pooling_mode_weightedmean_tokens is not supported/);
      return true;
    });
  });

  it('gives concurrent calls the same vectors as calls made one after another', async () => {
    const enc = await open(await folder());
    const inputs = ['hello', 'world a', 'hello world a b c', '', 'c b a', 'hello hello', 'xyz', 'a'];
    const sequential: Float32Array[][] = [];
    for (const text of inputs) sequential.push(await enc.encode([text, `${text} b`], 'passage'));
    const concurrent = await Promise.all(inputs.map((text) => enc.encode([text, `${text} b`], 'passage')));
    assert.deepEqual(concurrent, sequential);
  });

  it('splits large calls into several runs and keeps the order', async () => {
    const enc = await open(await folder(), { maxBatchSize: 3 });
    const texts = ['a', 'hello world a b c', 'b', 'hello', 'c c c', 'world', 'a b'];
    const all = await enc.encode(texts, 'passage');
    for (let i = 0; i < texts.length; i++) assert.deepEqual(all[i], (await enc.encode([texts[i]!], 'passage'))[0]);
  });

  it('truncates inputs to maxLength', async () => {
    const enc = await open(await folder(), { maxLength: 4 });
    assert.equal(enc.info.maxLength, 4);
    const [long] = await enc.encode(['hello world a b c'], 'passage');
    assertClose(long, expectedMean([ID('[CLS]'), ID('hello'), ID('world'), ID('[SEP]')]));
  });

  it('takes the length limit from the folder: model_max_length, position table', async () => {
    assert.equal((await open(await folder())).info.maxLength, 512);
    assert.equal((await open(await folder({ tokenizerConfig: { model_max_length: 5 } }))).info.maxLength, 5);
    assert.equal((await open(await folder({ tokenizerConfig: { model_max_length: 1e30 } }))).info.maxLength, 512);
    const xlmr = { model_type: 'xlm-roberta', max_position_embeddings: 514, pad_token_id: 1 };
    assert.equal((await open(await folder({ config: xlmr }))).info.maxLength, 512);
    const bert = { model_type: 'bert', max_position_embeddings: 6 };
    assert.equal((await open(await folder({ config: bert }), { maxLength: 100 })).info.maxLength, 6);
  });

  it('closes once, waits for queued work, and refuses work afterwards', async () => {
    const enc = await createPretrainedEncoder(await folder());
    const pending = enc.encode(['hello'], 'query');
    const closed = enc.close();
    assertClose((await pending)[0], unit([3, 1, 1]));
    await closed;
    await enc.close();
    await assert.rejects(enc.encode(['hello'], 'query'), (err: unknown) => err instanceof PretrainedModelError && err.reason === 'closed');
  });

  describe('errors name what is wrong', () => {
    async function rejectsWith(dir: string, reason: string, pattern: RegExp) {
      await assert.rejects(createPretrainedEncoder(dir), (err: unknown) => {
        assert.ok(err instanceof PretrainedModelError, String(err));
        assert.equal(err.reason, reason);
        assert.match(err.message, pattern);
        return true;
      });
    }

    it('a missing folder', async () => {
      await rejectsWith(join(root, 'absent'), 'folder-missing', /absent does not exist/);
    });

    it('a folder without model.onnx', async () => {
      const dir = join(root, `no-model-${n++}`);
      await writeModelFolder(dir, { tokenizer: wordPieceTokenizerJson(VOCAB) });
      await rejectsWith(dir, 'file-missing', /no model\.onnx in .*no-model/);
    });

    it('a folder without tokenizer.json', async () => {
      const dir = join(root, `no-tokenizer-${n++}`);
      await writeModelFolder(dir, { onnx: tinyEncoderOnnx({ embeddings: EMB }) });
      await rejectsWith(dir, 'file-missing', /no tokenizer\.json in .*no-tokenizer/);
    });

    it('an unsupported tokenizer model type', async () => {
      const json = wordPieceTokenizerJson(VOCAB);
      json.model = { type: 'Mystery', vocab: {} };
      await rejectsWith(await folder({ tokenizer: json }), 'unsupported', /tokenizer\.json: its model \(type "Mystery"\) is not supported by the tokenizers library/);
    });

    it('a model.onnx that is not an ONNX graph', async () => {
      const dir = await folder();
      await writeFile(join(dir, 'model.onnx'), 'not a model');
      await rejectsWith(dir, 'invalid', /cannot load .*model\.onnx/);
    });

    it('a graph input it cannot fill', async () => {
      await rejectsWith(await folder({ model: { extraInput: 'pixel_values' } }), 'unsupported', /model\.onnx declares an input "pixel_values"/);
    });

    it('a broken config.json', async () => {
      const dir = await folder();
      await writeFile(join(dir, 'config.json'), '{');
      await rejectsWith(dir, 'invalid', /config\.json is not valid JSON/);
    });

    it('finds model.onnx in an onnx/ subfolder', async () => {
      const dir = join(root, `nested-${n++}`);
      await writeModelFolder(dir, { tokenizer: wordPieceTokenizerJson(VOCAB) });
      await mkdir(join(dir, 'onnx'));
      await writeFile(join(dir, 'onnx', 'model.onnx'), tinyEncoderOnnx({ embeddings: EMB }));
      const enc = await open(dir);
      assert.match(enc.info.modelPath, /onnx\/model\.onnx$/);
    });
  });
});
