// Knowledge-base admin: search, edit an entry in every language, disable/enable, and see who
// changed what. Saving bumps the knowledge-base version, which retrains the model.
import { api } from './api.js';
import { all, clear, fill, h, time, toast } from './dom.js';
import { getLang, label, t } from './i18n.js';

/**
 * @typedef {import('../../core/kb.ts').KbEntry} KbEntry
 * @typedef {import('../../core/kb.ts').StoredKbEntry} StoredKbEntry
 * @typedef {import('../../db/operator-kb.ts').KbListItem} KbListItem
 * @typedef {import('../../db/operator-kb.ts').KbHistoryItem} KbHistoryItem
 * @typedef {import('../../inference/retrieval/self-check.ts').SelfCheck} SelfCheck
 * A draft handed over by another tab (the unanswered questions' "make an entry").
 * @typedef {Partial<KbEntry> & { lang: string }} Draft
 * @typedef {{ draft?: Draft, id?: string }} KbState
 */

const LANGS = /** @type {const} */ (['kk', 'ru', 'en']);
const LANG_NAME = { kk: 'langKk', ru: 'langRu', en: 'langEn' };
/** @type {(keyof KbEntry)[]} */
const FIELDS = ['question', 'answer', 'altQuestions', 'sourceUrl', 'category', 'enabled'];

/** The text of the control named `name` in a translation's fieldset. */
const valueOf = (/** @type {ParentNode} */ form, /** @type {string} */ name) =>
  /** @type {HTMLInputElement | HTMLTextAreaElement} */ (form.querySelector(`[name=${name}]`)).value;

/**
 * @param {HTMLElement} container
 * @param {import('./app.js').App} app
 * @param {KbState} [state]
 * @returns {Promise<import('./app.js').View>}
 */
export async function mount(container, app, state = {}) {
  const search = h('input', { type: 'search', id: 'kb-search', placeholder: t('search'), 'aria-label': t('search'), oninput: () => debounce(load) });
  const list = h('div', { class: 'kb-list', role: 'list' });
  const editor = h('section', { class: 'panel kb-editor' });
  const modelPanel = h('section', { class: 'panel kb-model', id: 'kb-model', 'aria-live': 'polite' });
  void showModel(modelPanel);
  container.append(
    h('div', { class: 'page' },
      h('div', { class: 'page-head' }, h('h1', {}, t('navKb')), search, h('button', { class: 'primary', id: 'kb-new', onclick: () => edit(null) }, `+ ${t('newEntry')}`)),
      modelPanel,
      h('div', { class: 'kb-layout' }, h('section', { class: 'panel' }, list), editor)),
  );
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const debounce = (/** @type {() => void} */ fn) => {
    clearTimeout(timer);
    timer = setTimeout(fn, 250);
  };
  /** @type {string | null} */
  let selected = null;

  async function load() {
    /** @type {{ items: KbListItem[], total: number }} */
    const { items, total } = await api('GET', `/api/kb?q=${encodeURIComponent(search.value)}&limit=100`);
    fill(list, 
      h('div', { class: 'muted' }, `${total}`),
      items.length === 0 ? h('p', { class: 'empty' }, t('noResults')) : null,
      items.map((i) =>
        h('button', { class: `kb-row${i.id === selected ? ' selected' : ''}${i.enabled ? '' : ' off'}`, role: 'listitem', dataset: { id: i.id }, onclick: () => edit(i.id) },
          h('span', {}, i.questions[getLang()] ?? i.questions.ru ?? i.questions.kk ?? i.questions.en ?? i.id),
          h('small', {}, [i.id, i.category, i.enabled ? null : t('disabled'), Object.keys(i.questions).join('/').toUpperCase()].filter(Boolean).join(' · ')))),
    );
  }

  /**
   * @param {typeof LANGS[number]} lang
   * @param {Partial<KbEntry> | undefined} e
   */
  function translationForm(lang, e) {
    const field = (/** @type {string} */ name, /** @type {HTMLElement} */ control) => h('label', {}, h('span', {}, t(name)), control);
    return h('fieldset', { class: 'translation', dataset: { lang } },
      h('h3', {}, `${t(LANG_NAME[lang])} (${lang})`),
      field('question', h('input', { name: 'question', value: e?.question ?? '' })),
      field('answer', h('textarea', { name: 'answer', rows: 5, value: e?.answer ?? '' })),
      field('altQuestions', h('textarea', { name: 'altQuestions', rows: 3, value: (e?.altQuestions ?? []).join('\n') })),
      field('sourceUrl', h('input', { name: 'sourceUrl', type: 'url', value: e?.sourceUrl ?? '' })),
      field('category', h('input', { name: 'category', value: e?.category ?? '' })),
    );
  }

  /**
   * @param {string | null} id
   * @param {Draft} [draft]
   */
  async function edit(id, draft) {
    selected = id;
    for (const row of all('.kb-row', list)) row.classList.toggle('selected', row.dataset.id === id);
    /** @type {{ translations: (Partial<KbEntry> & { lang: string })[], history: KbHistoryItem[] }} */
    const data = id ? await api('GET', `/api/kb/${encodeURIComponent(id)}`) : { translations: draft ? [draft] : [], history: [] };
    const byLang = Object.fromEntries(data.translations.map((e) => [e.lang, e]));
    const enabled = data.translations.length === 0 || data.translations.some((e) => e.enabled);
    const idInput = h('input', { name: 'id', value: id ?? '', disabled: !!id, placeholder: 'auto' });
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const forms = LANGS.map((l) => translationForm(l, byLang[l]));
    const save = async () => {
      error.hidden = true;
      const translations = forms
        .map((f) => ({
          lang: f.dataset.lang ?? '',
          question: valueOf(f, 'question').trim(),
          answer: valueOf(f, 'answer').trim(),
          altQuestions: valueOf(f, 'altQuestions').split('\n').map((x) => x.trim()).filter(Boolean),
          sourceUrl: valueOf(f, 'sourceUrl').trim() || null,
          category: valueOf(f, 'category').trim() || null,
          enabled,
        }))
        .filter((x) => x.question || x.answer || byLang[x.lang]);
      try {
        const res = id
          ? await api('PUT', `/api/kb/${encodeURIComponent(id)}`, { translations })
          : await api('POST', '/api/kb', { id: idInput.value.trim() || undefined, translations });
        toast(t('saved'), 'ok');
        await load();
        await edit(res.id);
      } catch (err) {
        error.textContent = /** @type {Error} */ (err).message;
        error.hidden = false;
      }
    };
    const toggle = async () => {
      if (!id) return; // the button is shown for stored entries only
      await api('POST', `/api/kb/${encodeURIComponent(id)}/enabled`, { enabled: !enabled });
      toast(t('saved'), 'ok');
      await load();
      await edit(id);
    };
    fill(editor, 
      h('div', { class: 'page-head' },
        h('h2', {}, id ? id : t('newEntry')),
        id && !enabled ? h('span', { class: 'badge owner-waiting' }, t('disabled')) : null,
        id ? h('button', { id: 'kb-toggle', class: enabled ? 'danger' : '', onclick: toggle }, enabled ? t('disable') : t('enable')) : null,
        h('button', { class: 'primary', id: 'kb-save', onclick: save }, t('save'))),
      id ? null : h('label', { class: 'form-row' }, h('span', {}, t('entryId')), idInput),
      error,
      h('div', { class: 'translations' }, forms),
      data.history.length ? historyTable(data.history) : null,
    );
    forms.find((f) => byLang[f.dataset.lang ?? ''] || f.dataset.lang === (draft?.lang ?? getLang()))?.querySelector(/** @type {'input'} */ ('[name=question]'))?.focus();
  }

  /** @param {KbHistoryItem[]} history */
  function historyTable(history) {
    /** @type {Map<string, KbEntry>} */
    const previous = new Map();
    const rows = [...history].reverse().map((item) => {
      const before = previous.get(item.lang);
      previous.set(item.lang, item.snapshot);
      const changed = before ? FIELDS.filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(item.snapshot[f] ?? null)) : [];
      return { item, before, changed };
    });
    return h('div', {},
      h('h2', {}, t('history')),
      h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, t('when')), h('th', {}, t('version')), h('th', {}, t('who')), h('th', {}, t('action')), h('th', {}, t('details')))),
        h('tbody', {}, rows.reverse().map(({ item, before, changed }) =>
          h('tr', {},
            h('td', {}, time(item.changedAt, getLang(), true)),
            h('td', {}, `${item.lang.toUpperCase()} v${item.version}`),
            h('td', {}, item.changedBy ?? '—'),
            h('td', {}, label('hist_', item.action)),
            h('td', { class: 'diff' }, changed.length === 0 ? '' : changed.map((f) => h('div', {}, h('strong', {}, `${t(f === 'enabled' ? 'enable' : f)}: `), h('del', {}, show(before?.[f])), ' → ', h('ins', {}, show(item.snapshot[f]))))))))),
    );
  }

  await load();
  if (state.draft) await edit(null, state.draft);
  else if (state.id) await edit(state.id);
  else fill(editor, h('p', { class: 'muted' }, t('search')));
  return {
    onKey(/** @type {KeyboardEvent} */ e, /** @type {boolean} */ typing) {
      if (!typing && e.key === '/') {
        search.focus();
        e.preventDefault();
      }
    },
  };
}

