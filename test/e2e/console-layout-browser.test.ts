/**
 * The console as a Russian-speaking admin sees it in headless Chromium, on a phone (390×844) and
 * a desktop: every tab reachable on the phone (the bar wraps), toasts never over "Завершить" or
 * "+ Новая запись", no raw machine names among the labels (bot actions, audit actions), and the
 * web page's hidden /start shown as an event, not as the citizen's words. Screenshots go to
 * $KOMEK_SCREENSHOT_DIR (default: the temp folder).
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { listen, type RunningServer } from '../../app/http.ts';
import { launchChromium } from '../helpers/browser.ts';
import { memoryDatabase, type TestDatabase } from '../helpers/databases.ts';
import { consoleHarness, PASSWORD } from '../integration/console-harness.ts';

const SHOTS = process.env.KOMEK_SCREENSHOT_DIR ?? tmpdir();
const VIEWPORTS = [
  { name: 'phone', viewport: { width: 390, height: 844 } },
  { name: 'desktop', viewport: { width: 1366, height: 820 } },
];

/** Asserts that `control` is fully on screen and that the point at its centre is the control itself. */
async function uncovered(page: Page, control: Locator, what: string): Promise<void> {
  // The view re-renders after a claim and on live events (a control is replaced for a moment) and
  // a toast may still be arriving on a loaded machine: what matters is that the control ends up on
  // screen and uncovered while the toast is there, so look again for a few seconds before failing.
  const viewport = page.viewportSize()!;
  let box: Awaited<ReturnType<Locator['boundingBox']>> = null;
  let hit = false;
  for (let attempt = 0; attempt < 20 && !hit; attempt++) {
    if (attempt > 0) await page.waitForTimeout(250);
    box = await control.boundingBox().catch(() => null);
    if (!box) continue;
    hit = await control
      .evaluate((el) => {
        const r = el.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return top === el || el.contains(top);
      })
      .catch(() => false);
  }
  assert.ok(box, `${what} is rendered`);
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width + 0.5 && box.y + box.height <= viewport.height + 0.5, `${what} on screen: ${JSON.stringify(box)}`);
  assert.ok(hit, `${what} is not covered`);
}

/** Asserts that no toast's box overlaps `control`'s. */
async function toastsClear(page: Page, control: Locator, what: string): Promise<void> {
  // Looked up again while a re-render replaces the control (see uncovered).
  let box = await control.boundingBox().catch(() => null);
  for (let attempt = 0; attempt < 20 && !box; attempt++) {
    await page.waitForTimeout(250);
    box = await control.boundingBox().catch(() => null);
  }
  assert.ok(box, `${what} is rendered`);
  for (const t of await page.locator('.toast').all()) {
    const b = await t.boundingBox();
    if (!b) continue;
    const overlap = b.x < box.x + box.width && box.x < b.x + b.width && b.y < box.y + box.height && box.y < b.y + b.height;
    assert.ok(!overlap, `a toast ${JSON.stringify(b)} over ${what} ${JSON.stringify(box)}`);
  }
}

