/**
 * The citizen chat page: plain HTML, CSS and a script in `bots/web/static`, served as they are
 * (no build step, no external assets, so it works on a closed network). The one thing the server
 * writes into the page is its settings — the message limit and the "too long" text in each
 * language — as JSON, so the page counts characters as the bot does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGS } from '../../core/lang.ts';
import { t } from '../../core/texts.ts';

export const STATIC_DIR = fileURLToPath(new URL('./static', import.meta.url));

export interface ChatPageOptions {
  /** The longest message the bot reads (KOMEK_MAX_MESSAGE_CHARS); the page counts against it. */
  maxChars: number;
}

export interface ChatAsset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

export interface ChatPage {
  html: string;
  /** The page's script and styles by file name (`/chat/assets/:name`). */
  assets: ReadonlyMap<string, ChatAsset>;
}

const ASSETS: Record<string, string> = {
  'chat.js': 'text/javascript; charset=utf-8',
  'chat.css': 'text/css; charset=utf-8',
};

/** The page and its assets for `opts`, read from disk; build it once per server, not per request. */
export function chatPage(opts: ChatPageOptions): ChatPage {
  const tooLong = Object.fromEntries(LANGS.map((l) => [l, t('draftTooLong', l, { max: opts.maxChars })]));
  // JSON in a script element: "<" escaped so no text can close the element.
  const settings = JSON.stringify({ maxChars: opts.maxChars, tooLong }).replace(/</g, '\\u003c');
  const html = readFileSync(path.join(STATIC_DIR, 'index.html'), 'utf8').replace('__SETTINGS__', () => settings);
  const assets = new Map(
    Object.entries(ASSETS).map(([name, type]) => [name, { body: new Uint8Array(readFileSync(path.join(STATIC_DIR, name))), type }]),
  );
  return { html, assets };
}
