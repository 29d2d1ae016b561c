/**
 * Headless Debian Chromium for the browser tests (.ci/run installs it): the flags keep it off
 * the network this machine does not have, and a claim sent the way a second operator's page would.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Claims a conversation through the API from `page`'s signed-in session; its status and body. */
export function claimFromPage(page: Page, conversationId: string): Promise<{ status: number; body: { error?: string } }> {
  return page.evaluate(async (id) => {
    const me = await (await fetch('/api/me')).json();
    const res = await fetch(`/api/conversations/${id}/claim`, { method: 'POST', headers: { 'x-csrf-token': me.csrfToken } });
    return { status: res.status, body: await res.json() };
  }, conversationId);
}