/** How well the model knows this knowledge base: the self-check of the last training, with advice. */
/** @param {HTMLElement} panel */
async function showModel(panel) {
  /** @type {{ id?: string | null, selfCheck?: SelfCheck | null } | null} */
  const m = await api('GET', '/api/kb-model').catch(() => null);
  const check = m && m.selfCheck;
  if (!check) {
    // Loading, or a model stored before training checked itself: say which.
    fill(panel, h('p', { class: 'muted' }, m && m.id ? t('modelNoCheck') : t('modelLoading')));
    return;
  }
  const pct = (/** @type {number} */ x) => `${Math.round(x * 100)}%`;
  fill(panel,
    h('h2', {}, `${t('modelQuality')}: ${check.status === 'ok' ? t('modelOk') : t('modelWeak')}`),
    h('p', {}, `${t('heldOutTop1')} ${pct(check.hybrid.top1)} · ${t('answeredRight')} ${pct(check.hybrid.answeredRight)} · ${t('answeredWrong')} ${pct(check.hybrid.answeredWrong)}` +
      (check.lexical ? ` (${t('lexical')}: ${pct(check.lexical.top1)} / ${pct(check.lexical.answeredRight)})` : '')),
    check.fewPhrasings.length ? h('p', {}, `${t('fewPhrasings')} (${check.fewPhrasings.length}): ${check.fewPhrasings.slice(0, 10).map((f) => `${f.id}/${f.lang}`).join(', ')}${check.fewPhrasings.length > 10 ? ', …' : ''}`) : null,
    check.confusions.length ? h('p', {}, `${t('confusions')}: ${check.confusions.slice(0, 5).map((c) => `${c.expected} → ${c.got} (${c.count})`).join(', ')}`) : null,
  );
}

/** @param {unknown} value */
function show(value) {
  if (Array.isArray(value)) return value.join(' | ') || '∅';
  if (value === null || value === undefined || value === '') return '∅';
  const text = String(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
