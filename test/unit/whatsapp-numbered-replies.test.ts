import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOfferedButtons } from '../../bots/whatsapp/numbered-replies.ts';
import { renderOutbound } from '../../bots/whatsapp/render.ts';
import { fixedClock } from '../helpers/fakes.ts';

const choices = [
  { label: 'Удостоверение личности', callbackData: 'c:id-card' },
  { label: 'Паспорт', callbackData: 'c:passport' },
  { label: 'Связаться с оператором', callbackData: 'op' },
];

describe('whatsapp numbered lists', () => {
  it('renders buttons as a numbered list with a hint in the reply language', () => {
    const r = renderOutbound({
      text: 'Уточните, пожалуйста, что именно вас интересует?',
      lang: 'ru',
      buttons: [
        { label: 'Удостоверение личности', action: { type: 'choose', faqId: 'id-card' } },
        { label: 'Паспорт', action: { type: 'choose', faqId: 'passport' } },
        { label: 'Связаться с оператором', action: { type: 'operator' } },
      ],
    });
    assert.equal(r.text, 'Уточните, пожалуйста, что именно вас интересует?\n\n1. Удостоверение личности\n2. Паспорт\n3. Связаться с оператором\n\n_Ответьте цифрой._');
    assert.deepEqual(r.choices, choices);
    const kk = renderOutbound({ text: 'Таңдаңыз', lang: 'kk', buttons: [{ label: 'A', action: { type: 'rate', score: 5 } }] });
    assert.match(kk.text, /Жауап ретінде нөмірді жіберіңіз/);
    assert.match(renderOutbound({ text: 'x', lang: 'en', buttons: [{ label: 'A', action: { type: 'operator' } }] }).text, /Reply with a number/);
    assert.match(renderOutbound({ text: 'x', buttons: [{ label: 'A', action: { type: 'operator' } }] }).text, /нөмірді.*Ответьте.*Reply/);
  });

  it('leaves text without buttons as it is', () => {
    assert.deepEqual(renderOutbound({ text: 'Ответ.\nИсточник: https://egov.kz', lang: 'ru' }), { text: 'Ответ.\nИсточник: https://egov.kz', choices: [] });
  });

  it('maps a number or an operator word to the offered choice', () => {
    const offered = createOfferedButtons({ clock: fixedClock('2025-01-01T10:00:00Z') });
    offered.offer('chat', choices);
    assert.equal(offered.resolve('chat', '2')?.callbackData, 'c:passport');
    assert.equal(offered.resolve('chat', ' 1. ')?.callbackData, 'c:id-card');
    assert.equal(offered.resolve('chat', '2️⃣')?.callbackData, 'c:passport');
    assert.equal(offered.resolve('chat', 'Оператор')?.callbackData, 'op');
    assert.equal(offered.resolve('chat', 'operatorga')?.callbackData, 'op');
    assert.equal(offered.resolve('chat', '4'), undefined, 'out of range');
    assert.equal(offered.resolve('chat', '0'), undefined);
    assert.equal(offered.resolve('chat', '2 паспорт'), undefined, 'a sentence is a question, not a choice');
    assert.equal(offered.resolve('other', '1'), undefined, 'per chat');
  });

  it('forgets choices after the TTL, when a reply without buttons follows, and beyond the size bound', () => {
    const clock = fixedClock('2025-01-01T10:00:00Z');
    const offered = createOfferedButtons({ clock, ttlMs: 60_000, maxChats: 2 });
    offered.offer('a', choices);
    clock.set('2025-01-01T10:01:00Z');
    assert.equal(offered.resolve('a', '1'), undefined, 'expired');
    assert.equal(offered.size(), 0);

    offered.offer('a', choices);
    offered.offer('a', []);
    assert.equal(offered.resolve('a', '1'), undefined, 'newest reply offered nothing');

    offered.offer('a', choices);
    offered.offer('b', choices);
    offered.offer('c', choices);
    assert.equal(offered.size(), 2);
    assert.equal(offered.resolve('a', '1'), undefined, 'oldest chat evicted');
    assert.equal(offered.resolve('c', '1')?.callbackData, 'c:id-card');
    // An operator word with no operator choice on offer is left to the pipeline as text.
    offered.offer('d', choices.slice(0, 2));
    assert.equal(offered.resolve('d', 'оператор'), undefined);
  });
});
