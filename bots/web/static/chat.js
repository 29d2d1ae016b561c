// The citizen chat page's script, served as a file (no build step, no external assets, so it
// works on a closed network). Replies arrive over SSE; text is always inserted with textContent,
// so nothing in a reply or a question can inject markup. Links (sources) are made clickable only
// for http(s) URLs. The page keeps no history of its own: the stream replays the session's recent
// events, the citizen's messages among them (see adapter.ts), so a reload shows both sides in order.
// Type-checked by tsc through these JSDoc comments (tsconfig's checkJs); there is no build step.

/** @typedef {'kk' | 'ru' | 'en'} Lang */
/** @typedef {{ label: string, data: string }} ChatButton */
/**
 * One event of the session's stream (bots/web/hub.ts).
 * @typedef {{ text: string, buttons?: ChatButton[], author?: string, clientId?: string, receipt?: unknown, from?: { name: string } }} ChatEvent
 */
(() => {
  // Written into the page by the server (bots/web/page.ts): the limit and its texts in each language.
  /** @type {{ maxChars: number, tooLong: Record<Lang, string> }} */
  const SETTINGS = JSON.parse(document.getElementById('komek-settings')?.textContent ?? '{}');
  /** @type {Record<Lang, Record<'subtitle' | 'placeholder' | 'send' | 'typing' | 'relayed' | 'operator' | 'offline' | 'failed' | 'busy', string>>} */
  const UI = {
    kk: { subtitle: 'Мемлекеттік қызметтер бойынша анықтамашы', placeholder: 'Сұрағыңызды жазыңыз…', send: 'Жіберу', typing: 'Көмек жазып жатыр…', relayed: '✓ Операторға жеткізілді', operator: 'оператор', offline: 'Байланыс үзілді, қайта қосылуда…', failed: 'Жіберілмеді, қайталап көріңіз.', busy: 'Қазір сұрақтар өте көп, сәлден соң қайта жіберіледі…' },
    ru: { subtitle: 'Помощник по государственным услугам', placeholder: 'Напишите ваш вопрос…', send: 'Отправить', typing: 'Кёмек печатает…', relayed: '✓ Передано оператору', operator: 'оператор', offline: 'Нет связи, переподключаемся…', failed: 'Не отправлено, попробуйте ещё раз.', busy: 'Сейчас очень много вопросов, отправим повторно через несколько секунд…' },
    en: { subtitle: 'Assistant for government services', placeholder: 'Type your question…', send: 'Send', typing: 'Kömek is typing…', relayed: '✓ Delivered to the operator', operator: 'operator', offline: 'Connection lost, reconnecting…', failed: 'Not sent, please try again.', busy: 'Many questions right now; sending again in a few seconds…' },
  };
  // Every id is in index.html, so a lookup never comes back empty.
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const log = $('log'), status = $('status'), draft = $('draft');
  const input = /** @type {HTMLTextAreaElement} */ ($('input'));
  const form = /** @type {HTMLFormElement} */ ($('form'));
  const sendButton = /** @type {HTMLButtonElement} */ ($('send'));
  // Ids of messages this page showed as it sent them: their echo on the stream is not shown twice.
  const shown = new Set();
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2)).replace(/[^A-Za-z0-9_-]/g, '');
  let session = localStorage.getItem('komek.session') ?? '';
  const firstVisit = !session;
  if (!session) { session = newId(); localStorage.setItem('komek.session', session); }
  const browser = (navigator.language || 'kk').slice(0, 2);
  /** @type {Lang} */
  let lang = /** @type {Lang} */ (localStorage.getItem('komek.lang') || (/** @type {Record<string, unknown>} */ (UI)[browser] ? browser : 'kk'));
  /** @type {HTMLElement | undefined} */
  let typing;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let typingTimer;
  // A reply normally ends "typing…"; should none come (a worker down, a message lost), the
  // indicator still goes after this long instead of promising an answer for ever.
  const TYPING_MAX_MS = 20000;

  function applyLang() {
    const t = UI[lang];
    document.documentElement.lang = lang;
    $('subtitle').textContent = t.subtitle;
    input.placeholder = t.placeholder;
    sendButton.textContent = t.send;
    document.querySelectorAll('.langs button').forEach((b) => b.setAttribute('aria-pressed', String(/** @type {HTMLElement} */ (b).dataset.lang === lang)));
    countDraft();
  }

  // Counted as the server counts (code points of the trimmed text), so the page never sends what
  // the bot would refuse; shown from 80% of the limit, and the send button is off while over.
  const length = (/** @type {string} */ text) => [...text.trim()].length;
  function countDraft() {
    const n = length(input.value), over = n > SETTINGS.maxChars;
    draft.hidden = n < SETTINGS.maxChars * 0.8;
    draft.classList.toggle('over', over);
    input.classList.toggle('over', over);
    input.setAttribute('aria-invalid', String(over));
    $('draft-count').textContent = n + ' / ' + SETTINGS.maxChars;
    $('draft-note').textContent = over ? SETTINGS.tooLong[lang] : '';
    sendButton.disabled = over;
    return !over;
  }

  /** @param {HTMLElement} el @param {string} text */
  function linkify(el, text) {
    for (const part of text.split(/(https?:\/\/[^\s]+)/g)) {
      if (/^https?:\/\//.test(part)) { const a = document.createElement('a'); a.href = part; a.textContent = part; a.target = '_blank'; a.rel = 'noopener'; el.append(a); }
      else el.append(document.createTextNode(part));
    }
  }

  /** @param {string} who @param {string} text @param {ChatButton[]} [buttons] @param {{ name: string }} [from] */
  function add(who, text, buttons, from) {
    const div = document.createElement('div');
    div.className = 'msg ' + who;
    if (from) {
      // A person wrote this: their name on top, so the citizen knows it is not the bot.
      const name = document.createElement('span');
      name.className = 'who';
      name.textContent = from.name + ' · ' + UI[lang].operator;
      div.append(name);
    }
    linkify(div, text);
    if (buttons && buttons.length) {
      const box = document.createElement('div');
      box.className = 'choices';
      for (const b of buttons) {
        const btn = document.createElement('button');
        btn.type = 'button';
        btn.textContent = b.label;
        btn.onclick = () => { box.querySelectorAll('button').forEach((x) => (x.disabled = true)); send(b.label, b.data); };
        box.append(btn);
      }
      div.append(box);
    }
    log.append(div);
    log.scrollTop = log.scrollHeight;
  }

  /** @param {boolean} on */
  function showTyping(on) {
    clearTimeout(typingTimer);
    if (on && !typing) { typing = document.createElement('div'); typing.className = 'typing'; typing.textContent = UI[lang].typing; log.append(typing); log.scrollTop = log.scrollHeight; }
    if (on) typingTimer = setTimeout(() => showTyping(false), TYPING_MAX_MS);
    if (!on && typing) { typing.remove(); typing = undefined; }
  }

  function showReceipt() {
    const last = log.lastElementChild;
    if (last && last.classList.contains('receipt')) return;
    const div = document.createElement('div');
    div.className = 'receipt';
    div.textContent = UI[lang].relayed;
    log.append(div);
    log.scrollTop = log.scrollHeight;
  }

  /** @param {string} text @param {string} [button] @param {boolean} [silent] */
  async function send(text, button, silent) {
    /** @type {{ session: string, id: string, text: string, hidden?: boolean, button?: string }} */
    const body = { session, id: newId(), text };
    if (!silent) { add('me', text); shown.add(body.id); }
    else body.hidden = true;
    showTyping(true);
    if (button) body.button = button;
    // Failures get three tries; "busy" (503: too many questions queued) is not a failure, so the
    // page keeps the same message id, says so politely and sends again after Retry-After.
    for (let attempt = 0, busy = 0; attempt < 3 && busy < 40;) {
      try {
        const res = await fetch('chat/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        if (res.ok) { status.textContent = ''; return; }
        if (res.status === 503) {
          const info = await res.json().catch(() => ({}));
          status.textContent = (info.message && info.message[lang]) || UI[lang].busy;
          const wait = Math.min(30, Math.max(1, Number(res.headers.get('retry-after')) || 5));
          busy++;
          await new Promise((r) => setTimeout(r, wait * 1000));
          continue;
        }
        if (res.status < 500) break;
      } catch {}
      attempt++;
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
    showTyping(false);
    status.textContent = UI[lang].failed;
  }

  function connect() {
    const events = new EventSource('chat/events?session=' + encodeURIComponent(session));
    events.onopen = () => { status.textContent = ''; };
    events.onmessage = (e) => {
      /** @type {ChatEvent} */
      const m = JSON.parse(e.data);
      if (m.author === 'citizen') { if (!shown.has(m.clientId)) add('me', m.text); return; }
      showTyping(false);
      // A receipt: the message went to the operator who has the chat; no bot reply will come.
      if (m.receipt) return showReceipt();
      if (m.from) add('person', m.text, m.buttons, m.from);
      else add('bot', m.text, m.buttons);
    };
    events.onerror = () => { status.textContent = UI[lang].offline; };
  }

  document.querySelectorAll('.langs button').forEach((el) => {
    const b = /** @type {HTMLButtonElement} */ (el);
    b.onclick = () => {
      lang = /** @type {Lang} */ (b.dataset.lang); localStorage.setItem('komek.lang', lang); applyLang(); send(b.textContent ?? '', 'l:' + lang, true);
    };
  });
  form.onsubmit = (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || !countDraft()) return;
    input.value = '';
    countDraft();
    send(text);
  };
  input.addEventListener('input', countDraft);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); } });

  applyLang();
  connect();
  if (firstVisit) send('/start', 'l:' + lang, true);
})();
