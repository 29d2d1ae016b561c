import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { InboundMessage } from '../../core/envelopes.ts';
import { TOPIC_TTL_MS } from '../../core/follow-up.ts';
import { createMemoryConversationStore } from '../../memory/conversation-store.ts';
import { createPipeline } from '../../core/pipeline.ts';
import type { Candidate, Retriever } from '../../core/ports.ts';
import { t } from '../../core/texts.ts';
import { entry, fakeKb, fixedClock, letterDetector, pipelineOptions, recordingLogger } from '../helpers/fakes.ts';

/**
 * The pipeline with the topic: a follow-up is resolved against what was answered or offered
 * before. The retriever is a rule table standing in for the calibrated one, with the property
 * that matters here: a bare facet question alone finds some other service's facet weakly, the
 * same question joined with the topic's words finds the topic's facet confidently.
 */
const kb = fakeKb([
  entry('pass-dok', 'ru', 'Какие документы нужны для оформления загранпаспорта?', 'Удостоверение личности и квитанция об оплате пошлины.'),
  entry('pass-baj', 'ru', 'Сколько стоит оформление загранпаспорта?', 'Госпошлина 8 МРП.'),
  entry('pass-srok', 'ru', 'Сколько дней делается загранпаспорт?', 'До 15 рабочих дней.'),
  entry('cert', 'ru', 'Как получить справку о несудимости?', 'Справку заказывают на egov.kz. Услуга бесплатная. Готовая справка придёт в течение 1 рабочего дня.'),
  entry('cert', 'kk', 'Соттылығы жоқ туралы анықтаманы қалай алуға болады?', 'Анықтаманы egov.kz арқылы алады. Қызмет тегін. Дайын анықтама 1 жұмыс күні ішінде келеді.'),
  entry('marriage', 'ru', 'Как зарегистрировать брак?', 'Заявление подают в ЗАГС или на egov.kz.'),
  entry('eds', 'ru', 'Как получить ЭЦП?', 'ЭЦП выдаёт НУЦ бесплатно.'),
]);

function ruleRetriever(rules: [RegExp, Candidate[]][]): Retriever & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async retrieve(text) {
      calls.push(text);
      return rules.find(([re]) => re.test(text))?.[1] ?? [];
    },
  };
}

const retriever = ruleRetriever([
  [/стоит.*загранпаспорт/i, [{ faqId: 'pass-baj', score: 0.9 }, { faqId: 'pass-dok', score: 0.2 }]],
  [/дней.*загранпаспорт/i, [{ faqId: 'pass-srok', score: 0.85 }]],
  [/загранпаспорт/i, [{ faqId: 'pass-dok', score: 0.9 }, { faqId: 'pass-baj', score: 0.3 }]],
  [/брак/i, [{ faqId: 'marriage', score: 0.95 }]],
  [/несудимост|соттылы/i, [{ faqId: 'cert', score: 0.95 }]],
  [/^документы$/i, [{ faqId: 'pass-dok', score: 0.5 }, { faqId: 'cert', score: 0.45 }]],
  [/стоит/i, [{ faqId: 'pass-baj', score: 0.35 }]],
]);

let n = 0;
const msg = (text: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
  channel: 'telegram',
  chatId: 'chat-f',
  userId: 'u1',
  messageId: String(++n),
  text,
  kind: 'text',
  receivedAt: new Date().toISOString(),
  traceId: `t${n}`,
  ...extra,
});

function setup() {
  const conversations = createMemoryConversationStore();
  const clock = fixedClock('2026-11-30T06:00:00Z');
  const pipeline = createPipeline({ kb, retriever, detector: letterDetector, conversations, clock, logger: recordingLogger(), options: pipelineOptions() });
  return { pipeline, conversations, clock };
}

