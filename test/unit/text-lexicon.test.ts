import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, createLexicon, expandConcepts, LEXICON, normalizeText } from '../../inference/text/index.ts';

const concepts = (text: string): string[] => expandConcepts(normalizeText(text));

describe('lexicon data', () => {
  it('covers at least 120 concepts with unique ids and terms in all three languages', () => {
    const ids = LEXICON.map((g) => g.concept);
    assert.ok(ids.length >= 120, `only ${ids.length} concepts`);
    assert.equal(new Set(ids).size, ids.length, 'duplicate concept ids');
    const all = LEXICON.flatMap((g) => g.terms).join(' ');
    assert.match(all, /[әғқңөұүһі]/);
    assert.match(all, /[а-я]/);
    assert.match(all, /[a-z]/);
    for (const g of LEXICON) assert.ok(g.terms.length >= 2, g.concept);
  });

  it('finds every term of every concept (terms survive their own normalisation)', () => {
    const missing = LEXICON.flatMap((g) =>
      g.terms.filter((t) => !concepts(t).includes(g.concept)).map((t) => `${g.concept}: ${t}`),
    );
    assert.deepEqual(missing, []);
  });
});

describe('expandConcepts', () => {
  const cases: [string, string[]][] = [
    ['Где ближайший ЦОН?', ['tson', 'location']],
    ['ХҚКО қайда орналасқан', ['tson', 'location']],
    ['в центре обслуживания населения', ['tson']],
    ['спецЦОН', ['tson']],
    ['where is tson', ['tson']],
    ['как получить ЭЦП', ['eds']],
    ['ЭЦҚ алу керек', ['eds']],
    ['ключ истек', ['eds', 'expired']],
    ['ИИН ребенка', ['iin', 'child']],
    ['жсн білу', ['iin']],
    ['ЕНПФ выписка', ['enpf']],
    ['БЖЗҚ', ['enpf']],
    ['ОСМС статус', ['osms', 'status_check']],
    ['МӘМС', ['osms']],
    ['АСП', ['asp']],
    ['ҰБТ нәтижесі', ['ent']],
    ['ЗАГС', ['zags']],
    ['ИП ашу', ['ip']],
    ['ЖШС тіркеу', ['too', 'registration']],
    ['Жеке куәлігімді жоғалттым', ['id_card', 'lost_document']],
    ['zheke kualik jogalttym', ['id_card', 'lost_document']],
    ['жеке куалик алу керек', ['id_card']],
    ['потерял удостоверение личности', ['lost_document', 'id_card']],
    ['удос поменять', ['id_card', 'replace_document']],
    ['туу туралы куәлік алу', ['birth', 'birth_certificate']],
    ['свидетельство о рождении', ['birth_certificate']],
    ['балабақшаға кезекке тұру', ['kindergarten', 'queue']],
    ['очередь в садик', ['queue', 'kindergarten']],
    ['balabaqshaga kezek', ['kindergarten', 'queue']],
    ['жұмыссыз ретінде тіркелу', ['unemployed', 'registration']],
    ['статус безработного', ['unemployed', 'status_check']],
    ['пенсионные накопления на жилье', ['pension_savings', 'housing']],
    ['справку о несудимости', ['certificate', 'criminal_record']],
    ['водительские права поменять', ['drivers_license', 'replace_document']],
    ['айыппұлды қалай төлеймін', ['fine', 'payment']],
    ['Емханаға қалай тіркелемін', ['clinic', 'registration']],
    ['калай тиркелемин', ['registration']],
    ['ажырасу', ['divorce']],
    ['әкем қайтыс болды', ['parents', 'death']],
    ['How to apply for child benefit', ['application', 'child', 'child_benefit', 'benefit']],
    ['I lost my passport', ['lost_document', 'passport']],
    ['Please connect me to an operator', ['operator']],
    ['операторға қосыңызшы', ['operator']],
    ['рахмет', ['thanks']],
  ];
  for (const [text, expected] of cases) {
    it(`${text} → ${expected.join(', ')}`, () => {
      const found = concepts(text);
      for (const c of expected) assert.ok(found.includes(c), `${c} missing from [${found.join(', ')}]`);
    });
  }

  it('returns concepts in order of first appearance, without duplicates', () => {
    assert.deepEqual(concepts('ЦОН цон ХҚКО паспорт'), ['tson', 'passport']);
  });

  it('does not invent concepts', () => {
    assert.deepEqual(concepts(''), []);
    assert.deepEqual(concepts('погода завтра'), []);
    assert.deepEqual(concepts('the weather tomorrow'), []);
    // Kazakh "көп" (many) is not Russian "копия" (copy); "жыл" (year) is not "жилье" (housing)
    assert.ok(!concepts('көп').includes('duplicate'));
    assert.ok(!concepts('жылы').includes('housing'));
  });
});

