import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Lang } from '../../core/lang.ts';
import { createLanguageDetector } from '../../inference/language.ts';

const detector = createLanguageDetector();

/** Short messages, greetings, mixed Kazakh-Russian, Latin-script Kazakh and transliterated Russian. */
const TRICKY: [string, Lang][] = [
  ['сәлем', 'kk'],
  ['салем', 'kk'],
  ['привет', 'ru'],
  ['hi', 'en'],
  ['рахмет', 'kk'],
  ['ok', 'en'],
  ['спасибо', 'ru'],
  ['thanks', 'en'],
  ['да', 'ru'],
  ['иә', 'kk'],
  ['жок', 'kk'],
  ['нет', 'ru'],
  ['no', 'en'],
  ['net', 'ru'],
  ['rakhmet', 'kk'],
  ['salem', 'kk'],
  ['privet', 'ru'],
  ['spasibo', 'ru'],
  ['ia', 'kk'],
  ['Как получить справку о несудимости?', 'ru'],
  ['Жеке куәлігімді жоғалттым', 'kk'],
  ['жеке куалигимди жогалттым', 'kk'],
  ['калай алуга болады', 'kk'],
  ['паспорт алу керек', 'kk'],
  ['мне нужна справка, калай?', 'kk'],
  ['справка керек', 'kk'],
  ['кайда барам', 'kk'],
  ['бар ма', 'kk'],
  ['How do I renew my ID card?', 'en'],
  ['where is tson', 'en'],
  ['qalai alamyn', 'kk'],
  ['jeke kuälik', 'kk'],
  ['zheke kualik kerek', 'kk'],
  ['kak poluchit pasport', 'ru'],
  ['menin pasportym bar ma', 'kk'],
  ['pasport kalai alamyn', 'kk'],
  ['gde nakhoditsya TSON', 'ru'],
  ['mne nuzhna spravka', 'ru'],
  ['Оформление субсидий фермерам', 'ru'],
  ['Здравствуйте, подскажите сроки оформления пенсии', 'ru'],
  ['балабақшаға кезек', 'kk'],
  ['баламды садикке кезекке қою', 'kk'],
  ['ЭЦП', 'ru'],
  ['ЭЦП алу', 'kk'],
  ['оператор', 'ru'],
  ['operator', 'en'],
  ['I need help with pension', 'en'],
  ['помогите', 'ru'],
  ['komek kerek', 'kk'],
  ['Qazaqstan', 'kk'],
  ['shygaru kerek', 'kk'],
  ['ghoy', 'kk'],
  ['egov arqyly', 'kk'],
  ['how to get zheke kualik', 'en'],
  ['Сіз кімсіз?', 'kk'],
  ['кім', 'kk'],
  ['help', 'en'],
  ['yes', 'en'],
  ['привет как дела', 'ru'],
  ['Where can I get a birth certificate in Almaty?', 'en'],
  ['Можно ли получить пособие онлайн через егов', 'ru'],
  ['пенсияны қалай аламын', 'kk'],
  ['зейнетакы калай алуга болады', 'kk'],
];

/** Real-sounding questions about public services. */
const RUSSIAN = [
  'Как оформить пособие на ребенка до полутора лет',
  'Где получить справку о пенсионных отчислениях',
  'Сколько стоит замена удостоверения личности',
  'Можно ли подать заявление на прописку онлайн',
  'Потерял паспорт что делать',
  'Как встать на учет в центр занятости',
  'Какие документы нужны для регистрации брака',
  'Как записать ребенка в первый класс',
  'Хочу получить ЭЦП через приложение',
  'Сколько дней делается загранпаспорт',
  'Как узнать свою очередь в детский сад',
  'Где оплатить штраф за превышение скорости',
  'Как зарегистрировать ИП через егов',
  'Мне отказали в выплате, куда жаловаться',
  'Как получить адресную социальную помощь',
  'Когда начисляют пенсию по возрасту',
  'Нужна справка о несудимости для работы',
  'Как поменять водительские права после истечения срока',
  'Какой график работы у ЦОНа в субботу',
  'Как снять пенсионные накопления на жилье',
  'Где сделать техпаспорт на квартиру',
  'Как прикрепиться к поликлинике по месту жительства',
  'Сколько стоит госпошлина за регистрацию автомобиля',
  'Как оформить инвалидность ребенку',
  'Здравствуйте, у меня вопрос по налогу на имущество',
  'Ребенок родился, как получить свидетельство о рождении',
  'Как сменить фамилию после развода',
  'Можно ли получить вид на жительство иностранцу',
  'Что нужно для получения гражданства кандасу',
  'Соедините с оператором',
];

