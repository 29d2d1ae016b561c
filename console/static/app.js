// The console shell: who is signed in, the tabs, the live connection and keyboard shortcuts.
// Each tab is a view module with mount(container, app) → { unmount, onChange?, onKey? }.
import { api, setCsrf } from './api.js';
import { applyI18n, setLang, t } from './i18n.js';
import { clear, toast } from './dom.js';
import * as queueView from './queue-view.js';

const VIEWS = {
  queue: async () => queueView,
  kb: () => import('./kb-view.js'),
  unanswered: () => import('./unanswered-view.js'),
  analytics: () => import('./analytics-view.js'),
  audit: () => import('./audit-view.js'),
};

const app = {
  me: null,
  current: null,
  currentName: '',
  /** Switches tab; `state` is handed to the view (e.g. an entry to open). */
  async show(name, state) {
    if (!VIEWS[name] || (name !== 'queue' && this.me.role !== 'admin')) name = 'queue';
    this.current?.unmount?.();
    const container = clear(document.getElementById('view'));
    container.dataset.view = name;
    for (const tab of document.querySelectorAll('#tabs [data-view]')) tab.setAttribute('aria-selected', String(tab.dataset.view === name));
    this.currentName = name;
    const mod = await VIEWS[name]();
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
  document.getElementById('me').textContent = `${me.operator.displayName}${me.operator.role === 'admin' ? ' · admin' : ''}`;
  for (const el of document.querySelectorAll('[data-admin]')) el.hidden = me.operator.role !== 'admin';
  for (const tab of document.querySelectorAll('#tabs [data-view]')) tab.addEventListener('click', () => app.show(tab.dataset.view));
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', () => {
      setLang(b.dataset.lang);
      applyI18n();
      app.show(app.currentName);
    });
  }
  document.getElementById('logout').addEventListener('click', async () => {
    await api('POST', '/api/logout').catch(() => {});
    location.assign('/console/login');
  });
  document.addEventListener('keydown', onKey);
  connect();
  await app.show(location.hash.slice(1) || 'queue');
}

function onKey(event) {
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) || event.target.isContentEditable;
  if (event.altKey && /^[1-5]$/.test(event.key)) {
    const tabs = [...document.querySelectorAll('#tabs [data-view]')].filter((b) => !b.hidden);
    tabs[Number(event.key) - 1]?.click();
    event.preventDefault();
    return;
  }
  app.current?.onKey?.(event, typing);
}

/** Server-sent events; the browser reconnects by itself, we only show the state. */
function connect() {
  const live = document.getElementById('live');
  const setState = (state) => {
    live.dataset.state = state;
    live.querySelector('span').textContent = t(state === 'live' ? 'live' : 'offline');
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
