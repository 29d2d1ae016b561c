import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  answeringSentences,
  kbVocabulary,
  liveTopic,
  messageSignals,
  pickByWords,
  pickOrdinal,
  questionFacets,
  resolveFollowUp,
  serviceFamily,
  serviceWords,
  TOPIC_TTL_MS,
} from '../../core/follow-up.ts';
import type { StoredKbEntry } from '../../core/kb.ts';
import type { Candidate } from '../../core/ports.ts';
import { entry } from '../helpers/fakes.ts';

const stored = (...list: ReturnType<typeof entry>[]): StoredKbEntry[] => list.map((e) => ({ ...e, version: 1, createdAt: new Date(0), updatedAt: new Date(0) }));

/** A fine-grained knowledge base: one service split into facet entries, beside numbered standalone entries. */
const facetKb = stored(
  entry('pass-kto', 'ru', 'Кому нужен загранпаспорт и с какого возраста его оформляют?', 'Загранпаспорт нужен для выезда за границу, оформляют с рождения.'),
  entry('pass-dok', 'ru', 'Какие документы нужны для оформления загранпаспорта?', 'Удостоверение личности и квитанция об оплате пошлины.'),
  entry('pass-gde', 'ru', 'Где подать заявление на загранпаспорт?', 'В ЦОН или на egov.kz.'),
  entry('pass-srok', 'ru', 'Сколько дней делается загранпаспорт?', 'До 15 рабочих дней.'),
  entry('pass-baj', 'ru', 'Сколько стоит оформление загранпаспорта?', 'Госпошлина 8 МРП.'),
  entry('inf-01', 'ru', 'Как получить ЭЦП?', 'ЭЦП выдаёт НУЦ бесплатно, онлайн на pki.gov.kz.'),
  entry('inf-02', 'ru', 'Как получить справку о несудимости?', 'Справку заказывают на egov.kz. Услуга бесплатная. Готовая справка придёт в течение 1 рабочего дня.'),
  entry('inf-02', 'kk', 'Соттылығы жоқ туралы анықтаманы қалай алуға болады?', 'Анықтаманы egov.kz арқылы алады. Қызмет тегін. Дайын анықтама 1 жұмыс күні ішінде келеді.'),
  entry('marriage', 'ru', 'Как зарегистрировать брак?', 'Заявление подают в ЗАГС или на egov.kz.'),
);
const vocabulary = kbVocabulary(facetKb);
const thresholds = { answer: 0.6, clarify: 0.3, margin: 0.1 };

function resolve(text: string, topicId: string, alone: Candidate[], combined: Candidate[], foreignOnly: Candidate[] = []) {
  const family = serviceFamily(topicId, facetKb, 'ru');
  const signals = messageSignals(text, family, facetKb, vocabulary);
  return resolveFollowUp({ text, lang: 'ru', topicId, family, signals, alone, combined, foreignOnly, entries: facetKb, thresholds });
}

describe('follow-up: facets asked', () => {
  const cases: [string, string][] = [
    ['а сколько это стоит?', 'cost'],
    ['а скок стоит', 'cost'],
    ['ал қанша тұрады?', 'cost'],
    ['kansha turady', 'cost'],
    ['is it free', 'cost'],
    ['құжаттары қандай?', 'documents'],
    ['кужаттары кандай', 'documents'],
    ['qujattary qandai', 'documents'],
    ['what docs', 'documents'],
    ['а где её взять?', 'where'],
    ['қайда барамын', 'where'],
    ['а сроки какие', 'time'],
    ['qansha uaqyt ketedi', 'time'],
    ['how long does it take', 'time'],
    ['а онлайн можно?', 'online'],
    ['egov арқылы бола ма', 'online'],
    ['а для ребёнка?', 'child'],
    ['балаға да керек па', 'child'],
    ['а пенсионерам?', 'pensioner'],
    ['кім ала алады', 'who'],
  ];
  for (const [text, facet] of cases) it(`«${text}» asks ${facet}`, () => assert.ok(questionFacets(text).includes(facet as never), JSON.stringify(questionFacets(text))));
  it('a question naming a service asks no facet of a topic on its own words', () => assert.deepEqual(questionFacets('как зарегистрировать брак'), []));
});

