/**
 * Follow-up questions end to end: a three-turn dialogue in each language — a question, a
 * follow-up that names no service («а сколько это стоит?», «ал қанша тұрады?», "is it free?"),
 * and a new question that switches the topic — through the web chat in headless Chromium and
 * through Telegram (grammY against the telegram-test-api emulator). The model is trained on the
 * demo knowledge base as a deployment trains it (in memory here), the conversations live in the
 * embedded Postgres, so the topic goes through the real store between turns. Screenshots go to
 * $KOMEK_SCREENSHOTS (default: the temp folder).
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { startRuntime } from '../../app/runtime.ts';
import type { KbEntry } from '../../core/kb.ts';
import type { Lang } from '../../core/lang.ts';
import { createPipeline } from '../../core/pipeline.ts';
import { systemClock } from '../../core/ports.ts';
import { t } from '../../core/texts.ts';
import { createConversationStore } from '../../db/conversation-store.ts';
import { createKbRepository } from '../../db/kb-repository.ts';
import { loadCorpus } from '../../inference/load-corpus.ts';
import { withTrainedKb } from '../../inference/eval/dialogue-eval.ts';
import { analyze } from '../../inference/text/index.ts';
import { launchChromium } from '../helpers/browser.ts';
import { memoryDatabase } from '../helpers/databases.ts';
import { recordingLogger } from '../helpers/fakes.ts';
import { deliverRaw, repliesIn, startEmulator } from './telegram-emulator.ts';
import { demoKb, testConfig, until } from './telegram-harness.ts';

const SHOTS = process.env.KOMEK_SCREENSHOTS ?? tmpdir();

interface Dialogue {
  lang: Lang;
  first: { text: string; faqId: string };
  follow: { text: string; facet: RegExp };
  switch: { text: string; faqId: string };
}

const DIALOGUES: Dialogue[] = [
  {
    lang: 'ru',
    first: { text: 'как получить справку о несудимости', faqId: 'no-criminal-record-certificate' },
    follow: { text: 'а сколько это стоит?', facet: /бесплат/i },
    switch: { text: 'как зарегистрировать брак', faqId: 'marriage-registration' },
  },
  {
    lang: 'kk',
    first: { text: 'ЭЦҚ кілтін қалай аламын', faqId: 'eds-digital-signature' },
    follow: { text: 'ал қанша тұрады?', facet: /тегін/i },
    switch: { text: 'жеке куәлікті қалай ауыстырамын', faqId: 'id-card-get' },
  },
  {
    lang: 'en',
    first: { text: 'how do I get a certificate of no criminal record', faqId: 'no-criminal-record-certificate' },
    follow: { text: 'is it free?', facet: /free/i },
    switch: { text: 'how do I register a marriage', faqId: 'marriage-registration' },
  },
];

function answerOf(entries: KbEntry[], id: string, lang: Lang): KbEntry {
  const found = entries.find((e) => e.id === id && e.lang === lang);
  assert.ok(found, `${id} (${lang}) in the demo knowledge base`);
  return found;
}

/** The follow-up reply: led by what it is about, then sentences of the topic entry's own answer, then its source. */
function assertFollowUp(reply: string, d: Dialogue, entries: KbEntry[]): void {
  const topic = answerOf(entries, d.first.faqId, d.lang);
  const lead = t('followUpAbout', d.lang, { topic: topic.question });
  assert.ok(reply.startsWith(lead), `led by its topic: ${reply}`);
  const body = reply.slice(lead.length).split('\n\n')[0]!.trim();
  assert.match(body, d.follow.facet, `the facet asked: ${body}`);
  // The entry's own words (only a first letter may be capitalised).
  const opening = body.split(' ').slice(0, 6).join(' ');
  assert.ok(topic.answer.toLowerCase().includes(opening.toLowerCase()), `the entry's own words, not invented: ${body}`);
  assert.ok(body.length < topic.answer.length, 'the sentences, not the whole answer');
  if (topic.sourceUrl) assert.ok(reply.includes(topic.sourceUrl), 'the source link stays');
}

/** The last bot message of the web chat: its text without the buttons, and the buttons' labels. */
async function lastBot(page: Page, count: number): Promise<{ text: string; buttons: string[] }> {
  await page.waitForFunction((n) => document.querySelectorAll('#log .msg.bot').length >= n, count, { timeout: 20_000 });
  return page.$$eval('#log .msg.bot', (els) => {
    const el = els[els.length - 1]!.cloneNode(true) as HTMLElement;
    const buttons = Array.from(el.querySelectorAll('.choices button'), (b) => b.textContent ?? '');
    el.querySelector('.choices')?.remove();
    return { text: el.textContent ?? '', buttons };
  });
}

