import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { encodeButton, type InboundMessage } from '../../core/envelopes.ts';
import { createMemoryConversationStore } from '../../memory/conversation-store.ts';
import { createPipeline } from '../../core/pipeline.ts';
import type { OperatorPresence } from '../../core/ports.ts';
import { t, TEXTS } from '../../core/texts.ts';
import { entry, fakeKb, fixedClock, letterDetector, recordingLogger, scriptedRetriever, pipelineOptions } from '../helpers/fakes.ts';

const kb = fakeKb([
  entry('id-card', 'kk', 'Жеке куәлікті қалай алуға болады?', 'ХҚКО-ға барыңыз.'),
  entry('id-card', 'ru', 'Как получить удостоверение личности?', 'Обратитесь в ЦОН.'),
  entry('passport', 'ru', 'Как получить паспорт?', 'Подайте заявку на eGov.'),
  entry('passport', 'kk', 'Төлқұжатты қалай алуға болады?', 'eGov арқылы өтінім беріңіз.'),
  entry('gun', 'ru', 'Разрешение на оружие', 'Только лично.', { category: 'weapons' }),
]);

let n = 0;
const msg = (text: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
  channel: 'telegram',
  chatId: 'chat-1',
  userId: 'u1',
  messageId: String(++n),
  text,
  kind: 'text',
  receivedAt: new Date().toISOString(),
  traceId: `t${n}`,
  ...extra,
});

function setup(now = '2026-11-30T06:00:00Z' /* Monday 11:00 in Almaty */) {
  const conversations = createMemoryConversationStore();
  const events: unknown[] = [];
  const retriever = scriptedRetriever({
    удостоверение: [{ faqId: 'id-card', score: 0.9 }, { faqId: 'passport', score: 0.3 }],
    куәлік: [{ faqId: 'id-card', score: 0.85 }],
    документ: [{ faqId: 'id-card', score: 0.55 }, { faqId: 'passport', score: 0.52 }],
    оружие: [{ faqId: 'gun', score: 0.95 }],
  });
  const pipeline = createPipeline({
    kb,
    retriever,
    detector: letterDetector,
    conversations,
    events: { emit: (e) => events.push(e) },
    clock: fixedClock(now),
    logger: recordingLogger(),
    options: pipelineOptions({ escalation: { categories: ['weapons'], keywords: ['жалоба на судью'] } }),
  });
  return { pipeline, conversations, events, retriever };
}

