/**
 * The operator console end to end through Telegram: a citizen in the `telegram-test-api`
 * emulator asks for an operator; an operator in headless Chromium sees the chat appear live,
 * claims it (a second operator is refused) — the citizen is told by name who joined — replies —
 * the citizen receives exactly that text in Telegram, marked with the operator's name — sees the
 * citizen's next message live, and returns the chat to the bot, which then
 * answers the citizen's question from the knowledge base, in Russian. Everything between the
 * emulator and the browser is the real thing: config, services, trained model, runtime, queue,
 * Telegram adapter and console.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { claimFromPage, launchChromium } from '../helpers/browser.ts';
import { t } from '../../core/texts.ts';
import type { KbEntry } from '../../core/kb.ts';
import { repliesIn } from './telegram-emulator.ts';
import { demoKb, sleep, until } from './telegram-harness.ts';
import { PASSWORD, startConsoleTelegramStack, type ConsoleTelegramStack } from './console-telegram-stack.ts';

/** A few services in all three languages: enough for retrieval to have to choose. */
const KB_IDS = ['id-card-get', 'passport-get', 'kindergarten-queue', 'driving-licence-get', 'pension-age', 'traffic-fines', 'childbirth-benefit', 'unemployment-registration'];
const CHAT = 77_001;
const REPLY = 'Здравствуйте! Пособие оформляется на eGov, раздел «Социальное обеспечение» — 10 рабочих дней & без визита.';