describe('pipeline: the conversation keeps its topic', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(() => (s = setup()));

  it('a facet follow-up answers the facet entry of the same service, and the topic moves to it', async () => {
    assert.equal((await s.pipeline.handle(msg('Какие документы нужны на загранпаспорт?'))).faqId, 'pass-dok');
    const r = await s.pipeline.handle(msg('а сколько стоит?'));
    assert.equal(r.action, 'answer');
    assert.equal(r.faqId, 'pass-baj');
    assert.equal(r.followUp, 'entry');
    assert.match(r.replies[0]!.text, /8 МРП/);
    assert.deepEqual(s.conversations.all()[0]!.topic?.entries, ['pass-baj']);
    const third = await s.pipeline.handle(msg('а сколько дней ждать?'));
    assert.equal(third.faqId, 'pass-srok');
  });

  it("a single entry's answer: the reply leads with its own sentence, the whole answer one tap away", async () => {
    await s.pipeline.handle(msg('как получить справку о несудимости'));
    const r = await s.pipeline.handle(msg('а сколько это стоит?'));
    assert.equal(r.action, 'answer');
    assert.equal(r.followUp, 'sentences');
    assert.equal(r.faqId, 'cert');
    const text = r.replies[0]!.text;
    assert.ok(text.includes('Услуга бесплатная.'), text);
    assert.ok(!text.includes('Справку заказывают'), 'only the sentences that answer it lead');
    assert.ok(text.includes('Источник: https://egov.kz/cms/ru'), 'the source link stays');
    const full = r.replies[0]!.buttons!.find((b) => b.label === t('fullAnswerButton', 'ru'));
    assert.deepEqual(full?.action, { type: 'choose', faqId: 'cert' });
  });

  it('the same in Kazakh, in its own sentences', async () => {
    await s.pipeline.handle(msg('соттылығы жоқ туралы анықтама қалай аламын'));
    const r = await s.pipeline.handle(msg('ал қанша тұрады?'));
    assert.equal(r.followUp, 'sentences');
    assert.ok(r.replies[0]!.text.includes('Қызмет тегін.'), r.replies[0]!.text);
  });

  it('a fully stated new question switches the topic and is never glued to the old one', async () => {
    await s.pipeline.handle(msg('как получить справку о несудимости'));
    const r = await s.pipeline.handle(msg('как зарегистрировать брак'));
    assert.equal(r.faqId, 'marriage');
    assert.equal(r.followUp, undefined);
    assert.deepEqual(s.conversations.all()[0]!.topic?.entries, ['marriage']);
  });

  it('a facet the answer does not state is said plainly, above the whole answer, with an operator, and is not counted as a fallback', async () => {
    await s.pipeline.handle(msg('как получить справку о несудимости'));
    const missing = await s.pipeline.handle(msg('а пенсионерам?'));
    assert.equal(missing.followUp, 'missing');
    assert.equal(missing.faqId, 'cert');
    const text = missing.replies[0]!.text;
    assert.ok(text.startsWith('В ответе на вопрос «Как получить справку о несудимости?» я не нашёл именно этого.'), text);
    const entry = (await kb.list({ enabledOnly: true })).find((e) => e.id === 'cert' && e.lang === 'ru')!;
    assert.ok(text.includes(entry.answer), 'the whole answer, as written');
    assert.ok(missing.replies[0]!.buttons!.some((b) => b.action.type === 'operator'));
    assert.equal(s.conversations.all()[0]!.fallbackStreak, 0);
    // A real fallback after it is the first, not the second: no escalation.
    const fallback = await s.pipeline.handle(msg('какая завтра погода в париже'));
    assert.equal(fallback.action, 'fallback');
    assert.equal(s.conversations.all()[0]!.owner, 'bot');
  });

  it('clarify uses the topic: «2», «екіншісі» or the words of a choice pick an offered entry', async () => {
    const offered = await s.pipeline.handle(msg('документы'));
    assert.equal(offered.action, 'clarify');
    assert.deepEqual(s.conversations.all()[0]!.topic, { entries: ['pass-dok', 'cert'], chosen: null, at: '2026-11-30T06:00:00.000Z' });
    const picked = await s.pipeline.handle(msg('2'));
    assert.equal(picked.faqId, 'cert');
    assert.equal(picked.followUp, 'picked');

    // Other chats (in this one «документы» is now a follow-up on the chosen entry).
    await s.pipeline.handle(msg('документы', { chatId: 'chat-g' }));
    assert.equal((await s.pipeline.handle(msg('екіншісі', { chatId: 'chat-g' }))).faqId, 'cert');
    await s.pipeline.handle(msg('документы', { chatId: 'chat-h' }));
    assert.equal((await s.pipeline.handle(msg('про загранпаспорт', { chatId: 'chat-h' }))).faqId, 'pass-dok');
  });

  it('an old topic is not continued', async () => {
    await s.pipeline.handle(msg('как получить справку о несудимости'));
    s.clock.set(new Date(Date.parse('2026-11-30T06:00:00Z') + TOPIC_TTL_MS + 60_000).toISOString());
    const r = await s.pipeline.handle(msg('а сколько это стоит?'));
    assert.notEqual(r.faqId, 'cert');
    assert.equal(r.followUp, undefined);
  });
});
