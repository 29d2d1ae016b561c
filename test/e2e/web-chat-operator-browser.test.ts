/**
 * The citizen's and the operator's conversation as people live it, in headless Chromium: a
 * citizen in the web chat (a phone, 390×844) asks for a person, is told their place once, gets a
 * confident answer while waiting (the operator sees it in the console's history), an
 * acknowledgement for what the bot cannot answer, and leaves the queue with the button; later an
 * operator (desktop) claims the chat, the citizen is told who joined, the operator's reply is
 * shown as a person's, and the citizen's next message gets a "delivered" receipt instead of an
 * endless "typing…". Everything is the real thing: config, services, trained model, runtime,
 * queue, web chat and console.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import type { KbEntry } from '../../core/kb.ts';
import { t } from '../../core/texts.ts';
import { PASSWORD, startConsoleTelegramStack, type ConsoleTelegramStack } from './console-telegram-stack.ts';
import { demoKb } from './telegram-harness.ts';

const KB_IDS = ['id-card-get', 'passport-get', 'kindergarten-queue', 'driving-licence-get', 'pension-age', 'traffic-fines', 'childbirth-benefit', 'unemployment-registration'];
/** Screenshots land here so a person can look at both sides of the conversation after a run. */
const SCREENSHOT_DIR = process.env.KOMEK_SCREENSHOT_DIR ?? tmpdir();
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 820 };

