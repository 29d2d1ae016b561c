/**
 * The citizen's web chat in headless Chromium, on a phone (390×844) and a desktop: a draft over
 * the length limit is counted ("5000 / 2000"), explained in the page's language and not sent
 * (the bot never answers a fragment); a message within it is; after a reload the page shows both
 * sides of the conversation in order, without the page's hidden opening message. Screenshots go
 * to $KOMEK_SCREENSHOTS (default: the temp folder).
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startRuntime, type Runtime } from '../../app/runtime.ts';
import type { KbEntry } from '../../core/kb.ts';
import { t } from '../../core/texts.ts';
import { launchChromium } from '../helpers/browser.ts';
import { memoryDatabase, type TestDatabase } from '../helpers/databases.ts';
import { demoKb, testConfig, testServices } from './telegram-harness.ts';

const SHOTS = process.env.KOMEK_SCREENSHOTS ?? tmpdir();
const VIEWPORTS = [
  { name: 'phone', viewport: { width: 390, height: 844 } },
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
];

/** What the log shows, top to bottom: `me:` or `bot:` and the text's start. */
function transcript(page: Page): Promise<string[]> {
  return page.$$eval('#log .msg', (els) => els.map((el) => `${el.classList.contains('me') ? 'me' : 'bot'}:${(el.firstChild?.textContent ?? '').slice(0, 40)}`));
}

describe('web chat in Chromium', () => {
  let db: TestDatabase;
  let runtime: Runtime;
  let browser: Browser;
  let entries: KbEntry[];

  before(async () => {
    db = await memoryDatabase();
    entries = await demoKb();
    runtime = await startRuntime(await testServices(db, testConfig({ KOMEK_MAX_MESSAGE_CHARS: '2000' }), entries), { role: 'all' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await runtime?.close();
    await db?.drop();
  });

  test('/favicon.ico is an icon Chromium decodes, not a 404', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${runtime.url}/`);
      const size = await page.evaluate(async () => {
        const img = new Image();
        img.src = '/favicon.ico';
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      });
      assert.deepEqual(size, [32, 32]);
      const res = await fetch(`${runtime.url}/favicon.ico`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/x-icon');
    } finally {
      await page.close();
    }
  });

  for (const { name, viewport } of VIEWPORTS) {
    test(`${name}: long draft counted and refused; history after reload has both sides in order`, { timeout: 60_000 }, async () => {
      const context = await browser.newContext({ viewport, locale: 'ru-RU' });
      const page = await context.newPage();
      try {
        await page.goto(`${runtime.url}/`);
        await page.waitForSelector('#log .msg.bot');
        const greeting = await transcript(page);
        assert.equal(greeting.length, 1, `only the bot's greeting: ${greeting.join(' | ')}`);

        // 5,000 characters: the counter shows the count and the limit, the note says why, and
        // neither the button nor Enter sends it.
        const long = `${'Как получить справку о несудимости '.repeat(143)}`.slice(0, 5000);
        await page.fill('#input', long);
        assert.equal(await page.isVisible('#draft'), true);
        assert.equal(await page.textContent('#draft-count'), '5000 / 2000');
        assert.equal(await page.textContent('#draft-note'), t('draftTooLong', 'ru', { max: 2000 }));
        assert.equal(await page.isDisabled('#send'), true);
        await page.press('#input', 'Enter');
        await page.screenshot({ path: path.join(SHOTS, `web-chat-${name}-too-long.png`) });
        assert.equal(await page.inputValue('#input'), long, 'the draft is kept for the citizen to shorten');
        assert.equal((await transcript(page)).length, 1, 'nothing was sent');

        await page.fill('#input', long.slice(0, 2140));
        assert.equal(await page.textContent('#draft-count'), '2140 / 2000');
        // Near the limit the count shows without a complaint; within it the button works.
        await page.fill('#input', 'a'.repeat(1700));
        assert.equal(await page.textContent('#draft-count'), '1700 / 2000');
        assert.equal(await page.textContent('#draft-note'), '');
        assert.equal(await page.isDisabled('#send'), false);
        await page.fill('#input', 'hi');
        assert.equal(await page.isVisible('#draft'), false);

        const question = entries.find((e) => e.lang === 'ru' && e.id === 'id-card')?.question ?? entries.find((e) => e.lang === 'ru')!.question;
        await page.fill('#input', question);
        await page.press('#input', 'Enter');
        await page.waitForFunction(() => document.querySelectorAll('#log .msg').length >= 3);
        const before = await transcript(page);
        assert.deepEqual(before.map((l) => l.split(':')[0]), ['bot', 'me', 'bot']);
        assert.equal(before[1], `me:${question.slice(0, 40)}`, 'the own message shown once, not again from the stream');

        await page.reload();
        await page.waitForFunction(() => document.querySelectorAll('#log .msg').length >= 3);
        await page.waitForTimeout(300); // anything replayed twice would arrive in this time
        const after = await transcript(page);
        await page.screenshot({ path: path.join(SHOTS, `web-chat-${name}-after-reload.png`) });
        assert.deepEqual(after, before, 'the same conversation, both sides, in order');
        assert.ok(!after.some((l) => l.includes('/start')), 'the hidden opening message is not shown');
        assert.ok(!(await page.content()).includes(t('tooLong', 'ru', { max: 2000 }).slice(0, 30)), 'the bot never got the long text');
      } finally {
        await context.close();
      }
    });
  }
});
