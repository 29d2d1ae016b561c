// The queue (waiting oldest first, then those with operators) and the conversation view: the
// whole history, the reply box with canned responses, and claim / transfer / return / close.
import { api, ApiError } from './api.js';
import { all, clear, fill, duration, h, time, toast } from './dom.js';
import { getLang, label, t } from './i18n.js';

/** A citizen's `/start` (Telegram's Start button, the web page's hidden opening message). */
const opening = (/** @type {{ author?: string | null, text: string }} */ m) => (m.author ?? 'citizen') === 'citizen' && /^\/start(\s|$)/.test(m.text.trim());

/**
 * @typedef {import('../../db/operator-queue.ts').QueueItem} QueueItem
 * @typedef {import('../../db/operator-queue.ts').ConversationView} ConversationView
 * @typedef {import('../../db/operator-queue.ts').HistoryMessage} HistoryMessage
 * @typedef {import('../../db/operator-canned.ts').CannedResponse} CannedResponse
 * @typedef {ReturnType<typeof import('../operator-routes.ts').publicOperator>} Operator
 */

/**
 * @param {HTMLElement} container
 * @param {import('./app.js').App} app
 * @returns {Promise<import('./app.js').View>}
 */
export async function mount(container, app) {
  /**
   * @type {{ items: QueueItem[], selected: string | null, view: ConversationView | null, canned: CannedResponse[], offset: number }}
   * `offset`: the server's clock minus ours, so waiting times count from the server's instants.
   */
  const state = { items: [], selected: null, view: null, canned: [], offset: 0 };
  const list = h('section', { class: 'queue-list', 'aria-label': t('navQueue') });
  const detail = h('section', { class: 'conversation', 'aria-live': 'polite' });
  const layout = h('div', { class: 'queue-layout' }, list, detail);
  container.append(layout);

  const now = () => Date.now() + state.offset;
  const mine = (/** @type {QueueItem} */ c) => c.owner === 'operator' && c.operatorId === app.me?.id;
  const manage = (/** @type {QueueItem} */ c) => c.owner === 'waiting' || mine(c) || (c.owner === 'operator' && app.me?.role === 'admin');
  const messageOf = (/** @type {unknown} */ err) => /** @type {Error} */ (err).message;

  async function loadQueue() {
    /** @type {{ items: QueueItem[], now: string }} */
    const res = await api('GET', '/api/queue');
    state.offset = new Date(res.now).getTime() - Date.now();
    state.items = res.items;
    renderList();
    const waiting = state.items.filter((i) => i.owner === 'waiting').length;
    document.title = waiting ? `(${waiting}) Kömek` : 'Kömek';
  }

  /**
   * @param {string} id
   * @param {{ focusReply?: boolean }} [opts]
   */
  async function open(id, { focusReply = false } = {}) {
    state.selected = id;
    layout.classList.add('show-detail');
    renderList();
    try {
      /** @type {{ conversation: ConversationView }} */
      const res = await api('GET', `/api/conversations/${id}`);
      if (state.selected !== id) return;
      state.view = res.conversation;
      renderDetail();
      if (focusReply) detail.querySelector('textarea')?.focus();
    } catch (err) {
      toast(messageOf(err), 'error');
    }
  }

  /** @param {QueueItem} c */
  function item(c) {
    const written = c.lastMessages.filter((m) => !opening(m));
    const last = written.at(-1);
    const since = c.escalatedAt ?? c.updatedAt;
    return h(
      'button',
      {
        class: `queue-item${c.id === state.selected ? ' selected' : ''}${mine(c) ? ' mine' : ''}`,
        dataset: { id: c.id, owner: c.owner },
        'aria-current': c.id === state.selected ? 'true' : undefined,
        onclick: () => open(c.id),
      },
      h(
        'div',
        { class: 'qi-head' },
        h('span', { class: `badge ch-${c.channel}` }, t(`channel_${c.channel}`)),
        c.lang ? h('span', { class: 'badge lang' }, c.lang.toUpperCase()) : null,
        c.owner === 'operator' ? h('span', { class: 'qi-operator' }, mine(c) ? t('mine') : c.operatorName ?? '') : null,
        h('span', { class: `qi-wait${c.owner === 'waiting' ? ' urgent' : ''}`, dataset: { since } }, duration(now() - new Date(since).getTime(), getLang())),
      ),
      h('div', { class: 'qi-text' }, last ? last.text : '—'),
      written.length > 1 ? h('div', { class: 'qi-more' }, written.slice(0, -1).map((m) => m.text).join(' · ')) : null,
    );
  }

  function renderList() {
    const waiting = state.items.filter((i) => i.owner === 'waiting');
    const working = state.items.filter((i) => i.owner === 'operator').sort((a, b) => Number(mine(b)) - Number(mine(a)));
    fill(list, 
      h('h2', {}, t('waiting'), h('span', { class: 'count' }, String(waiting.length))),
      waiting.length ? h('div', { class: 'items' }, waiting.map(item)) : h('p', { class: 'empty' }, t('noWaiting')),
      h('h2', {}, t('inProgress'), h('span', { class: 'count' }, String(working.length))),
      h('div', { class: 'items' }, working.map(item)),
      h('p', { class: 'hint' }, t('shortcuts')),
    );
  }

  /**
   * @param {HistoryMessage} m
   * @param {ConversationView['entries']} entries
   */
  function message(m, entries) {
    // The opening command (the web page's hidden /start, Telegram's Start button) is not something
    // the citizen wrote: shown as an event, not as their words.
    if (opening(m)) return h('div', { class: 'msg system' }, h('span', {}, `${t('sysOpened')} · ${time(m.createdAt, getLang())}`));
    const who = m.author === 'operator' ? m.operatorName ?? t('bot') : t(m.author);
    if (m.author === 'system') {
      const text = m.action === 'claimed' ? t('sysClaimed', { name: m.operatorName ?? '' }) : m.action === 'transferred' ? t('sysTransferred', { name: m.operatorName ?? '' }) : m.text;
      return h('div', { class: 'msg system' }, h('span', {}, `${text} · ${time(m.createdAt, getLang())}`));
    }
    const entry = m.faqId ? entries[m.faqId] : null;
    return h(
      'div',
      { class: `msg ${m.author}${m.action ? ` act-${m.action}` : ''}` },
      h('div', { class: 'msg-meta' }, h('strong', {}, who), m.action && m.author === 'bot' ? h('span', { class: `badge act ${m.action}` }, label('act_', m.action)) : null, h('time', {}, time(m.createdAt, getLang()))),
      h('div', { class: 'msg-text' }, m.text),
      entry ? h('div', { class: 'msg-entry' }, `${t('usedEntry')} ${m.faqId}: «${entry.question}»`, m.score !== null ? ` · ${t('score')} ${Math.round(m.score * 100)}%` : '') : null,
    );
  }

  function renderDetail() {
    const c = state.view;
    if (!c) {
      fill(detail, h('div', { class: 'placeholder' }, h('img', { src: '/console/assets/logo.svg', alt: '', width: 56, height: 56 }), h('p', {}, t('selectConversation'))));
      return;
    }
    const since = c.escalatedAt;
    /** @type {HTMLButtonElement[]} */
    const actions = [];
    if (c.owner === 'waiting') actions.push(h('button', { class: 'primary', id: 'claim', onclick: claim, title: 'C' }, t('claim')));
    if (manage(c) && c.owner === 'operator') actions.push(h('button', { id: 'transfer', onclick: transfer }, t('transfer')));
    if (manage(c)) actions.push(h('button', { id: 'return', onclick: () => act('return', 'returned') }, t('returnToBot')));
    if (manage(c)) actions.push(h('button', { id: 'close', class: 'danger', onclick: close }, t('close')));
    const history = h('div', { class: 'history' }, c.messages.map((m) => message(m, c.entries)));
    const canReply = mine(c);
    const textarea = h('textarea', { id: 'reply', rows: 3, placeholder: canReply ? t('replyPlaceholder') : c.owner === 'operator' ? t('ownedByOther') : t('claimFirst'), disabled: !canReply, onkeydown: (/** @type {KeyboardEvent} */ e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        send();
      }
    } });
    const lang = c.lang ?? getLang();
    const canned = h(
      'select',
      { id: 'canned', disabled: !canReply, 'aria-label': t('canned'), onchange: (/** @type {Event} */ e) => {
        const select = /** @type {HTMLSelectElement} */ (e.target);
        const picked = state.canned.find((x) => x.id === select.value);
        if (picked) {
          textarea.value = textarea.value ? `${textarea.value}\n${picked.text}` : picked.text;
          textarea.focus();
        }
        select.value = '';
      } },
      h('option', { value: '' }, `${t('canned')}…`),
      ['kk', 'ru', 'en'].sort((a, b) => Number(b === lang) - Number(a === lang)).map((l) =>
        h('optgroup', { label: l.toUpperCase() }, state.canned.filter((x) => x.lang === l).map((x) => h('option', { value: x.id }, x.title))),
      ),
    );
    fill(detail, 
      h(
        'header',
        { class: 'conv-head' },
        h('button', { class: 'ghost back', onclick: () => layout.classList.remove('show-detail') }, `← ${t('back')}`),
        h(
          'div',
          { class: 'conv-title' },
          h('span', { class: `badge ch-${c.channel}` }, t(`channel_${c.channel}`)),
          c.lang ? h('span', { class: 'badge lang' }, c.lang.toUpperCase()) : null,
          h('span', { class: `badge owner-${c.owner}` }, t(`owner_${c.owner}`)),
          c.owner === 'operator' ? h('span', { class: 'muted' }, `${t('with')} ${c.operatorName ?? ''}`) : null,
          since && c.owner === 'waiting' ? h('span', { class: 'qi-wait urgent', dataset: { since } }, duration(now() - new Date(since).getTime(), getLang())) : null,
        ),
        h('div', { class: 'conv-actions' }, actions),
      ),
      history,
      h('form', { class: `composer${canReply ? '' : ' locked'}`, onsubmit: (/** @type {SubmitEvent} */ e) => (e.preventDefault(), send()) }, h('div', { class: 'composer-tools' }, canned), textarea, h('button', { class: 'primary', id: 'send', type: 'submit', disabled: !canReply }, t('send'))),
    );
    history.scrollTop = history.scrollHeight;
  }

  /**
   * @param {'claim' | 'transfer' | 'return' | 'close'} name
   * @param {string} okKey the text to show when it worked
   * @param {unknown} [body]
   */
  async function act(name, okKey, body) {
    const id = state.view?.id;
    if (!id) return;
    try {
      await api('POST', `/api/conversations/${id}/${name}`, body);
      toast(t(okKey), 'ok');
      await Promise.all([loadQueue(), open(id, { focusReply: name === 'claim' })]);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && name === 'claim') toast(t('alreadyClaimed'), 'error');
      else toast(messageOf(err), 'error');
      await Promise.all([loadQueue(), open(id)]);
    }
  }

  const claim = () => act('claim', 'claimed');

  async function send() {
    const box = /** @type {HTMLTextAreaElement | null} */ (detail.querySelector('#reply'));
    const text = box?.value.trim();
    if (!box || !text || !state.view) return;
    box.disabled = true;
    try {
      await api('POST', `/api/conversations/${state.view.id}/reply`, { text });
      box.value = '';
      toast(t('sent'), 'ok');
      await open(state.view.id, { focusReply: true });
    } catch (err) {
      toast(messageOf(err), 'error');
      box.disabled = false;
    }
  }

  /**
   * @param {string} title
   * @param {HTMLElement} body
   * @param {(dialog: HTMLDialogElement) => void} onOk
   * @param {string} okLabel
   */
  function dialog(title, body, onOk, okLabel) {
    const dlg = h('dialog', { class: 'dialog' });
    const ok = h('button', { class: 'primary', type: 'submit' }, okLabel);
    dlg.append(
      h('form', { method: 'dialog', onsubmit: (/** @type {SubmitEvent} */ e) => { e.preventDefault(); dlg.close(); dlg.remove(); onOk(dlg); } },
        h('h3', {}, title), body,
        h('div', { class: 'dialog-actions' }, h('button', { type: 'button', onclick: () => { dlg.close(); dlg.remove(); } }, t('cancel')), ok)),
    );
    document.body.append(dlg);
    dlg.showModal();
    (dlg.querySelector('select') ?? ok).focus();
  }

  async function transfer() {
    /** @type {{ operators: Operator[] }} */
    const { operators } = await api('GET', '/api/operators');
    const others = operators.filter((o) => o.id !== state.view?.operatorId);
    const select = h('select', { id: 'transfer-to', 'aria-label': t('chooseOperator') }, others.map((o) => h('option', { value: o.id }, `${o.displayName} (${o.username})`)));
    dialog(t('chooseOperator'), select, () => act('transfer', 'transferred', { operatorId: select.value }), t('transfer'));
  }

  function close() {
    dialog(t('close'), h('p', {}, t('confirmClose')), () => act('close', 'closed'), t('close'));
  }

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let refresh;
  /** @param {{ conversationId?: string }} change */
  function onChange(change) {
    clearTimeout(refresh);
    refresh = setTimeout(() => {
      void loadQueue();
      if (state.selected && change.conversationId === state.selected) void open(state.selected);
    }, 150);
  }

  /**
   * @param {KeyboardEvent} e
   * @param {boolean} typing
   */
  function onKey(e, typing) {
    if (typing) {
      if (e.key === 'Escape') /** @type {HTMLElement} */ (e.target).blur();
      return;
    }
    const buttons = all('.queue-item', list);
    const at = buttons.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    if (e.key === 'j' || e.key === 'ArrowDown') {
      (buttons[at + 1] ?? buttons[0])?.focus();
      e.preventDefault();
    } else if (e.key === 'k' || e.key === 'ArrowUp') {
      (buttons[at - 1] ?? buttons.at(-1))?.focus();
      e.preventDefault();
    } else if (e.key === 'c' && state.view?.owner === 'waiting') {
      claim();
    } else if (e.key === 'r') {
      /** @type {HTMLElement | null} */ (detail.querySelector('#reply:not([disabled])'))?.focus();
      e.preventDefault();
    } else if (e.key === 'Escape') {
      layout.classList.remove('show-detail');
    }
  }

  const ticker = setInterval(() => {
    for (const el of all('[data-since]', container)) el.textContent = duration(now() - new Date(el.dataset.since ?? '').getTime(), getLang());
  }, 1000);

  renderDetail();
  /** @type {[{ items: CannedResponse[] }, void]} */
  const [canned] = await Promise.all([api('GET', '/api/canned'), loadQueue()]);
  state.canned = canned.items;
  return { onChange, onKey, unmount: () => clearInterval(ticker) };
}
