// Analytics over a chosen period: cards for the headline numbers and simple SVG charts.
import { api } from './api.js';
import { barChart, lineChart, legend } from './charts.js';
import { clear, fill, duration, h } from './dom.js';
import { getLang, t } from './i18n.js';
import { periodPicker } from './period.js';

const pct = (/** @type {number} */ v) => `${(v * 100).toFixed(1)}%`;

/**
 * @param {HTMLElement} container
 * @returns {Promise<import('./app.js').View>}
 */
export async function mount(container) {
  const body = h('div', { class: 'page' });
  const picker = periodPicker(load);
  container.append(h('div', { class: 'page' }, h('div', { class: 'page-head' }, h('h1', {}, t('navAnalytics')), picker.element), body));

  async function load() {
    const { from, to } = picker.value();
    /** @type {import('../../db/analytics.ts').AnalyticsReport} */
    const r = await api('GET', `/api/analytics?from=${from}&to=${to}`);
    const lang = getLang();
    const wait = (/** @type {number | null} */ sec) => (sec === null ? '—' : duration(sec * 1000, lang));
    const card = (/** @type {string} */ label, /** @type {string} */ big, /** @type {string} */ sub = '') => h('div', { class: 'card' }, h('div', { class: 'label' }, label), h('div', { class: 'big' }, big), sub ? h('div', { class: 'muted' }, sub) : null);
    const panel = (/** @type {string} */ title, /** @type {import('./dom.js').Child[]} */ ...content) => h('section', { class: 'panel chart' }, h('h2', {}, title), ...content);
    const daySeries = [
      { label: t('messages'), values: r.daily.map((d) => d.messages) },
      { label: t('rate_fallback'), values: r.daily.map((d) => d.fallbacks) },
      { label: t('rate_escalate'), values: r.daily.map((d) => d.escalations) },
    ];
    fill(body, 
      h('div', { class: 'cards' },
        card(t('messages'), String(r.messages.total)),
        card(t('rate_answer'), pct(r.decisions.rates.answer), `${r.decisions.counts.answer} / ${r.decisions.total}`),
        card(t('rate_escalate'), pct(r.decisions.rates.escalate), `${r.decisions.counts.escalate}`),
        card(t('waitTime'), wait(r.wait.medianSeconds), `${t('median')} · ${t('p90')}: ${wait(r.wait.p90Seconds)} · ${r.wait.claims} ${t('claims')}`),
        card(t('ratings'), r.ratings.average === null ? '—' : `${r.ratings.average.toFixed(2)} ★`, `${r.ratings.count}`),
        card(t('feedback'), `👍 ${r.feedback.up} · 👎 ${r.feedback.down}`)),
      h('div', { class: 'charts' },
        panel(t('perDay'), r.daily.length ? lineChart(r.daily.map((d) => d.day), daySeries) : h('p', { class: 'muted' }, '—'), legend(daySeries)),
        panel(t('decisions'), barChart(/** @type {const} */ (['answer', 'clarify', 'fallback', 'escalate']).map((k, i) => ({ label: t(`rate_${k}`), value: r.decisions.rates[k], color: ['#17803d', '#0f6e8c', '#f2b705', '#c2410c'][i] })), { format: pct })),
        panel(t('byChannel'), barChart(Object.entries(r.messages.byChannel).map(([k, v]) => ({ label: t(`channel_${k}`), value: v })))),
        panel(t('byLang'), barChart(Object.entries(r.messages.byLang).map(([k, v]) => ({ label: k.toUpperCase(), value: v })))),
        panel(t('ratings'), barChart(/** @type {const} */ (['5', '4', '3', '2', '1']).map((k) => ({ label: '★'.repeat(Number(k)), value: r.ratings.distribution[k], color: '#f2b705' })))),
      ),
    );
  }

  await load();
  return {};
}
