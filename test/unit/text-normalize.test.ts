import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isLatinScript, latinToCyrillic, normalizeText } from '../../inference/text/normalize.ts';
import { tokenize } from '../../inference/text/tokenize.ts';

describe('normalizeText: Unicode, case, punctuation', () => {
  const cases: [string, string][] = [
    ['Как получить ЭЦП?', 'как получить эцп'],
    ['  Сәлем!!!   Жеке куәлігімді   жоғалттым…', 'сәлем жеке куәлігімді жоғалттым'],
    ['Ёлка, ЁЖИК и всё', 'елка ежик и все'],
    ['«Справка» — где?', 'справка где'],
    ['ЦОН-ға бару керек', 'цон ға бару керек'],
    ['ＡＢＣ ｔｅｓｔ', 'abc test'],
    ['the ﬁle №5', 'the file no5'],
    ['па\u200bс\u200dпорт', 'паспорт'],
    ['\u202eтекст\u202c', 'текст'],
    ['и\u0306 е\u0308', 'й е'],
    ['пас\u{E0041}\u{E0042}порт', 'паспорт'],
    ['2024 жыл, 15-ші', '2024 жыл 15 ші'],
    ['Hello, World!', 'hello world'],
    ["don't know", 'dont know'],
    ['', ''],
    ['   ', ''],
    ['😀👍', ''],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(normalizeText(input), expected);
    });
  }

  it('repairs words typed with look-alike letters of the other script', () => {
    assert.equal(normalizeText('пacпopт'), 'паспорт'); // Latin a, c, o, p
    assert.equal(normalizeText('ЦОH'), 'цон'); // Latin H
    assert.equal(normalizeText('кiтап'), 'кітап'); // Latin i for Kazakh і
    assert.equal(normalizeText('hеllo'), 'hello'); // Cyrillic е in an English word
    assert.equal(normalizeText('BOПРОС'), 'вопрос'); // Latin B, O
  });

  it('keeps letters of other scripts', () => {
    assert.equal(normalizeText('日本語 テスト'), '日本語 テスト');
    assert.equal(normalizeText('Ελληνικά'), 'ελληνικά');
  });
});

describe('normalizeText: Latin-script Kazakh and Russian', () => {
  const cases: [string, string][] = [
    // official 2021 alphabet
    ['jeke kuälik', 'жеке куәлік'],
    ['şetel', 'шетел'],
    ['qajet', 'қажет'],
    ['Qazaqstan', 'қазақстан'],
    ['zeinetaqy', 'зейнетақы'],
    ['bala tuu turaly kuälik', 'бала туу туралы куәлік'],
    ['kiyim', 'киім'],
    ['tiyis', 'тиіс'],
    // informal spellings
    ['zheke kualik', 'жеке куалік'],
    ['shygaru', 'шыгару'],
    ['qalai', 'қалай'],
    ['kalai', 'калай'],
    ['kerek', 'керек'],
    ['ghoy', 'ғой'],
    ['salem', 'салем'],
    ['rakhmet', 'рахмет'],
    ['mening balam mektepke baruy kerek', 'менің балам мектепке баруы керек'],
    ['menin pasportym bar ma', 'менін паспортым бар ма'],
    ['pasport kalai alamyn', 'паспорт калай аламын'],
    // 2017 apostrophe and 2018 acute variants
    ["a'ke", 'әке'],
    ['ákе', 'әке'],
    // transliterated Russian
    ['pasport', 'паспорт'],
    ['udostoverenie', 'удостоверение'],
    ['spasibo', 'спасибо'],
    ['privet', 'привет'],
    ['registratsiya', 'регистрация'],
    ['informatsiya', 'информация'],
    ['semya', 'семья'],
    ['novyy', 'новый'],
    ['detsad', 'детсад'],
    ['elektronnaya tsifrovaya podpis', 'электронная цифровая подпись'.replace('ь', '')],
    ['kak poluchit spravku', 'как получит справку'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(normalizeText(input), expected);
    });
  }

  it('never touches English', () => {
    for (const text of [
      'How do I get an ID card?',
      'I need to go to the office',
      'Where can I pay my taxes',
      'Thank you very much',
      'ok',
      'hi',
      'no',
      'I want the pension',
      'Is the service free',
    ]) {
      assert.equal(normalizeText(text), text.toLowerCase().replace(/[?.,!]/g, ''), text);
    }
  });

  it('converts Kazakh and Russian words inside an English sentence when they are unmistakable', () => {
    assert.equal(normalizeText('how to get zheke kualik'), 'how to get жеке куалік');
    assert.equal(normalizeText('I need a spravka'), 'i need a справка');
    // unknown words in an English sentence stay as typed
    assert.equal(normalizeText('where is tson in Almaty'), 'where is tson in almaty');
  });

  it('converts a Latin word that is both English and Kazakh/Russian only outside English', () => {
    assert.equal(normalizeText('men kaida baram'), 'мен кайда барам');
    assert.equal(normalizeText('the men are here'), 'the men are here');
  });

  it('can keep or force the conversion', () => {
    assert.equal(normalizeText('zheke kualik', { latin: 'keep' }), 'zheke kualik');
    assert.equal(normalizeText('tson', { latin: 'convert' }), 'цон');
    assert.equal(normalizeText('the tson', { latin: 'auto' }), 'the tson');
  });
});