describe('operator console through Telegram', () => {
  let entries: KbEntry[];
  let stack: ConsoleTelegramStack;
  let browser: Browser;

  before(async () => {
    entries = (await demoKb()).filter((e) => KB_IDS.includes(e.id));
    assert.equal(entries.length, KB_IDS.length * 3);
    stack = await startConsoleTelegramStack({
      entries,
      operators: [
        { username: 'aigerim', displayName: 'Айгерім' },
        { username: 'daniyar', displayName: 'Данияр' },
      ],
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  const client = () => stack.emu.server.getClient(stack.emu.token, { chatId: CHAT, userId: CHAT, firstName: 'Асель' });
  const replies = () => repliesIn(stack.emu, CHAT).map((r) => r.text);

  /** The citizen writes in Telegram. */
  async function citizenSays(text: string): Promise<void> {
    const c = client();
    await c.sendMessage(c.makeMessage(text));
  }

  /** Waits for the citizen's `n`-th bot message (1-based) and returns it. */
  async function nthReply(n: number, what: string, ms = 15_000): Promise<string> {
    await until(() => replies().length >= n, ms, what);
    return replies()[n - 1]!;
  }

  async function signIn(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 820 }, locale: 'ru-RU' });
    const page = await context.newPage();
    page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
    await page.goto(`${stack.url}/console`);
    await page.waitForURL(/\/console\/login$/);
    await page.click('[data-lang="ru"]');
    await page.fill('#username', username);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/console(#queue)?$/);
    await page.waitForSelector('.queue-list h2');
    await page.waitForSelector('#live[data-state="live"]');
    return page;
  }

  it('a waiting Telegram chat appears live, is claimed once, answered in Telegram, and handed back to the bot', async (ctx) => {
    ctx.diagnostic(`encoder trained on ${entries.length} entries in ${stack.trainingSeconds.toFixed(1)} s`);
    const a = await signIn('aigerim');
    const b = await signIn('daniyar');
    await a.waitForSelector('.queue-list .empty');

    // 1. The citizen asks for a person; the bot says one will answer, in Russian, with a wait.
    await citizenSays('оператор');
    const notice = await nthReply(1, 'the escalation notice');
    assert.ok(notice.startsWith(t('escalated', 'ru').split('{')[0]!), `escalation notice: ${notice}`);
    assert.match(notice, /\d+ мин/);

    // 2. Operator A sees it appear in the queue without reloading.
    const item = a.locator('.queue-item[data-owner="waiting"]', { hasText: 'оператор' });
    await item.waitFor({ timeout: 5000 });
    const id = (await item.getAttribute('data-id'))!;
    assert.match(await item.innerText(), /Telegram/);
    assert.match(await item.innerText(), /RU/);
    const conv = await stack.services.conversations.open('telegram', String(CHAT), String(CHAT));
    assert.equal(conv.id, id, 'the queue item is the citizen’s Telegram conversation');
    assert.equal(conv.owner, 'waiting');

    // 3. A claims it; B, who sees the same chat, is told it is taken.
    await b.locator(`.queue-item[data-id="${id}"]`).waitFor({ timeout: 5000 });
    await item.click();
    await a.click('#claim');
    await a.waitForSelector('#reply:not([disabled])');
    const second = await claimFromPage(b, id);
    assert.equal(second.status, 409);
    assert.equal(second.body.error, 'already claimed by another operator');
    await b.locator(`.queue-item[data-id="${id}"][data-owner="operator"]`).waitFor({ timeout: 5000 });
    await b.locator(`.queue-item[data-id="${id}"]`).click();
    await b.locator('#reply[disabled]').waitFor();
    assert.equal(await b.locator('#claim').count(), 0, 'no claim button on a claimed chat');
    assert.equal((await stack.services.conversations.open('telegram', String(CHAT), String(CHAT))).operatorId, stack.operators[0]!.id);

    // 4. The citizen is told, by the operator's name, that a person has joined.
    assert.equal(await nthReply(2, 'the operator-joined notice in Telegram'), 'К вам подключился оператор Айгерім.');

    // 5. A replies; the citizen receives exactly that text in Telegram, marked as the operator's.
    await a.fill('#reply', REPLY);
    await a.keyboard.press('Control+Enter');
    assert.equal(await nthReply(3, 'the operator reply in Telegram'), `🧑‍💼 Айгерім: ${REPLY}`);
    await a.locator('.msg.operator', { hasText: 'Социальное обеспечение' }).waitFor();

    // 6. The citizen writes again: A sees it live; the bot keeps quiet while a person owns the chat.
    await citizenSays('Спасибо, а сроки какие?');
    await a.locator('.msg.citizen', { hasText: 'сроки какие' }).waitFor({ timeout: 5000 });
    await sleep(1200); // a bot reply, had one been queued, would have arrived by now (1 msg/s per chat)
    assert.equal(replies().length, 3, `the bot stayed silent, got: ${replies().slice(3).join(' | ')}`);

    // 7. A returns the chat to the bot; the citizen is told; the chat leaves every queue.
    await a.click('#return');
    assert.equal(await nthReply(4, 'the returned-to-bot notice'), t('returnedToBot', 'ru'));
    await a.locator(`.queue-item[data-id="${id}"]`).waitFor({ state: 'detached', timeout: 5000 });
    await b.locator(`.queue-item[data-id="${id}"]`).waitFor({ state: 'detached', timeout: 5000 });

    // 8. The bot answers the next question from the knowledge base, in Russian (asked in words
    // that are neither the entry's question nor one of its alternative phrasings).
    await citizenSays('Как встать в очередь на детский садик?');
    const answer = await nthReply(5, 'the bot’s answer');
    const expected = entries.find((e) => e.id === 'kindergarten-queue' && e.lang === 'ru')!;
    assert.ok(answer.startsWith(expected.answer), `answer from the knowledge base in Russian, got: ${answer.slice(0, 120)}`);
    const history = await stack.services.conversations.messages(id);
    const last = history.at(-1)!;
    assert.deepEqual({ author: last.author, faqId: last.faqId }, { author: 'bot', faqId: 'kindergarten-queue' });
    await sleep(500);
    assert.equal(replies().length, 5, 'nothing was sent twice');

    await a.context().close();
    await b.context().close();
  });
});
