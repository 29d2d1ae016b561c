// The audit log: who did what, newest first, paged by id.
import { api } from './api.js';
import { h, time } from './dom.js';
import { getLang, label, t } from './i18n.js';

/** @typedef {import('../../db/operator-audit.ts').AuditRow} AuditRow */

/**
 * @param {HTMLElement} container
 * @returns {Promise<import('./app.js').View>}
 */
export async function mount(container) {
  const tbody = h('tbody');
  const more = h('button', { onclick: () => load() }, t('more'));
  /** @type {number | undefined} */
  let before;
  container.append(h('div', { class: 'page' }, h('div', { class: 'page-head' }, h('h1', {}, t('navAudit'))),
    h('section', { class: 'panel' }, h('table', {}, h('thead', {}, h('tr', {}, ['when', 'who', 'action', 'target', 'details'].map((k) => h('th', {}, t(k))))), tbody), more)));

  async function load() {
    /** @type {{ items: AuditRow[] }} */
    const { items } = await api('GET', `/api/audit?limit=100${before ? `&before=${before}` : ''}`);
    for (const a of items) {
      tbody.append(h('tr', {},
        h('td', {}, time(a.createdAt, getLang(), true)),
        h('td', {}, a.operatorName ?? '—'),
        h('td', {}, h('span', { class: 'badge', title: a.action }, label('audit_', a.action))),
        h('td', {}, h('code', {}, a.target ?? '')),
        h('td', {}, h('code', {}, a.details ? JSON.stringify(a.details) : ''))));
    }
    before = items.at(-1)?.id;
    more.hidden = items.length < 100;
  }

  await load();
  return {};
}