describe('pipeline', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(() => (s = setup()));

  it('answers in the citizen language with the source and feedback buttons', async () => {
    const r = await s.pipeline.handle(msg('Как получить удостоверение?'));
    assert.equal(r.action, 'answer');
    assert.equal(r.faqId, 'id-card');
    assert.equal(r.lang, 'ru');
    assert.match(r.replies[0]!.text, /Обратитесь в ЦОН\.\n\nИсточник: https:\/\/egov\.kz\/cms\/ru/);
    assert.deepEqual(r.replies[0]!.buttons?.map((b) => b.action.type), ['feedback', 'feedback', 'operator']);
    const kk = await s.pipeline.handle(msg('жеке куәлік керек', { chatId: 'chat-2' }));
    assert.equal(kk.lang, 'kk');
    assert.match(kk.replies[0]!.text, /ХҚКО/);
  });

  it('answers a redelivered message once', async () => {
    const m = msg('удостоверение');
    assert.equal((await s.pipeline.handle(m)).replies.length, 1);
    const again = await s.pipeline.handle({ ...m });
    assert.equal(again.action, 'duplicate');
    assert.equal(again.replies.length, 0);
  });

  it('clarifies between close entries and answers the chosen one', async () => {
    const r = await s.pipeline.handle(msg('нужен документ'));
    assert.equal(r.action, 'clarify');
    const choices = r.replies[0]!.buttons!.filter((b) => b.action.type === 'choose');
    assert.deepEqual(choices.map((b) => b.label), ['Как получить удостоверение личности?', 'Как получить паспорт?']);
    const picked = await s.pipeline.handle(msg(choices[1]!.label, { callbackData: encodeButton(choices[1]!.action) }));
    assert.equal(picked.action, 'answer');
    assert.equal(picked.faqId, 'passport');
    assert.equal(picked.lang, 'ru');
  });

  it('falls back once, then escalates after a second fallback in a row', async () => {
    const first = await s.pipeline.handle(msg('какая погода завтра'));
    assert.equal(first.action, 'fallback');
    assert.match(first.replies[0]!.text, /нет готового ответа/);
    const second = await s.pipeline.handle(msg('кто выиграл матч'));
    assert.equal(second.action, 'escalate');
    assert.deepEqual(s.events.at(-1), { type: 'escalated', conversationId: second.conversationId, reason: 'repeated-fallback' });
    const [conv] = s.conversations.all();
    assert.equal(conv!.owner, 'waiting');
  });

  it('escalates on request and tells the place in the queue and the wait, with a way out', async () => {
    const r = await s.pipeline.handle(msg('позовите оператора'));
    assert.equal(r.action, 'escalate');
    assert.match(r.replies[0]!.text, /место в очереди: 1, ожидание — примерно 5 мин/);
    assert.deepEqual(r.replies[0]!.buttons?.map((b) => b.action), [{ type: 'leave-queue' }]);
  })

  it('does not escalate a citizen who says they need no operator', async () => {
    assert.notEqual((await s.pipeline.handle(msg('оператор не нужен'))).action, 'escalate');
    assert.equal(s.conversations.all()[0]!.owner, 'bot');
  });

  it('tells when operators are back outside office hours', async () => {
    const late = setup('2026-11-28T16:00:00Z'); // Saturday 21:00 in Almaty
    const r = await late.pipeline.handle(msg('оператор'));
    assert.match(r.replies[0]!.text, /понедельника 09:00/);
  });

  it('escalates topics the deployer marks for a person', async () => {
    assert.equal((await s.pipeline.handle(msg('разрешение на оружие'))).action, 'escalate');
    assert.equal((await s.pipeline.handle(msg('у меня жалоба на судью', { chatId: 'c9' }))).action, 'escalate');
  });

  it('replies politely to stickers, empty and overlong messages in the conversation language', async () => {
    await s.pipeline.handle(msg('жеке куәлік'));
    const sticker = await s.pipeline.handle(msg('', { kind: 'sticker' }));
    assert.equal(sticker.action, 'unsupported');
    assert.match(sticker.replies[0]!.text, /Стикеріңізге рахмет/);
    const emoji = await s.pipeline.handle(msg('🙂🙂'));
    assert.equal(emoji.action, 'empty');
    const long = await s.pipeline.handle(msg('а'.repeat(10_000)));
    assert.equal(long.action, 'too-long');
    assert.match(long.replies[0]!.text, /2000/);
  });

  it('greets, thanks, and records feedback and ratings', async () => {
    assert.equal((await s.pipeline.handle(msg('Сәлем!'))).action, 'greeting');
    assert.equal((await s.pipeline.handle(msg('рахмет'))).action, 'thanks');
    const fb = await s.pipeline.handle(msg('👍', { callbackData: encodeButton({ type: 'feedback', faqId: 'id-card', useful: true }) }));
    assert.equal(fb.action, 'feedback');
    assert.equal(s.conversations.feedback.length, 1);
    await s.pipeline.handle(msg('5', { callbackData: 'r:5' }));
    assert.deepEqual(s.conversations.ratings.map((r) => r.score), [5]);
  });

  it('stores the citizen message and the reply', async () => {
    const r = await s.pipeline.handle(msg('удостоверение'));
    const history = await s.conversations.messages(r.conversationId!);
    assert.deepEqual(history.map((m) => [m.author, m.action]), [['citizen', null], ['bot', 'answer']]);
  });
});