describe('web chat and console in Chromium: waiting, leaving the queue, an operator joining', () => {
  let entries: KbEntry[];
  let stack: ConsoleTelegramStack;
  let browser: Browser;
  let citizen: Page;
  let operator: Page;

  before(async () => {
    entries = (await demoKb()).filter((e) => KB_IDS.includes(e.id));
    stack = await startConsoleTelegramStack({ entries, operators: [{ username: 'aigerim', displayName: 'Айгерим' }] });
    browser = await launchChromium();
    const phone = await browser.newContext({ viewport: PHONE, locale: 'ru-RU', isMobile: true, hasTouch: true });
    citizen = await phone.newPage();
    citizen.on('pageerror', (err) => assert.fail(`chat page error: ${err.message}`));
    await citizen.goto(`${stack.url}/`);
    await citizen.locator('.msg.bot').first().waitFor({ timeout: 60_000 }); // the greeting
    operator = await signIn('aigerim');
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function signIn(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'ru-RU' });
    const page = await context.newPage();
    page.on('pageerror', (err) => assert.fail(`console page error: ${err.message}`));
    await page.goto(`${stack.url}/console`);
    await page.waitForURL(/\/console\/login$/);
    await page.click('[data-lang="ru"]');
    await page.fill('#username', username);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/console(#queue)?$/);
    await page.waitForSelector('#live[data-state="live"]');
    return page;
  }

  /** The citizen types and sends `text`; returns the bot message that arrives next. */
  async function say(text: string): Promise<string> {
    const before = await citizen.locator('.msg.bot, .msg.person').count();
    await citizen.fill('#input', text);
    await citizen.press('#input', 'Enter');
    const next = citizen.locator('.msg.bot, .msg.person').nth(before);
    await next.waitFor({ timeout: 60_000 });
    return next.innerText();
  }

  const conversation = async () => {
    const session = await citizen.evaluate(() => localStorage.getItem('komek.session'));
    return stack.services.conversations.open('web', session!, session!);
  };

  const shot = async (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `komek-webchat-${name}.png`) });

  it('waiting: the place is told once, a confident answer is given, the rest acknowledged, and the button leaves the queue', async () => {
    const notice = await say('Позовите оператора, пожалуйста');
    assert.match(notice, /Ваше место в очереди: 1, ожидание — примерно \d+ мин/);
    assert.equal((await conversation()).owner, 'waiting');
    const leave = citizen.locator('.msg.bot').last().locator('button', { hasText: t('leaveQueueButton', 'ru') });
    await leave.waitFor();

    // A question the bot knows, asked while waiting: answered, and the chat keeps its place.
    const kindergarten = entries.find((e) => e.id === 'kindergarten-queue' && e.lang === 'ru')!;
    const answer = await say('Как поставить ребёнка в очередь в детский сад?');
    assert.ok(answer.startsWith(kindergarten.answer.slice(0, 60)), `answered from the knowledge base: ${answer.slice(0, 120)}`);
    assert.match(answer, new RegExp(t('stillInQueue', 'ru').slice(0, 30)));
    assert.doesNotMatch(answer, /место в очереди/, 'the place is not repeated');
    assert.equal((await conversation()).owner, 'waiting');

    // Something it cannot answer: a short acknowledgement, and "typing…" ends.
    const ack = await say('а у вас в офисе есть кондиционер?');
    assert.ok(ack.startsWith(t('stillWaiting', 'ru')), ack);
    assert.equal(await citizen.locator('.typing').count(), 0, 'no typing indicator once answered');

    // The operator sees the chat waiting, with the bot's answer in its history.
    const conv = await conversation();
    const item = operator.locator(`.queue-item[data-id="${conv.id}"][data-owner="waiting"]`);
    await item.waitFor({ timeout: 20_000 });
    await item.click();
    await operator.locator('.msg.bot', { hasText: kindergarten.answer.slice(0, 40) }).waitFor({ timeout: 20_000 });
    await shot(operator, 'console-waiting-history');
    await shot(citizen, 'phone-waiting');
    await citizen.setViewportSize(DESKTOP);
    await shot(citizen, 'desktop-waiting');
    await citizen.setViewportSize(PHONE);

    // The button of the waiting notice (the latest one offered) takes the chat back to the bot.
    const before = await citizen.locator('.msg.bot').count();
    await citizen.locator('.msg.bot').last().locator('button', { hasText: t('leaveQueueButton', 'ru') }).click();
    await citizen.locator('.msg.bot').nth(before).waitFor({ timeout: 60_000 });
    assert.equal(await citizen.locator('.msg.bot').nth(before).innerText(), t('leftQueue', 'ru'));
    assert.equal((await conversation()).owner, 'bot');
    await operator.locator(`.queue-item[data-id="${conv.id}"]`).waitFor({ state: 'detached', timeout: 20_000 });
    const again = await say('Как поставить ребёнка в очередь в детский сад?');
    assert.ok(again.startsWith(kindergarten.answer.slice(0, 60)));
    assert.doesNotMatch(again, /очереди к оператору/, 'the bot answers as usual again');
  });

  it('an operator joins by name, replies as a person, and the citizen’s next message gets a receipt, not "typing…"', async () => {
    await say('Мне нужен живой человек');
    const conv = await conversation();
    assert.equal(conv.owner, 'waiting');
    const item = operator.locator(`.queue-item[data-id="${conv.id}"][data-owner="waiting"]`);
    await item.waitFor({ timeout: 20_000 });
    await item.click();
    await operator.click('#claim');
    await operator.waitForSelector('#reply:not([disabled])');
    const joined = citizen.locator('.msg.bot', { hasText: 'К вам подключился оператор Айгерим.' });
    await joined.waitFor({ timeout: 60_000 });

    await operator.fill('#reply', 'Здравствуйте! Подскажите, какой у вас вопрос?');
    await operator.keyboard.press('Control+Enter');
    const reply = citizen.locator('.msg.person', { hasText: 'какой у вас вопрос?' });
    await reply.waitFor({ timeout: 60_000 });
    assert.equal(await reply.locator('.who').innerText(), 'Айгерим · оператор');
    // Two evaluations with no helper inside: tsx would wrap a named helper in code the page lacks.
    const styles = {
      person: await citizen.locator('.msg.person').first().evaluate((el) => getComputedStyle(el).backgroundColor),
      bot: await citizen.locator('.msg.bot').first().evaluate((el) => getComputedStyle(el).backgroundColor),
    };
    assert.notEqual(styles.person, styles.bot, 'a person’s message looks different from the bot’s');

    // The citizen answers; the operator has it; the bot says nothing, and "typing…" stops.
    const bots = await citizen.locator('.msg.bot, .msg.person').count();
    await citizen.fill('#input', 'Хочу узнать про пособие на ребёнка');
    await citizen.press('#input', 'Enter');
    await citizen.locator('.receipt', { hasText: 'Передано оператору' }).waitFor({ timeout: 60_000 });
    assert.equal(await citizen.locator('.typing').count(), 0, 'typing stops when no reply will come');
    await operator.locator('.msg.citizen', { hasText: 'пособие на ребёнка' }).waitFor({ timeout: 20_000 });
    assert.equal(await citizen.locator('.msg.bot, .msg.person').count(), bots, 'the bot stayed silent');
    await shot(citizen, 'phone-operator');
    await citizen.setViewportSize(DESKTOP);
    await shot(citizen, 'desktop-operator');
    await shot(operator, 'console-operator');
  });
});
