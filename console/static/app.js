// The console shell: who is signed in, the tabs, the live connection and keyboard shortcuts.
// Each tab is a view module with mount(container, app) → { unmount, onChange?, onKey? }.
import { api, setCsrf } from './api.js';
import { applyI18n, setLang, t } from './i18n.js';
import { all, byId, clear, toast } from './dom.js';
import * as queueView from './queue-view.js';

/**
 * A mounted tab.
 * @typedef {object} View
 * @property {() => void} [unmount]
 * @property {(change: { type?: string, conversationId?: string } & Record<string, unknown>) => void} [onChange] a live-feed event
 * @property {(event: KeyboardEvent, typing: boolean) => void} [onKey] a key pressed while the tab is shown (`typing`: in a text field)
 */

/**
 * A tab's module.
 * @typedef {{ mount(container: HTMLElement, app: App, state?: any): Promise<View> }} ViewModule
 */

/**
 * The shell the views get: who is signed in, and switching tabs.
 * @typedef {object} App
 * @property {ReturnType<typeof import('../operator-routes.ts').publicOperator> | null} me
 * @property {View | null} current
 * @property {string} currentName
 * @property {(name: string, state?: unknown) => Promise<void>} show
 */

/** @type {Record<string, () => Promise<ViewModule>>} */
const VIEWS = {
  queue: async () => queueView,
  kb: () => import('./kb-view.js'),
  unanswered: () => import('./unanswered-view.js'),
  analytics: () => import('./analytics-view.js'),
  audit: () => import('./audit-view.js'),
};

/** @type {App} */
const app = {
  me: null,
  current: null,
  currentName: '',
  /** Switches tab; `state` is handed to the view (e.g. an entry to open). */
  async show(name, state) {
    let load = VIEWS[name];
    if (!load || (name !== 'queue' && this.me?.role !== 'admin')) [name, load] = ['queue', VIEWS.queue];
    this.current?.unmount?.();
    const container = clear(byId('view'));
    container.dataset.view = name;
    for (const tab of all('#tabs [data-view]')) tab.setAttribute('aria-selected', String(tab.dataset.view === name));
    this.currentName = name;
    const mod = await /** @type {() => Promise<ViewModule>} */ (load)();
    this.current = await mod.mount(container, this, state);
    if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
  },
};

async function start() {
  applyI18n();
  let me;
  try {
    me = await api('GET', '/api/me');
  } catch {
    return;
  }
  setCsrf(me.csrfToken);
  app.me = me.operator;
  byId('me').textContent = `${me.operator.displayName}${me.operator.role === 'admin' ? ' · admin' : ''}`;
  for (const el of all('[data-admin]')) el.hidden = me.operator.role !== 'admin';
  for (const tab of all('#tabs [data-view]')) tab.addEventListener('click', () => app.show(tab.dataset.view ?? 'queue'));
  for (const b of all('[data-lang]')) {
    b.addEventListener('click', () => {
      setLang(b.dataset.lang ?? '');
      applyI18n();
      app.show(app.currentName);
    });
  }
  byId('logout').addEventListener('click', async () => {
    await api('POST', '/api/logout').catch(() => {});
    location.assign('/console/login');
  });
  document.addEventListener('keydown', onKey);
  connect();
  await app.show(location.hash.slice(1) || 'queue');
}

/** @param {KeyboardEvent} event */
function onKey(event) {
  const target = /** @type {HTMLElement} */ (event.target);
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable;
  if (event.altKey && /^[1-5]$/.test(event.key)) {
    const tabs = all('#tabs [data-view]').filter((b) => !b.hidden);
    tabs[Number(event.key) - 1]?.click();
    event.preventDefault();
    return;
  }
  app.current?.onKey?.(event, typing);
}

/** Server-sent events; the browser reconnects by itself, we only show the state. */
function connect() {
  const live = byId('live');
  const label = /** @type {HTMLElement} */ (live.querySelector('span'));
  const setState = (/** @type {'live' | 'offline'} */ state) => {
    live.dataset.state = state;
    label.textContent = t(state === 'live' ? 'live' : 'offline');
  };
  const source = new EventSource('/api/events');
  source.addEventListener('ready', () => setState('live'));
  source.addEventListener('change', (e) => app.current?.onChange?.(JSON.parse(e.data)));
  source.addEventListener('signed-out', () => {
    toast(t('sessionEnded'), 'error');
    setTimeout(() => location.assign('/console/login'), 1500);
  });
  source.onerror = () => setState('offline');
  source.onopen = () => setState('live');
}

start();