describe('pipeline while the chat waits for an operator', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(async () => {
    s = setup();
    assert.equal((await s.pipeline.handle(msg('позовите оператора'))).action, 'escalate');
  });
  const owner = () => s.conversations.all()[0]!.owner;

  it('acknowledges what it cannot answer, without repeating the place or the wait', async () => {
    for (const text of ['алло, вы тут?', 'какая погода завтра', 'спасибо']) {
      const r = await s.pipeline.handle(msg(text));
      assert.equal(r.action, 'acknowledged', text);
      assert.equal(r.replies[0]!.text, t('stillWaiting', 'ru'));
      assert.doesNotMatch(r.replies[0]!.text, /очереди|мин/);
      assert.deepEqual(r.replies[0]!.buttons?.map((b) => b.action.type), ['leave-queue']);
    }
    const sticker = await s.pipeline.handle(msg('', { kind: 'sticker' }));
    assert.equal(sticker.action, 'acknowledged');
    assert.equal(owner(), 'waiting');
    assert.ok(s.events.filter((e) => (e as { type: string }).type === 'citizen-message').length >= 4, 'the console hears of each message');
  });

  it('answers a question it can answer confidently; the chat keeps its place and operators see the answer', async () => {
    const r = await s.pipeline.handle(msg('Как получить удостоверение?'));
    assert.equal(r.action, 'answer');
    assert.equal(r.faqId, 'id-card');
    assert.match(r.replies[0]!.text, /^Обратитесь в ЦОН\./);
    assert.ok(r.replies[0]!.text.endsWith(t('stillInQueue', 'ru')), r.replies[0]!.text);
    assert.deepEqual(r.replies[0]!.buttons?.map((b) => b.action.type), ['feedback', 'feedback', 'leave-queue']);
    assert.equal(owner(), 'waiting');
    const history = await s.conversations.messages(r.conversationId!);
    assert.deepEqual(history.at(-1)!.faqId, 'id-card');
    // Choices between close entries are no answer: acknowledged instead.
    assert.equal((await s.pipeline.handle(msg('нужен документ'))).action, 'acknowledged');
    // A topic marked for people is not answered by the bot even while waiting.
    assert.equal((await s.pipeline.handle(msg('разрешение на оружие'))).action, 'acknowledged');
  });

  it('tells a citizen who asks again that they are in the queue', async () => {
    const r = await s.pipeline.handle(msg('где оператор?'));
    assert.equal(r.action, 'already-waiting');
    assert.equal(r.replies[0]!.text, t('alreadyWaiting', 'ru'));
    const pressed = await s.pipeline.handle(msg('Связаться с оператором', { callbackData: 'op' }));
    assert.equal(pressed.action, 'already-waiting');
    assert.equal(owner(), 'waiting');
  });

  for (const text of ['бот помог', 'уже не надо', 'оператор больше не нужен', 'ботпен жалғастырамын', 'маман керек емес', 'never mind, the bot helped']) {
    it(`leaves the queue when the citizen says "${text}", and the bot answers again`, async () => {
      const r = await s.pipeline.handle(msg(text));
      assert.equal(r.action, 'left-queue');
      assert.ok(Object.values(TEXTS.leftQueue).includes(r.replies[0]!.text), r.replies[0]!.text);
      const conv = s.conversations.all()[0]!;
      assert.deepEqual([conv.owner, conv.operatorId, conv.fallbackStreak], ['bot', null, 0]);
      assert.deepEqual(s.events.at(-1), { type: 'owner-changed', conversationId: conv.id, owner: 'bot' });
      const history = await s.conversations.messages(conv.id);
      assert.deepEqual(history.slice(-2).map((m) => [m.author, m.action]), [['bot', 'left-queue'], ['system', 'left-queue']]);
      const next = await s.pipeline.handle(msg('Как получить удостоверение?'));
      assert.equal(next.action, 'answer');
      assert.doesNotMatch(next.replies[0]!.text, /очереди/);
    });
  }

  it('leaves the queue by the button of the waiting notice', async () => {
    const r = await s.pipeline.handle(msg('Оператор уже не нужен', { callbackData: encodeButton({ type: 'leave-queue' }) }));
    assert.equal(r.action, 'left-queue');
    assert.equal(r.replies[0]!.text, t('leftQueue', 'ru'));
    assert.equal(owner(), 'bot');
    // Pressed again on the old message: nothing to leave, no escalation, no error.
    assert.equal((await s.pipeline.handle(msg('Оператор уже не нужен', { callbackData: 'lq' }))).action, 'left-queue');
    assert.equal(owner(), 'bot');
  });

  it('keeps the chat with an operator who claimed it just before the citizen left', async () => {
    const store = s.conversations;
    const leave = store.leaveQueue.bind(store);
    store.leaveQueue = async (id) => {
      await store.update(id, { owner: 'operator', operatorId: 'op-1' });
      return leave(id);
    };
    const r = await s.pipeline.handle(msg('уже не надо'));
    assert.equal(r.replies[0]!.text, t('operatorAlreadyJoined', 'ru'));
    assert.deepEqual([store.all()[0]!.owner, store.all()[0]!.operatorId], ['operator', 'op-1']);
  });

  it('relays to an operator who owns the chat with a receipt and no text, without retrieval', async () => {
    await s.conversations.update(s.conversations.all()[0]!.id, { owner: 'operator', operatorId: 'op-1' });
    const calls = s.retriever.calls.length;
    const r = await s.pipeline.handle(msg('Как получить удостоверение?'));
    assert.equal(r.action, 'relayed');
    assert.deepEqual(r.replies.map((m) => [m.text, m.receipt, m.buttons]), [['', 'relayed', undefined]]);
    assert.equal(s.retriever.calls.length, calls);
    assert.equal((await s.conversations.messages(r.conversationId!)).at(-1)!.author, 'citizen');
  });
});

