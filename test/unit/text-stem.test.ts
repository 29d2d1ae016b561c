import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stemRussian } from '../../inference/text/stem-ru.ts';
import { stem, stemLanguage } from '../../inference/text/stem.ts';

/** Every word of a group must get the same stem; words of different groups must not. */
function assertGroups(groups: string[][], lang?: 'kk' | 'ru' | 'en'): void {
  const stems = groups.map((g) => new Set(g.map((w) => stem(w, lang))));
  stems.forEach((set, i) => assert.equal(set.size, 1, `${groups[i]?.join(', ')} → ${[...set].join(', ')}`));
  const distinct = new Set(stems.map((s) => [...s][0]));
  assert.equal(distinct.size, groups.length, 'different words must keep different stems');
}

describe('Russian stemmer', () => {
  it('ties inflected forms together', () => {
    assertGroups(
      [
        ['справка', 'справки', 'справку', 'справкой'],
        ['документ', 'документы', 'документов', 'документами'],
        ['удостоверение', 'удостоверения', 'удостоверением'],
        ['пособие', 'пособия', 'пособий'],
        ['паспорт', 'паспорта', 'паспортом'],
        ['ребенка', 'ребенку', 'ребенком'],
        ['налоговый', 'налоговой', 'налоговая', 'налоговую'],
        ['получить', 'получил', 'получила'],
        ['выплата', 'выплаты', 'выплату'],
        ['поликлиника', 'поликлинике', 'поликлинику'],
      ],
      'ru',
    );
  });

  it('keeps at least three letters and leaves short words alone', () => {
    assert.equal(stem('она', 'ru'), 'она');
    assert.equal(stem('их', 'ru'), 'их');
    for (const w of ['яя', 'ами', 'ость', 'ения', 'ившись']) assert.ok(stem(w, 'ru').length >= Math.min(3, w.length), w);
  });

  it('gives the expected Snowball stems', () => {
    assert.equal(stem('личности', 'ru'), 'личност');
    assert.equal(stem('электронной', 'ru'), 'электрон');
    assert.equal(stem('зарегистрироваться', 'ru'), 'зарегистрирова');
    assert.equal(stem('безработным', 'ru'), 'безработн');
  });
});

// snowball-stemmers ships no types; this is the part of its API used here.
const snowballStemmers = createRequire(import.meta.url)('snowball-stemmers') as {
  newStemmer(language: 'russian'): { stem(word: string): string };
};

/** What stem-ru.ts makes of Snowball's stem on purpose: see "differs from Snowball only…". */
function withMinimumStem(word: string, snowballStem: string): string {
  if (word.length <= 3) return word;
  return snowballStem.length < 3 ? word.slice(0, 3) : snowballStem;
}

const foldYo = (w: string) => w.replace(/ё/g, 'е');

describe('Russian stemmer against Snowball', () => {
  const snowball = snowballStemmers.newStemmer('russian');

  it('matches the published Snowball output (snowball-data, russian/output.txt)', () => {
    // Pairs of russian/voc.txt and russian/output.txt, github.com/snowballstem/snowball-data at
    // ba91f32bb9c5: one per step (gerund, reflexive, adjectival, participle, verb, noun,
    // superlative, derivational, нн, ь) and Snowball's own ё → е. Kömek folds ё before stemming.
    const published: Array<[string, string]> = [
      ['прочитав', 'прочита'], ['улыбнувшись', 'улыбнувш'], ['одевшись', 'одевш'], ['величайшая', 'величайш'],
      ['нежнейшей', 'нежн'], ['радость', 'радост'], ['гордостью', 'гордост'], ['бесконечность', 'бесконечн'],
      ['законный', 'закон'], ['длинный', 'длин'], ['говорила', 'говор'], ['играют', 'игра'], ['любишь', 'люб'],
      ['делайте', 'дела'], ['ночью', 'ноч'], ['явлений', 'явлен'], ['открытие', 'открыт'], ['благодарю', 'благодар'],
      ['актёр', 'актер'], ['берёза', 'берез'], ['жизнь', 'жизн'], ['получить', 'получ'], ['справки', 'справк'],
      ['избранные', 'избра'],
    ];
    for (const [word, expected] of published) assert.equal(stemRussian(foldYo(word)), expected, word);
  });

  it('agrees with Snowball (snowball-stemmers) on every Russian word of the demo knowledge base and dev sets', async () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
    const files = ['data/demo-kb/part-a.jsonl', 'data/demo-kb/part-b.jsonl', 'test/fixtures/dev-set-a.jsonl', 'test/fixtures/dev-set-b.jsonl'];
    const words = new Set<string>();
    for (const file of files) {
      const text = (await readFile(join(root, file), 'utf8')).toLowerCase();
      // Russian words only: Cyrillic without the letters only Kazakh has.
      for (const [w] of text.matchAll(/[а-яё]+/g)) words.add(foldYo(w));
    }
    assert.ok(words.size > 2000, `only ${words.size} words`);
    const wrong = [...words].filter((w) => stemRussian(w) !== withMinimumStem(w, snowball.stem(w)));
    assert.deepEqual(wrong.map((w) => `${w}: ${stemRussian(w)} ≠ ${snowball.stem(w)}`), []);
  });

  it('differs from Snowball only by keeping three letters, as documented', () => {
    // Deliberate: a stem of one or two letters ties unrelated words together in BM25 and the
    // lexicon ("анна", "аня" → "ан"; "идеи", "идите" → "ид"), so words of three letters or fewer
    // stay whole and a shorter stem becomes the word's first three letters. Over all 49,785
    // words of Snowball's russian/voc.txt this is the only difference (418 words: 178 of three
    // letters or fewer, 240 whose Snowball stem is shorter than three); some of them:
    const documented: Array<[word: string, snowball: string, komek: string]> = [
      ['она', 'он', 'она'], ['его', 'ег', 'его'], ['еда', 'ед', 'еда'], ['бой', 'бо', 'бой'],
      ['авось', 'ав', 'аво'], ['анна', 'ан', 'анн'], ['аня', 'ан', 'аня'], ['идеи', 'ид', 'иде'],
      ['идите', 'ид', 'иди'], ['боится', 'бо', 'бои'], ['весь', 'ве', 'вес'], ['едят', 'ед', 'едя'],
    ];
    for (const [word, snowballStem, komek] of documented) {
      assert.equal(snowball.stem(word), snowballStem, `Snowball on ${word}`);
      assert.equal(stemRussian(word), komek, word);
    }
  });
});

