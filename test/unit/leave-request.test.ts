import assert from 'node:assert/strict';
import { it } from 'node:test';
import { detectLeaveRequest } from '../../core/leave-request.ts';

it('recognises "I no longer need a person" in Kazakh, Russian and English, both scripts', () => {
  for (const text of [
    'бот помог',
    'Уже не надо, спасибо',
    'оператор больше не нужен',
    'не нужен оператор',
    'мне уже не нужно',
    'отмена',
    'вопрос решён',
    'сам разобрался',
    'ботпен жалғастырамын',
    'ботпен жалгастырамын',
    'маман керек емес',
    'оператор енді керек емес',
    'керек емес рахмет',
    'бот көмектесті',
    'maman kerek emes',
    'botpen jalgastyramyn',
    'never mind, the bot helped',
    'Nevermind',
    "I don't need an operator any more",
    'no need for an operator',
  ]) {
    assert.ok(detectLeaveRequest(text), text);
  }
});

it('leaves questions, requests for a person and long messages alone', () => {
  for (const text of [
    'нужен оператор',
    'позовите оператора пожалуйста',
    'как получить паспорт',
    'маман керек',
    'операторға қосыңыз',
    'I need a human',
    'what documents do I need',
    'мне уже не надо справку, но нужно узнать как получить паспорт для ребёнка в этом году через eGov',
    '',
  ]) {
    assert.equal(detectLeaveRequest(text), false, text);
  }
});
