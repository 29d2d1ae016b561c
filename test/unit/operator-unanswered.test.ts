import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canBePhrasing, groupUnanswered, pickQuestion, similarity, stems, type UnansweredQuestion } from '../../core/operator-unanswered.ts';

const q = (question: string, action = 'fallback', minutesAgo = 0, operatorAnswer: string | null = null): UnansweredQuestion => ({
  conversationId: `c-${question}`,
  question,
  lang: /[әғқңөұүһі]/i.test(question) ? 'kk' : 'ru',
  action,
  at: new Date(Date.UTC(2026, 11, 1, 12, 0) - minutesAgo * 60_000),
  operatorAnswer,
});

describe('unanswered questions', () => {
  it('stems words the same across endings and case', () => {
    assert.ok(similarity(stems('Как получить субсидию на жильё?'), stems('получение субсидии на жилье')) >= 0.5);
    assert.equal(similarity(stems('субсидия на жилье'), stems('штраф за парковку')), 0);
  });

  it('groups similar questions, biggest group first, with the operator answer at hand', () => {
    const groups = groupUnanswered([
      q('Как получить субсидию на жильё?', 'fallback', 1),
      q('штраф за парковку как оплатить', 'escalate', 2, 'Оплатите на eGov.'),
      q('субсидия на жилье как получить', 'escalate', 3, 'Подайте заявку в акимат.'),
      q('получение субсидии на жилье', 'fallback', 4),
    ]);
    assert.equal(groups.length, 2);
    assert.equal(groups[0]!.count, 3);
    assert.equal(groups[0]!.fallbacks, 2);
    assert.equal(groups[0]!.escalations, 1);
    assert.equal(groups[0]!.operatorAnswer, 'Подайте заявку в акимат.');
    assert.equal(groups[1]!.question, 'штраф за парковку как оплатить');
  });

  it('picks the citizen\'s real question, not "operator please" or a button label', () => {
    const labels = new Set(['Связаться с оператором']);
    assert.equal(pickQuestion(['Связаться с оператором', 'оператор', 'как оформить пособие на ребенка'], labels), 'как оформить пособие на ребенка');
    assert.equal(pickQuestion(['Позовите оператора, не могу оформить пособие на ребенка через egov'], labels), 'Позовите оператора, не могу оформить пособие на ребенка через egov');
    assert.equal(pickQuestion(['оператор', '??'], labels), null);
  });

  it('never offers a request for a person or small talk as a phrasing of an entry', () => {
    for (const text of ['Позовите оператора', 'можно поговорить с живым человеком пожалуйста, бот не понимает', 'Операторға қосыңызшы', 'I want to talk to a human agent', 'рахмет', 'Спасибо большое', 'Сәлеметсіз бе', 'hello', '/start', '  ', '👍']) {
      assert.equal(canBePhrasing(text), false, text);
    }
    for (const text of ['что такое бирка на собаку', 'пособие по уходу за ребенком где оформить?', 'ит асырауға рұқсат қалай алам', 'how do I register a dog']) {
      assert.equal(canBePhrasing(text), true, text);
    }
  });
});
