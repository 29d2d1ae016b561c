import assert from 'node:assert/strict';
import { it } from 'node:test';
import { detectPersonRequest } from '../../core/person-request.ts';

const yes = [
  'оператор', 'Оператор!', 'позовите человека', 'хочу поговорить с живым человеком', 'соедините со специалистом',
  'дайте оператора пожалуйста', 'можно с человеком поговорить', 'не с ботом хочу',
  'маманмен сөйлескім келеді', 'тірі адам керек', 'операторға қосыңызшы', 'адаммен сөйлесейін',
  'operatorga qosynyzshy', 'operator', 'tiri adam kerek', 'human please', 'can I talk to an agent',
  'I want to speak to a real person', 'representative',
  // Forms the foreign battery's writers used (test/fixtures/foreign-kbs) that the first patterns missed
  'маған маман керек', 'консультант керек бот емес', 'operatorǵa jalǵańyzshy', 'maman kerek magan', 'adam sóilessin robot emes',
];
const no = [
  'как получить паспорт', 'жеке куәлікті қалай алуға болады', 'сколько человек в очереди на жилье',
  'how do I register a company', 'мобильный номер поменять', 'адам қайтыс болды, не істеу керек', '',
  'маман куәлігін қалай алуға болады', 'operatsiya tegin be',
];

it('recognises requests for a person in kk, ru and en', () => {
  for (const text of yes) assert.equal(detectPersonRequest(text), true, text);
});

it('does not mistake ordinary questions for requests for a person', () => {
  for (const text of no) assert.equal(detectPersonRequest(text), false, text);
});