test('follow-up dialogues in Kazakh, Russian and English: web chat in Chromium and Telegram', { timeout: 240_000 }, async (t0) => {
  const entries = await demoKb();
  await withTrainedKb(entries, await loadCorpus(), analyze, { seed: 42 }, async (system) => {
    const db = await memoryDatabase();
    const emu = await startEmulator();
    const kb = createKbRepository(db.database.db);
    await kb.import(entries, { changedBy: 'test' });
    const conversations = createConversationStore(db.database.db);
    const config = testConfig({ TELEGRAM_BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: emu.apiRoot });
    const logger = recordingLogger();
    const pipeline = createPipeline({
      kb,
      retriever: system.retriever,
      detector: system.detector,
      conversations,
      clock: systemClock,
      logger,
      options: {
        thresholds: system.thresholds,
        maxMessageChars: config.maxMessageChars,
        escalation: { categories: [], keywords: [] },
        officeHours: { from: '00:00', to: '23:59', days: [0, 1, 2, 3, 4, 5, 6], timezone: 'Asia/Almaty' },
      },
    });
    const runtime = await startRuntime({ config, logger, pipeline, conversations, database: db.database }, { role: 'all', telegram: { polling: { idleDelayMs: 30 } } });
    const browser = await launchChromium();
    try {
      for (const d of DIALOGUES) {
        await t0.test(`web chat, ${d.lang}`, async () => {
          const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: d.lang === 'kk' ? 'kk-KZ' : d.lang === 'ru' ? 'ru-RU' : 'en-US' });
          const page = await context.newPage();
          try {
            await page.goto(`${runtime.url}/`);
            await lastBot(page, 1);
            const say = async (text: string, n: number) => {
              await page.fill('#input', text);
              await page.press('#input', 'Enter');
              return lastBot(page, n);
            };
            const first = await say(d.first.text, 2);
            assert.ok(first.text.startsWith(answerOf(entries, d.first.faqId, d.lang).answer), first.text);
            const follow = await say(d.follow.text, 3);
            assertFollowUp(follow.text, d, entries);
            const full = t('fullAnswerButton', d.lang);
            assert.ok(follow.buttons.includes(full), `a "full answer" button: ${follow.buttons.join(' | ')}`);
            await page.screenshot({ path: path.join(SHOTS, `follow-up-web-${d.lang}.png`) });
            // One tap: the whole answer.
            await page.click(`#log .msg.bot:last-of-type .choices button:has-text("${full}")`);
            const whole = await lastBot(page, 4);
            assert.ok(whole.text.startsWith(answerOf(entries, d.first.faqId, d.lang).answer), whole.text);
            const switched = await say(d.switch.text, 5);
            assert.ok(switched.text.startsWith(answerOf(entries, d.switch.faqId, d.lang).answer), `switched, not glued to the old topic: ${switched.text}`);
          } finally {
            await context.close();
          }
        });
      }

      let updateId = 700_000;
      for (const [i, d] of DIALOGUES.entries()) {
        await t0.test(`Telegram, ${d.lang}`, async () => {
          const chat = 7000 + i;
          const base = { chat: { id: chat, type: 'private', first_name: 'Айгүл' }, from: { id: chat, is_bot: false, first_name: 'Айгүл' } };
          const say = async (text: string, n: number) => {
            ++updateId;
            deliverRaw(emu, { updateId, messageId: updateId, message: { ...base, date: Math.floor(Date.now() / 1000), text } });
            await until(() => repliesIn(emu, chat).length >= n, 20_000, `reply ${n} in chat ${chat}`);
            return repliesIn(emu, chat)[n - 1]!.text;
          };
          assert.ok((await say(d.first.text, 1)).startsWith(answerOf(entries, d.first.faqId, d.lang).answer));
          assertFollowUp(await say(d.follow.text, 2), d, entries);
          const keyboard = emu.server.storage.botMessages.filter((m) => String(m.message.chat_id) === String(chat))[1]!.message as unknown as { reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] } };
          const fullButton = keyboard.reply_markup?.inline_keyboard.flat().find((b) => b.text === t('fullAnswerButton', d.lang));
          assert.equal(fullButton?.callback_data, `c:${d.first.faqId}`, 'the full answer is one tap away');
          assert.ok((await say(d.switch.text, 3)).startsWith(answerOf(entries, d.switch.faqId, d.lang).answer), 'switched');
          // The topic went through the store: the conversation row holds the new one.
          const conv = await conversations.open('telegram', String(chat), String(chat));
          assert.deepEqual(conv.topic?.entries, [d.switch.faqId]);
        });
      }
    } finally {
      await browser.close();
      await runtime.close();
      await emu.server.stop();
      await db.drop();
    }
  });
});