describe('console layout and labels in Chromium', () => {
  let test: TestDatabase;
  let h: Awaited<ReturnType<typeof consoleHarness>>;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    test = await memoryDatabase();
    h = await consoleHarness(test, { pollMs: 300 });
    server = await listen(h.app, 0, '127.0.0.1');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await h?.console.close();
    await test?.drop();
  });

  for (const { name, viewport } of VIEWPORTS) {
    it(`${name}: tabs reachable, toasts clear of the buttons, labels translated, /start an event`, { timeout: 90_000 }, async () => {
      const chat = `layout-${name}`;
      // What the web page sends by itself on a first visit, then the citizen's own words.
      await h.citizen(chat, '/start', { channel: 'web', callbackData: 'l:ru' });
      const escalated = await h.citizen(chat, 'Позовите оператора, пожалуйста', { channel: 'web' });
      const id = escalated.conversationId!;

      const context = await browser.newContext({ viewport, locale: 'ru-RU' });
      const page = await context.newPage();
      page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
      try {
        await page.goto(`${server.url}/console/login`);
        await page.click('[data-lang="ru"]');
        await page.fill('#username', 'admin');
        await page.fill('#password', PASSWORD);
        await page.click('button[type=submit]');
        await page.waitForSelector('.queue-list h2');

        // Every tab of an admin is on screen and clickable, also at 390 px.
        const tabs = page.locator('#tabs button:not([hidden])');
        assert.equal(await tabs.count(), 5);
        for (const tab of await tabs.all()) await uncovered(page, tab, `tab «${await tab.innerText()}»`);
        await page.screenshot({ path: path.join(SHOTS, `console-${name}-tabs.png`) });

        const item = page.locator(`.queue-item[data-id="${id}"]`);
        await item.waitFor();
        assert.doesNotMatch(await item.innerText(), /\/start/, 'the queue preview shows what the citizen wrote');
        await item.click();
        await page.waitForSelector('#claim');
        await page.click('#claim');
        await page.locator('.toast').first().waitFor();
        await page.waitForSelector('#close');
        for (const [sel, what] of [['#close', 'Завершить'], ['#return', 'Вернуть боту']] as const) {
          await uncovered(page, page.locator(sel), what);
          await toastsClear(page, page.locator(sel), what);
        }
        await page.screenshot({ path: path.join(SHOTS, `console-${name}-claimed-toast.png`) });

        // The opening /start is an event, not a citizen's message; no raw action names.
        const citizenTexts = await page.locator('.msg.citizen .msg-text').allInnerTexts();
        assert.ok(!citizenTexts.some((text) => text.includes('/start')), citizenTexts.join(' | '));
        await page.locator('.msg.system', { hasText: 'Гражданин открыл чат' }).waitFor();

        await page.click('#return');
        await page.locator('.msg.bot .badge.act.returned-to-bot').waitFor();
        // The citizen asks for a person again; this time the operator closes the chat.
        await h.citizen(chat, 'Позовите оператора ещё раз', { channel: 'web' });
        await page.locator('#claim').click({ timeout: 10_000 });
        await page.locator('#close').click({ timeout: 10_000 });
        await page.click('dialog .dialog-actions button:last-child');
        await page.locator('.msg.bot .badge.act.rate-request').waitFor();
        const badges = await page.locator('.msg .badge.act').allInnerTexts();
        assert.ok(badges.length >= 3, badges.join(' | '));
        for (const b of badges) assert.match(b, /[а-яё]/i, `a Russian label, not a raw key: «${b}»`);
        assert.ok(badges.includes('Выбор языка') && badges.includes('Возвращено боту') && badges.includes('Запрос оценки'), badges.join(' | '));
        await page.screenshot({ path: path.join(SHOTS, `console-${name}-conversation.png`) });

        // The knowledge base: a toast (a long one, two at once) keeps clear of "+ Новая запись".
        await page.click('#tabs [data-view="kb"]');
        const add = page.locator('#kb-new');
        await add.waitFor();
        await page.evaluate(async (module) => {
          const { toast } = (await import(module)) as { toast: (message: string, kind: string) => void };
          toast('Сохранено. Модель будет переобучена, это займёт около минуты.', 'ok');
          toast('Ошибка: запись с таким идентификатором уже существует в базе знаний.', 'error');
        }, '/console/assets/dom.js');
        await page.locator('.toast.error').waitFor();
        await uncovered(page, add, '+ Новая запись');
        await toastsClear(page, add, '+ Новая запись');
        await page.screenshot({ path: path.join(SHOTS, `console-${name}-kb-toast.png`) });

        await page.click('#tabs [data-view="audit"]');
        await page.locator('table tbody tr').first().waitFor();
        const actions = await page.locator('table tbody .badge').allInnerTexts();
        assert.ok(actions.length > 0);
        for (const a of actions) assert.match(a, /[а-яё]/i, `a Russian audit label, not a raw key: «${a}»`);
      } finally {
        await context.close();
      }
    });
  }
});
