import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { encodeButton, type InboundMessage } from '../../core/envelopes.ts';
import { createMemoryConversationStore } from '../../core/memory-conversation-store.ts';
import { createPipeline } from '../../core/pipeline.ts';
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

  it('escalates on request, tells the wait, then relays to the operator silently', async () => {
    const r = await s.pipeline.handle(msg('позовите оператора'));
    assert.equal(r.action, 'escalate');
    assert.match(r.replies[0]!.text, /примерно 5 мин/);
    const next = await s.pipeline.handle(msg('алло, вы тут?'));
    assert.equal(next.action, 'relayed');
    assert.equal(next.replies.length, 0);
    assert.equal(s.retriever.calls.length, 0);
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

describe('pipeline rate limit', () => {
  it('tells the citizen once, then stays quiet until the window passes', async () => {
    const { createMemoryRateLimiter } = await import('../../core/memory-rate-limiter.ts');
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