describe('pipeline escalation outside office hours', () => {
  const saturdayNight = '2026-11-28T16:00:00Z'; // Saturday 21:00 in Almaty
  function late(presence?: OperatorPresence) {
    const logger = recordingLogger();
    const pipeline = createPipeline({
      kb,
      retriever: scriptedRetriever({}),
      detector: letterDetector,
      conversations: createMemoryConversationStore(),
      clock: fixedClock(saturdayNight),
      logger,
      presence,
      options: pipelineOptions(),
    });
    return { pipeline, logger };
  }

  it('says when operators are back only when nobody is signed in to the console', async () => {
    const seen: Date[] = [];
    const nobody = late({ anyOnline: async (now) => (seen.push(now), false) });
    assert.match((await nobody.pipeline.handle(msg('оператор'))).replies[0]!.text, /понедельника 09:00/);
    assert.deepEqual(seen, [new Date(saturdayNight)]);
    const someone = late({ anyOnline: async () => true });
    const text = (await someone.pipeline.handle(msg('оператор'))).replies[0]!.text;
    assert.match(text, /место в очереди: 1/);
    assert.doesNotMatch(text, /не работают/);
  });

  it('falls back to office hours when presence cannot be read', async () => {
    const broken = late({ anyOnline: async () => { throw new Error('db down'); } });
    const r = await broken.pipeline.handle(msg('оператор'));
    assert.equal(r.action, 'escalate');
    assert.match(r.replies[0]!.text, /понедельника 09:00/);
    assert.ok(broken.logger.lines.some((l) => l.level === 'warn' && /presence/.test(l.msg ?? '')));
  });
});

describe('pipeline rate limit', () => {
  it('tells the citizen once, then stays quiet until the window passes', async () => {
    const { createMemoryRateLimiter } = await import('../../memory/rate-limiter.ts');
    const clock = fixedClock('2026-11-30T06:00:00Z');
    const conversations = createMemoryConversationStore();
    const pipeline = createPipeline({
      kb,
      retriever: scriptedRetriever({ удостоверение: [{ faqId: 'id-card', score: 0.9 }] }),
      detector: letterDetector,
      conversations,
      clock,
      logger: recordingLogger(),
      rateLimiter: createMemoryRateLimiter({ limit: 3, clock }),
      options: pipelineOptions(),
    });
    const actions: string[] = [];
    for (let i = 0; i < 6; i++) actions.push((await pipeline.handle(msg('удостоверение', { chatId: 'flood' }))).action);
    assert.deepEqual(actions, ['answer', 'answer', 'answer', 'rate-limited', 'rate-limited', 'rate-limited']);
    clock.set('2026-11-30T06:01:00Z');
    assert.equal((await pipeline.handle(msg('удостоверение', { chatId: 'flood' }))).action, 'answer');
    const [conv] = conversations.all();
    const stored = await conversations.messages(conv!.id);
    assert.equal(stored.filter((m) => m.author === 'citizen').length, 7);
    assert.equal(stored.filter((m) => m.action === 'rate-limited').length, 1);
  });
});