describe('Kazakh stemmer', () => {
  it('strips plural, possessive, case and verb suffixes in layers', () => {
    const cases: [string, string][] = [
      ['құжаттарды', 'құжат'],
      ['балаларға', 'бала'],
      ['баласына', 'бала'],
      ['баламның', 'бала'],
      ['куәлігін', 'куәлік'],
      ['куәлігі', 'куәлік'],
      ['мектепке', 'мектеп'],
      ['паспортымды', 'паспорт'],
      ['төлқұжатымды', 'төлқұжат'],
      ['айыппұлды', 'айыппұл'],
      ['салықтар', 'салық'],
      ['керекпе', 'керек'],
      ['азаматтығы', 'азаматтық'],
      ['қызметтері', 'қызмет'],
      ['орталығына', 'орталық'],
      ['балабақшаға', 'балабақша'],
      ['емханаға', 'емхана'],
      ['алуға', 'алу'],
      ['тіркелемін', 'тіркел'],
      ['тіркеу', 'тірке'],
    ];
    for (const [word, expected] of cases) assert.equal(stem(word, 'kk'), expected, word);
  });

  it('keeps derivational suffixes that change the meaning', () => {
    assert.equal(stem('жұмыссыз', 'kk'), 'жұмыссыз');
    assert.notEqual(stem('жұмыссыз', 'kk'), stem('жұмысқа', 'kk'));
    assert.equal(stem('куәлік', 'kk'), 'куәлік');
  });

  it('does not read -ақы as a possessive: зейнетақы is one word', () => {
    assertGroups([['зейнетақы', 'зейнетақысы', 'зейнетақыны'], ['жәрдемақы', 'жәрдемақыны']], 'kk');
  });

  it('handles Kazakh typed on a Russian keyboard', () => {
    assert.equal(stem('тиркелемин', 'kk'), 'тиркел');
    assert.equal(stem('балабакшага', 'kk'), 'балабакша');
    assert.equal(stem('куаликти', 'kk'), 'куалик');
  });

  it('never goes below three letters', () => {
    for (const w of ['алу', 'алды', 'алма', 'суға', 'үйге', 'ата']) assert.ok(stem(w, 'kk').length >= 3, w);
  });
});

describe('English stemmer', () => {
  it('ties plurals and verb forms together', () => {
    assertGroups(
      [
        ['certificate', 'certificates'],
        ['renew', 'renewed', 'renewing'],
        ['apply', 'applied', 'applies'],
        ['issue', 'issued', 'issuing'],
        ['tax', 'taxes'],
        ['passport', 'passports'],
        ['register', 'registered', 'registering'],
        ['stop', 'stopped'],
        ['agree', 'agreed'],
      ],
      'en',
    );
  });

  it('leaves short and irregular words', () => {
    for (const w of ['need', 'feed', 'this', 'does', 'bus', 'was']) assert.equal(stem(w, 'en'), w);
  });
});

describe('stem language choice', () => {
  it('picks the stemmer by script and Kazakh letters when the language is unknown', () => {
    assert.equal(stemLanguage('справки'), 'ru');
    assert.equal(stemLanguage('құжаттарды'), 'kk');
    assert.equal(stemLanguage('documents'), 'en');
    assert.equal(stemLanguage('2024'), undefined);
  });

  it('uses the message language for Cyrillic without Kazakh letters', () => {
    assert.equal(stemLanguage('керекпе', 'kk'), 'kk');
    assert.equal(stemLanguage('керекпе', 'ru'), 'ru');
    assert.equal(stemLanguage('құжат', 'ru'), 'kk');
    assert.equal(stemLanguage('passport', 'kk'), 'en');
  });

  it('returns numbers and other scripts unchanged', () => {
    assert.equal(stem('1414'), '1414');
    assert.equal(stem('日本語'), '日本語');
  });
});