describe('follow-up: picking an offered choice', () => {
  const cases: [string, number | undefined][] = [
    ['1', 0],
    ['2', 1],
    ['второй', 1],
    ['давайте третий', 2],
    ['екіншісі', 1],
    ['екіншісін', 1],
    ['ekinshisi', 1],
    ['2-ші', 1],
    ['the second one', 1],
    ['последний', 2],
    ['соңғысы', 2],
    ['4', undefined],
    ['второй паспорт нужен', undefined],
    ['как получить паспорт', undefined],
  ];
  for (const [text, index] of cases) it(`«${text}» → ${index}`, () => assert.equal(pickOrdinal(text, 3), index));
  it('a third of two offered is no choice', () => assert.equal(pickOrdinal('третий', 2), undefined));
  it('the words of exactly one offered question pick it', () => {
    const choices = [
      { faqId: 'inf-01', question: 'Как получить ЭЦП?' },
      { faqId: 'inf-02', question: 'Как получить справку о несудимости?' },
    ];
    assert.equal(pickByWords('про несудимость', choices), 'inf-02');
    assert.equal(pickByWords('получить', choices), undefined);
  });
});

describe('follow-up: the service and its facets', () => {
  it('facet entries share a worded id prefix; numbered entries are separate services', () => {
    assert.deepEqual(serviceFamily('pass-dok', facetKb, 'ru').sort(), ['pass-baj', 'pass-dok', 'pass-gde', 'pass-kto', 'pass-srok']);
    assert.deepEqual(serviceFamily('inf-02', facetKb, 'ru'), ['inf-02']);
  });
  it("the service's words are what its facet questions share", () => {
    assert.match(serviceWords('pass-dok', serviceFamily('pass-dok', facetKb, 'ru'), facetKb, 'ru'), /загранпаспорта/);
  });
  it("the sentences of an answer that answer the facet, in the answer's own words", () => {
    const answer = facetKb.find((e) => e.id === 'inf-02' && e.lang === 'ru')!.answer;
    assert.deepEqual(answeringSentences(answer, 'а сколько стоит?', ['cost']), ['Услуга бесплатная.']);
    assert.deepEqual(answeringSentences(answer, 'а сроки?', ['time']), ['Готовая справка придёт в течение 1 рабочего дня.']);
    assert.deepEqual(answeringSentences(answer, 'а пенсионерам?', ['pensioner']), []);
  });
  it('a topic older than its time is not continued', () => {
    const at = new Date('2026-12-01T10:00:00Z');
    const topic = { entries: ['inf-02'], chosen: 'inf-02', at: at.toISOString() };
    assert.equal(liveTopic(topic, new Date(at.getTime() + TOPIC_TTL_MS - 1)), topic);
    assert.equal(liveTopic(topic, new Date(at.getTime() + TOPIC_TTL_MS + 1)), null);
  });
});

describe('follow-up: resolving a message against the topic', () => {
  it('a facet question on a facet service answers the facet entry, though alone it finds another service', () => {
    const r = resolve('а сколько стоит?', 'pass-dok', [{ faqId: 'inf-01', score: 0.2 }], [{ faqId: 'pass-baj', score: 0.7 }, { faqId: 'pass-dok', score: 0.2 }]);
    assert.deepEqual(r, { kind: 'entry', faqId: 'pass-baj', score: 0.7 });
  });
  it('a fully stated new question switches: never glued to the old topic', () => {
    const r = resolve('как зарегистрировать брак и какие документы нужны', 'pass-dok', [{ faqId: 'marriage', score: 0.9 }], [{ faqId: 'pass-dok', score: 0.5 }], [{ faqId: 'marriage', score: 0.9 }]);
    assert.deepEqual(r, { kind: 'own' });
  });
  it('a message the retriever places in another service even joined with the topic is its own', () => {
    const r = resolve('а эцп какие документы', 'pass-dok', [{ faqId: 'inf-01', score: 0.4 }], [{ faqId: 'inf-01', score: 0.35 }]);
    assert.deepEqual(r, { kind: 'own' });
  });
  it('a single-entry topic answers with the sentences of its answer that hold the facet', () => {
    const r = resolve('а сколько это стоит?', 'inf-02', [{ faqId: 'pass-baj', score: 0.4 }], [{ faqId: 'inf-02', score: 0.8 }]);
    assert.equal(r.kind, 'sentences');
    assert.deepEqual(r.kind === 'sentences' && r.sentences, ['Услуга бесплатная.']);
  });
  it('a facet the knowledge base does not hold is missing, said so', () => {
    const r = resolve('а пенсионерам?', 'inf-02', [], [{ faqId: 'inf-02', score: 0.5 }]);
    assert.deepEqual(r, { kind: 'missing', faqId: 'inf-02', facets: ['pensioner'], score: 0.5 });
  });
});