const KAZAKH = [
  'Баламға жәрдемақыны қалай ресімдеймін',
  'Зейнетақы аударымдары туралы анықтаманы қайдан аламын',
  'Жеке куәлікті ауыстыру қанша тұрады',
  'Тіркеуге онлайн өтініш беруге бола ма',
  'Төлқұжатымды жоғалтып алдым не істеймін',
  'Жұмыспен қамту орталығына қалай тіркелемін',
  'Неке тіркеу үшін қандай құжаттар керек',
  'Баламды бірінші сыныпқа қалай жазамын',
  'ЭЦҚ алу керек',
  'Балабақша кезегін қалай білемін',
  'Айыппұлды қайда төлеймін',
  'Зейнетақы жинағын баспанаға алуға бола ма',
  'Емханаға қалай тіркелемін',
  'калай тиркелемин',
  'жеке куалик алу керек',
  'пособие калай алуга болады',
  'садикке кезек керек',
  'справка алу ушин не керек',
  'мен жумыссызбын комек керек',
  'ЦОН кайда орналаскан',
  'Сәлеметсіз бе, маған көмек керек',
  'рахмет сізге',
  'операторға қосыңызшы',
  'ажырасу туралы куәлік керек',
  'баламның туу туралы куәлігі',
  'qalai tirkelemin',
  'zheke kualikti qaidan alamyn',
  'posobie kalai alamyn',
  'balabaqshaga kezek',
  'jumyssyz retinde tirkelu kerek',
];

const ENGLISH = [
  'How do I get a digital signature',
  'Where is the nearest public service center',
  'I lost my passport what should I do',
  'How much does a new ID card cost',
  'How can I register my business online',
  'Can foreigners get a residence permit',
  'How to apply for child benefit',
  'I need a certificate of no criminal record',
  'What documents do I need for marriage registration',
  'When will my pension be paid',
  'Please connect me to an operator',
  'How long does it take to get a driving licence',
  'Is the service free',
  'Thank you very much',
  'Good morning',
];

describe('language detector', () => {
  for (const [text, lang] of TRICKY) {
    it(`${JSON.stringify(text)} is ${lang}`, () => {
      const r = detector.detect(text);
      assert.equal(r.lang, lang, `confidence ${r.confidence}`);
      assert.ok(r.confidence > 0 && r.confidence <= 1);
    });
  }

  for (const [lang, list] of [['ru', RUSSIAN], ['kk', KAZAKH], ['en', ENGLISH]] as const) {
    it(`recognises ${list.length} ${lang} questions`, () => {
      const wrong = list.filter((t) => detector.detect(t).lang !== lang);
      assert.deepEqual(wrong, []);
    });
  }

  it('is certain about Kazakh letters and less certain about a single shared word', () => {
    assert.ok(detector.detect('Жеке куәлігімді жоғалттым').confidence >= 0.9);
    assert.ok(detector.detect('сәлем').confidence >= 0.9);
    assert.ok(detector.detect('ok').confidence < detector.detect('hello').confidence);
  });

  it('counts a Russian message with Kazakh words as Kazakh, with moderate confidence', () => {
    const r = detector.detect('мне нужна справка, калай?');
    assert.equal(r.lang, 'kk');
    assert.ok(r.confidence < 0.8);
  });

  it('keeps an English sentence English around one Kazakh word', () => {
    assert.equal(detector.detect('Where do I apply for зейнетақы online please').lang, 'en');
  });

  it('returns the fallback with confidence 0 when there are no letters', () => {
    for (const text of ['', '123', '😀👍', '+7 777 123 45 67', '?!']) {
      assert.deepEqual(detector.detect(text), { lang: 'kk', confidence: 0 });
    }
    assert.deepEqual(createLanguageDetector({ fallback: 'ru' }).detect('42'), { lang: 'ru', confidence: 0 });
  });

  it('works without statistics and never throws on odd input', () => {
    const plain = createLanguageDetector({ statistics: false });
    assert.equal(plain.detect('Оформление субсидий фермерам').lang, 'ru');
    for (const text of ['\u200b', 'ŉ', 'İ̇', 'x'.repeat(5000), '日本語', 'ǅ']) {
      const r = plain.detect(text);
      assert.ok(r.confidence >= 0 && r.confidence <= 1);
    }
  });
});
