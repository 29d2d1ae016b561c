import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