describe('latinToCyrillic and isLatinScript', () => {
  it('transliterates one token, Kazakh or Russian by its evidence', () => {
    assert.equal(latinToCyrillic('qalai'), 'қалай');
    assert.equal(latinToCyrillic('Pasport'), 'паспорт');
    assert.equal(latinToCyrillic('udostoverenie'), 'удостоверение');
    assert.equal(latinToCyrillic('jumyssyz'), 'жумыссыз');
    assert.equal(latinToCyrillic('shchet'), 'щет');
    assert.equal(latinToCyrillic('tsentr'), 'центр');
    assert.equal(latinToCyrillic('kino', 'kk'), 'кіно');
    assert.equal(latinToCyrillic('kino', 'ru'), 'кино');
    assert.equal(latinToCyrillic('bilim', 'ru'), 'білім'); // a known Kazakh word wins over the hint
  });

  it('leaves a token with a letter it cannot read', () => {
    assert.equal(latinToCyrillic('ƛx'), 'ƛx');
  });

  it('tells Latin-script text', () => {
    assert.equal(isLatinScript('qalai'), true);
    assert.equal(isLatinScript('қалай'), false);
    assert.equal(isLatinScript('ЦОН where'), true);
    assert.equal(isLatinScript('где ЦОН ok'), false);
    assert.equal(isLatinScript('123'), false);
  });
});

describe('tokenize', () => {
  it('splits words and numbers', () => {
    assert.deepEqual(tokenize('2024жыл covid19 цон ға'), ['2024', 'жыл', 'covid', '19', 'цон', 'ға']);
    assert.deepEqual(tokenize(''), []);
    assert.deepEqual(tokenize(normalizeText('Как получить ЭЦП?')), ['как', 'получить', 'эцп']);
  });
});

describe('normalizeText properties', () => {
  // Characters that exercise every step: both scripts and their look-alikes, the Latin
  // alphabets of Kazakh, apostrophes, marks, invisibles, compatibility forms, İ and ё.
  const tricky = [
    ..."aAbBcCeEhHiIİıkKmMoOpPtTxXyYqQjJsSzZgGnNuUwWäÄöÖüÜūğñşçəƏáóúǵńý'’`´ʼŉ-_.,!?«»\"  \t\n0123456789",
    ...'аАвВсСеЕнНіІкКмМоОрРтТхХуУәӘғқңөұүһёЁйъьыэюяшщчжцфдлпбгзи',
    '\u200b', '\u200d', '\u202e', '\u0301', '\u0308', '\u0307', '\u00ad', '\ufe0f', '😀', 'ﬁ', '①', '²', 'ǅ',
    '\u1100', '\u1161', '\u{E0041}',
  ];
  const trickyString = fc.array(fc.constantFrom(...tricky), { maxLength: 40 }).map((a) => a.join(''));
  const anyString = fc.oneof(trickyString, fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));

  it('never throws and is idempotent', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const once = normalizeText(s);
        assert.equal(normalizeText(once), once);
      }),
      { numRuns: 5000 },
    );
  });

  it('gives the same result on the fast path as on the full Unicode path', () => {
    // A zero-width space forces the full path and is removed by it.
    const plain = fc
      .array(fc.constantFrom(...'aAbBcCeEhHiIkKoOpPqQsSyYzZ\'`-.,!? 0123456789аАсСеЕнНіІкКоОрРәӘғқңөұүһёЁйъьыэюя'), {
        maxLength: 40,
      })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(plain, (s) => {
        assert.equal(normalizeText(s), normalizeText(s + '\u200b'));
      }),
      { numRuns: 3000 },
    );
  });

  it('outputs lowercase words separated by single spaces', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const out = normalizeText(s);
        assert.ok(!/\s\s|^\s|\s$/.test(out), JSON.stringify(out));
        assert.ok(!/[ёЁ'\u200b]/.test(out), JSON.stringify(out));
        assert.equal(out, out.toLowerCase());
      }),
      { numRuns: 2000 },
    );
  });
});
