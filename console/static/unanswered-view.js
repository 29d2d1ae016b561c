// Questions the bot could not answer, grouped by similarity, with the operator's answer at hand:
// one click turns a group into a new entry, or into a new phrasing of an existing one.
import { api } from './api.js';
import { clear, fill, h, time, toast } from './dom.js';
import { getLang, t } from './i18n.js';
import { periodPicker } from './period.js';

/**
 * A group of similar unanswered questions, with the entries closest to it.
 * @typedef {import('../../core/operator-unanswered.ts').UnansweredGroup & { suggestions: { id: string, lang: string, question: string }[] }} Group
 */

/**
 * @param {HTMLElement} container
 * @param {import('./app.js').App} app
 * @returns {Promise<import('./app.js').View>}
 */
export async function mount(container, app) {
  const body = h('div', { class: 'page-body' });
  const picker = periodPicker(load);
  container.append(h('div', { class: 'page' }, h('div', { class: 'page-head' }, h('h1', {}, t('navUnanswered')), picker.element), body));

  async function load() {
    const { from, to } = picker.value();
    /** @type {{ groups: Group[] }} */
    const { groups } = await api('GET', `/api/unanswered?from=${from}&to=${to}`);
    fill(body, groups.length === 0 ? h('div', { class: 'panel empty' }, t('noUnanswered')) : h('div', { class: 'page' }, groups.map(group)));
  }

  /** @param {Group} g */
  function group(g) {
    const lang = g.lang ?? 'ru';
    return h('article', { class: 'panel group' },
      h('div', { class: 'group-head' },
        h('strong', {}, `«${g.question}»`),
        h('span', { class: 'badge lang' }, lang.toUpperCase()),
        h('span', { class: 'count' }, `${g.count} ${t('timesAsked')}`),
        g.fallbacks ? h('span', { class: 'badge act fallback' }, `${t('rate_fallback')} ${g.fallbacks}`) : null,
        g.escalations ? h('span', { class: 'badge act escalate' }, `${t('rate_escalate')} ${g.escalations}`) : null,
        h('span', { class: 'muted' }, time(g.lastAt, getLang(), true))),
      g.examples.length > 1 ? h('ul', { class: 'examples' }, g.examples.slice(0, 5).map((e) => h('li', {}, e.question))) : null,
      g.operatorAnswer ? h('div', {}, h('div', { class: 'muted' }, t('operatorAnswer')), h('div', { class: 'operator-answer' }, g.operatorAnswer)) : null,
      h('div', { class: 'form-row' },
        h('button', { class: 'primary', onclick: () => app.show('kb', { draft: { lang, question: g.question, answer: g.operatorAnswer ?? '', altQuestions: [], enabled: true } }) }, t('makeEntry')),
        g.suggestions.map((s) =>
          h('button', { title: s.question, onclick: async () => {
            await api('POST', `/api/kb/${encodeURIComponent(s.id)}/alternatives`, { lang: s.lang, text: g.question });
            toast(t('added'), 'ok');
            await load();
          } }, `${t('addAsPhrasing')} ${t('to_entry')} «${s.question.length > 40 ? `${s.question.slice(0, 39)}…` : s.question}»`))),
    );
  }

  await load();
  return {};
}
