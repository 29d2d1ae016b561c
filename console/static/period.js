// A period picker shared by the analytics and unanswered views: presets plus two dates.
import { h } from './dom.js';
import { t } from './i18n.js';

const DAY = 86_400_000;
const iso = (/** @type {Date} */ d) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);

/**
 * @param {() => void} onChange
 */
export function periodPicker(onChange) {
  const today = new Date();
  const from = h('input', { type: 'date', 'aria-label': t('from'), value: iso(new Date(today.getTime() - 6 * DAY)) });
  const to = h('input', { type: 'date', 'aria-label': t('to'), value: iso(today) });
  const preset = (/** @type {number} */ days) => () => {
    const now = new Date();
    from.value = iso(new Date(now.getTime() - (days - 1) * DAY));
    to.value = iso(now);
    onChange();
  };
  const element = h('div', { class: 'form-row' },
    h('button', { onclick: preset(1) }, t('today')),
    h('button', { onclick: preset(7) }, t('last7')),
    h('button', { onclick: preset(30) }, t('last30')),
    from, '—', to,
    h('button', { class: 'primary', onclick: onChange }, t('apply')));
  return {
    element,
    /** Local days, sent as the instants they start and end at. */
    value() {
      const start = new Date(`${from.value}T00:00:00`);
      const end = new Date(new Date(`${to.value}T00:00:00`).getTime() + DAY);
      return { from: encodeURIComponent(start.toISOString()), to: encodeURIComponent(end.toISOString()) };
    },
  };
}
