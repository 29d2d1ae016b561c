import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FNV_OFFSET, fnv1a, fnv1aBytes, fnvAdd } from '../../core/fnv1a.ts';
import { rawFeatures } from '../../inference/encoder/featurize.ts';
import { bucketOf } from '../../inference/encoder/hash.ts';
import { deriveSeed } from '../../inference/encoder/prng.ts';
import { partitionOf } from '../../queue/partition.ts';

// Recorded from the three hand-written FNV-1a copies before they became core/fnv1a.ts
// (inference/encoder/hash.ts, queue/partition.ts, inference/encoder/prng.ts at c68b1af).
// Trained models store feature buckets and were trained with these seeds; queued jobs sit in
// these partitions. A change here would silently break both, so the values are pinned.
// [key, fnv1a, bucketOf(key, 18), partitionOf(key, 16), partitionOf(key, 2^32), deriveSeed(42, key), deriveSeed(2^32-1, key)]
const BEFORE: [string, number, number, number, number, number, number][] = [
  ["", 2166136261, 48514, 5, 2166136261, 2654435731, 1640531526],
  ["a", 3826002220, 4143, 12, 3826002220, 55900150, 363540325],
  ["foobar", 3214735720, 54927, 8, 3214735720, 1713234690, 3768240591],
  ["telegram:123456789", 1583377727, 31399, 15, 1583377727, 88881145, 3543349464],
  ["whatsapp:77011234567@s.whatsapp.net", 3405379208, 115766, 8, 3405379208, 2729124190, 4162030653],
  ["web:3f1c9a", 2668847406, 214762, 14, 2668847406, 1706702860, 1600617113],
  ["Жеке куәлікті қалай алуға болады?", 1005753240, 171364, 5, 3933390725, 3504922258, 3044398789],
  ["ЦОН", 2142257416, 24292, 14, 120243854, 1589277274, 2457967749],
  ["😀 emoji", 1903844278, 149480, 6, 3731391814, 1626138324, 1855388641],
  ["\u0000x\uffff", 2983827758, 111960, 4, 2992680324, 1625074548, 92355603],
  ["id-card\u0000kk\u0000Жеке куәлік", 3370436874, 64307, 11, 2804432443, 2684807268, 1743434081],
];

test('FNV-1a gives the published test vectors', () => {
  assert.equal(fnv1a(''), 0x811c9dc5);
  assert.equal(fnv1a('a'), 0xe40c292c);
  assert.equal(fnv1a('foobar'), 0xbf9cf968);
  assert.equal(fnv1aBytes(new TextEncoder().encode('foobar')), 0xbf9cf968);
});

test('buckets, partitions and derived seeds are bit-identical to the three copies they replace', () => {
  for (const [key, hash, bucket, partition, partitionRaw, seed42, seedMax] of BEFORE) {
    assert.equal(fnv1a(key), hash, `fnv1a(${JSON.stringify(key)})`);
    assert.equal(bucketOf(key, 18), bucket, `bucketOf(${JSON.stringify(key)})`);
    assert.equal(partitionOf(key, 16), partition, `partitionOf(${JSON.stringify(key)}, 16)`);
    assert.equal(partitionOf(key, 2 ** 32), partitionRaw, `partitionOf(${JSON.stringify(key)}, 2^32)`);
    assert.equal(deriveSeed(42, key), seed42, `deriveSeed(42, ${JSON.stringify(key)})`);
    assert.equal(deriveSeed(0xffffffff, key), seedMax, `deriveSeed(2^32-1, ${JSON.stringify(key)})`);
  }
});

test('the featurizer hashes to the same buckets as before', () => {
  const analysis = { normalized: 'жеке куәлік алу', tokens: ['жеке', 'куәлік', 'алу'], stems: ['жеке', 'куәлік', 'ал'], concepts: ['id-card', 'ЦОН'] };
  const features = rawFeatures(analysis, { bits: 18, ngramMin: 3, ngramMax: 5, bigrams: true });
  assert.deepEqual(features.buckets, [115728, 69105, 176327, 131752, 255788, 146746, 60194, 7687, 20589, 49269, 150227, 89550, 62095, 28670, 200829, 186358, 19525, 62344, 230615, 121682, 121562, 148464, 118462, 224640, 92621, 127410, 158600, 24118, 40705, 165144, 28204, 104110, 200678, 200178, 164340, 4491, 94554]);
  assert.deepEqual(features.families.filter((f) => f !== 'ngram'), ["word", "word", "word", "word", "word", "concept", "concept"]);
  const short = rawFeatures({ normalized: 'a', tokens: ['a'], stems: ['a'], concepts: [] }, { bits: 12, ngramMin: 4, ngramMax: 4, bigrams: false });
  assert.deepEqual(short.buckets, [880, 398]);
});

test('hashing continues a state: fnv1a(a + b) is fnv1a(b) started from fnv1a(a)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => fnv1a(a + b) === fnv1a(b, fnv1a(a))),
  );
});

test('partitions hash UTF-8 bytes: the same as code units for ASCII keys, and per byte otherwise', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii' }), (key) => partitionOf(key, 2 ** 32) === fnv1a(key)));
  // ә is two UTF-8 bytes (0xd3 0x99), one UTF-16 code unit (0x04d9).
  assert.equal(partitionOf('ә', 2 ** 32), fnvAdd(fnvAdd(FNV_OFFSET, 0xd3), 0x99) >>> 0);
  assert.notEqual(partitionOf('ә', 2 ** 32), fnv1a('ә'));
});