describe('abbreviations and everyday words', () => {
  it('finds an abbreviation with a Kazakh or Russian ending written onto it', () => {
    assert.ok(concepts('ипке тіркелу').includes('ip'));
    assert.ok(concepts('ипімді жабу').includes('ip'));
    assert.ok(concepts('цонға бару').includes('tson'));
    assert.ok(concepts('мсэкке бару').includes('disability'));
    assert.ok(concepts('в загсе').includes('zags'));
  });

  it('does not read other words as an abbreviation with an ending', () => {
    assert.deepEqual(concepts('ипподром'), []);
    assert.ok(!concepts('ипотека').includes('ip'));
  });

  it('never reads a function word as a concept (его is not egov, мало is not livestock)', () => {
    assert.ok(!concepts('ребенок не его').includes('egov'));
    assert.ok(!concepts('денег мало').includes('veterinary'));
    assert.ok(concepts('через егов').includes('egov'));
  });
});

describe('createLexicon', () => {
  it('builds a lexicon from custom groups, multi-word and inflected', () => {
    const lex = createLexicon([
      { concept: 'queue', terms: ['электронная очередь', 'электрондық кезек'] },
      { concept: 'tson', terms: ['ЦОН'] },
    ]);
    assert.deepEqual(lex.concepts, ['queue', 'tson']);
    assert.deepEqual(lex.expand(normalizeText('Электронной очереди в ЦОНе нет')), ['queue', 'tson']);
    assert.deepEqual(lex.expand(normalizeText('электрондық кезекке')), ['queue']);
    assert.deepEqual(lex.expand(normalizeText('очередь')), []);
    assert.deepEqual(lex.expandTokens(['цон']), ['tson']);
  });
});

describe('analyze', () => {
  it('returns normalised text, tokens, one stem per token and concepts', () => {
    const a = analyze('Как получить справку о несудимости?', 'ru');
    assert.equal(a.normalized, 'как получить справку о несудимости');
    assert.deepEqual(a.tokens, ['как', 'получить', 'справку', 'о', 'несудимости']);
    assert.equal(a.stems.length, a.tokens.length);
    assert.equal(a.stems[2], 'справк');
    assert.deepEqual(a.concepts, ['certificate', 'criminal_record']);
  });

  it('stems Cyrillic words without Kazakh letters by the message language', () => {
    assert.deepEqual(analyze('балабакшага кезек', 'kk').stems, ['балабакша', 'кезек']);
    assert.deepEqual(analyze('zheke kualikti qaidan alamyn', 'kk').stems.slice(0, 2), ['жеке', 'куалік']);
  });

  it('stems Latin words as English and keeps numbers', () => {
    assert.deepEqual(analyze('renewing 2 passports').stems, ['renew', '2', 'passport']);
  });

  it('is fast: well under 0.1 ms per short message', () => {
    const messages = [
      'Как получить справку о несудимости?',
      'Жеке куәлігімді жоғалттым, не істеу керек?',
      'zheke kualik kalai alamyn',
      'How do I renew my ID card?',
      'балабақшаға кезек',
    ];
    for (const m of messages) analyze(m);
    const rounds = 400;
    const start = process.cpuUsage();
    for (let i = 0; i < rounds; i++) for (const m of messages) analyze(m);
    const used = process.cpuUsage(start);
    const perMessageMs = (used.user + used.system) / 1000 / (rounds * messages.length);
    // Generous bound so a loaded machine does not fail the test; typically ~0.02 ms.
    assert.ok(perMessageMs < 0.5, `${perMessageMs.toFixed(3)} ms per message`);
  });
});
