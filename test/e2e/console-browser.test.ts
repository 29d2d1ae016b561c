import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { claimFromPage, launchChromium } from '../helpers/browser.ts';
import { listen, type RunningServer } from '../../app/http.ts';
import { t } from '../../core/texts.ts';
import { databaseKinds, type TestDatabase } from '../helpers/databases.ts';
import { consoleHarness, PASSWORD } from '../integration/console-harness.ts';

/** Screenshots land here so a person can look at the console after a run. */
export const SCREENSHOT_DIR = process.env.KOMEK_SCREENSHOT_DIR ?? tmpdir();

for (const [kind, open] of await databaseKinds()) {
  describe(`console in Chromium on ${kind}`, () => {
    let test: TestDatabase;
    let h: Awaited<ReturnType<typeof consoleHarness>>;
    let server: RunningServer;
    let browser: Browser;

    before(async () => {
      test = await open();
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

    async function signIn(username: string, viewport = { width: 1366, height: 820 }): Promise<Page> {
      const context = await browser.newContext({ viewport, locale: 'ru-RU' });
      const page = await context.newPage();
      page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
      await page.goto(`${server.url}/console`);
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

    it('an operator sees a waiting chat appear live, claims it, replies, and returns it to the bot', async () => {
      const page = await signIn('aigerim');
      await page.waitForSelector('.queue-list .empty');
      const escalated = await h.citizen('browser-1', 'Позовите оператора, не могу оформить пособие');
      const id = escalated.conversationId!;
      const item = page.locator(`.queue-item[data-id="${id}"][data-owner="waiting"]`);
      await item.waitFor({ timeout: 5000 });
      assert.match(await item.innerText(), /пособие/);
      assert.match(await item.innerText(), /Telegram/);

      const other = await signIn('daniyar', { width: 820, height: 1180 });
      await other.locator(`.queue-item[data-id="${id}"]`).waitFor();

      await item.click();
      await page.waitForSelector('#claim');
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `komek-console-waiting-${kind}.png`) });
      await page.click('#claim');
      await page.waitForSelector('#reply:not([disabled])');

      const second = await claimFromPage(other, id);
      assert.equal(second.status, 409);
      assert.equal(second.body.error, 'already claimed by another operator');
      await other.locator(`.queue-item[data-id="${id}"][data-owner="operator"]`).waitFor({ timeout: 5000 });
      await other.locator(`.queue-item[data-id="${id}"]`).click();
      await other.locator('.conv-head .badge.owner-operator').waitFor();
      await other.locator('#reply[disabled]').waitFor();
      assert.equal(await other.locator('#claim').count(), 0, 'no claim button on a claimed chat');
      await other.screenshot({ path: path.join(SCREENSHOT_DIR, `komek-console-tablet-${kind}.png`) });

      const before = h.outbound.sent.length;
      await page.selectOption('#canned', { label: 'Приветствие' });
      assert.match(await page.inputValue('#reply'), /Здравствуйте/);
      await page.fill('#reply', 'Здравствуйте! Пособие оформляется на eGov, раздел «Социальное обеспечение».');
      await page.keyboard.press('Control+Enter');
      await h.outbound.waitFor(before + 1);
      assert.deepEqual(
        { chatId: h.outbound.sent[before]!.chatId, channel: h.outbound.sent[before]!.channel, text: h.outbound.sent[before]!.text },
        { chatId: 'browser-1', channel: 'telegram', text: 'Здравствуйте! Пособие оформляется на eGov, раздел «Социальное обеспечение».' },
      );
      await page.locator('.msg.operator', { hasText: 'раздел «Социальное обеспечение»' }).waitFor();
      await h.citizen('browser-1', 'Спасибо, а сроки какие?');
      await page.locator('.msg.citizen', { hasText: 'сроки какие' }).waitFor({ timeout: 5000 });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `komek-console-conversation-${kind}.png`) });

      await page.click('#return');
      await h.outbound.waitFor(before + 2);
      assert.equal(h.outbound.sent[before + 1]!.text, t('returnedToBot', 'ru'));
      await page.locator(`.queue-item[data-id="${id}"]`).waitFor({ state: 'detached', timeout: 5000 });
      const next = await h.citizen('browser-1', 'Как получить удостоверение личности?');
      assert.equal(next.action, 'answer');
      assert.match(next.replies[0]!.text, /ЦОН/);
      await page.context().close();
      await other.context().close();
    });

    it('an admin edits the knowledge base, turns an unanswered question into an entry, and reads analytics', async () => {
      await h.citizen('browser-2', 'как получить справку о несудимости');
      await h.citizen('browser-3', 'справка о несудимости как получить онлайн');
      const page = await signIn('admin');
      await page.click('[data-view="unanswered"]');
      const group = page.locator('.group', { hasText: 'несудимости' }).first();
      await group.waitFor();
      assert.match(await group.innerText(), /2/);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `komek-console-unanswered-${kind}.png`), fullPage: true });
      await group.locator('button.primary').click();
      await page.waitForSelector('#kb-save');
      const ru = page.locator('fieldset[data-lang="ru"]');
      assert.match(await ru.locator('[name=question]').inputValue(), /несудимости/);
      await ru.locator('[name=answer]').fill('Справку о несудимости можно получить на eGov за несколько минут.');
      await page.fill('fieldset[data-lang="kk"] [name=question]', 'Соттылығы жоқ туралы анықтаманы қалай алуға болады?');
      await page.fill('fieldset[data-lang="kk"] [name=answer]', 'Анықтаманы eGov арқылы бірнеше минутта алуға болады.');
      await page.click('#kb-save');
      await page.locator('#kb-toggle').waitFor();
      const saved = (await h.kb.list()).filter((e) => e.question.includes('несудимости') || e.question.includes('Соттылығы'));
      assert.deepEqual(saved.map((e) => e.lang).sort(), ['kk', 'ru']);
      await ru.locator('[name=answer]').fill('Справку о несудимости можно получить на eGov или в ЦОН.');
      await page.click('#kb-save');
      await page.locator('.kb-editor td.diff', { hasText: 'ЦОН' }).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `komek-console-kb-${kind}.png`), fullPage: true });
      await page.click('#kb-toggle');
      await page.locator('.kb-editor .badge', { hasText: 'отключена' }).waitFor();
      assert.equal((await h.kb.get(saved[0]!.id, 'ru'))?.enabled, false);

      await page.click('[data-view="analytics"]');
      await page.waitForSelector('.charts svg');
      assert.match(await page.locator('.cards').innerText(), /сообщения/i);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `komek-console-analytics-${kind}.png`), fullPage: true });
      await page.click('[data-view="audit"]');
      // The action in the interface language; its machine name stays in the tooltip.
      await page.locator('td .badge[title="kb-disable"]', { hasText: 'Запись отключена' }).waitFor();
      await page.context().close();
    });
  });
}
