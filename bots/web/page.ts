/**
 * The citizen chat page: one self-contained HTML document (no build step, no external assets,
 * so it works on a closed network). Replies arrive over SSE; text is always inserted with
 * textContent, so nothing in a reply or a question can inject markup. Links (sources) are made
 * clickable only for http(s) URLs.
 *
 * The page keeps no history of its own: the stream replays the session's recent events, the
 * citizen's messages among them (see adapter.ts), so a reload shows both sides in order.
 */
import { LANGS } from '../../core/lang.ts';
import { t } from '../../core/texts.ts';

export interface ChatPageOptions {
  /** The longest message the bot reads (KOMEK_MAX_MESSAGE_CHARS); the page counts against it. */
  maxChars: number;
}

/** The page for `opts`; build it once per server, not per request. */
export function chatPage(opts: ChatPageOptions): string {
  const tooLong = Object.fromEntries(LANGS.map((l) => [l, t('draftTooLong', l, { max: opts.maxChars })]));
  // JSON in a script: "<" escaped so no text can close the script element.
  const settings = JSON.stringify({ maxChars: opts.maxChars, tooLong }).replace(/</g, '\\u003c');
  return CHAT_PAGE.replace('__SETTINGS__', () => settings);
}

const CHAT_PAGE = /* html */ `<!doctype html>
<html lang="kk">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Көмек</title>
<link rel="icon" href="/favicon.ico">
<style>
  :root { --brand:#00a3c4; --brand-dark:#007f99; --sun:#fec50c; --bg:#f3f7f9; --bot:#ffffff; --me:#dff4f8; --text:#1d2a33; --muted:#6b7c88; }
  * { box-sizing:border-box; }
  html, body { height:100%; margin:0; }
  body { font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--text); background:var(--bg); display:flex; justify-content:center; }
  .app { width:100%; max-width:760px; height:100%; display:flex; flex-direction:column; background:#fff; box-shadow:0 0 24px rgba(0,0,0,.06); }
  header { display:flex; align-items:center; gap:12px; padding:12px 16px; background:linear-gradient(90deg,var(--brand),var(--brand-dark)); color:#fff; }
  .logo { width:40px; height:40px; border-radius:50%; background:var(--sun); display:grid; place-items:center; font-weight:700; color:var(--brand-dark); font-size:20px; flex:none; }
  header h1 { font-size:18px; margin:0; }
  header p { font-size:13px; margin:0; opacity:.85; }
  .langs { margin-left:auto; display:flex; gap:4px; }
  .langs button { border:1px solid rgba(255,255,255,.6); background:transparent; color:#fff; border-radius:14px; padding:3px 10px; cursor:pointer; font-size:13px; }
  .langs button[aria-pressed="true"] { background:#fff; color:var(--brand-dark); }
  main { flex:1; overflow-y:auto; padding:16px; display:flex; flex-direction:column; gap:10px; background:var(--bg); }
  .msg { max-width:85%; padding:10px 14px; border-radius:16px; white-space:pre-wrap; word-wrap:break-word; box-shadow:0 1px 2px rgba(0,0,0,.06); }
  .bot { align-self:flex-start; background:var(--bot); border-bottom-left-radius:4px; }
  .person { align-self:flex-start; background:#fff8e1; border:1px solid #f3d36b; border-left:4px solid var(--sun); border-bottom-left-radius:4px; }
  .person .who { display:block; font-size:13px; font-weight:600; color:#8a6d00; margin-bottom:2px; }
  .receipt { align-self:flex-end; color:var(--muted); font-size:12px; margin-top:-6px; padding-right:6px; }
  .me { align-self:flex-end; background:var(--me); border-bottom-right-radius:4px; }
  .msg a { color:var(--brand-dark); }
  .choices { display:flex; flex-wrap:wrap; gap:6px; margin-top:8px; }
  .choices button { border:1px solid var(--brand); background:#fff; color:var(--brand-dark); border-radius:14px; padding:5px 12px; cursor:pointer; font:inherit; font-size:14px; text-align:left; }
  .choices button:hover { background:var(--me); }
  .choices button:disabled { opacity:.5; cursor:default; }
  .typing { align-self:flex-start; color:var(--muted); font-size:14px; padding:4px 8px; }
  .status { text-align:center; color:var(--muted); font-size:13px; min-height:18px; }
  form { display:flex; gap:8px; padding:12px; border-top:1px solid #e3eaee; background:#fff; }
  textarea { flex:1; resize:none; border:1px solid #cfdbe2; border-radius:20px; padding:10px 14px; font:inherit; max-height:120px; }
  textarea:focus { outline:2px solid var(--brand); border-color:transparent; }
  form button { border:0; border-radius:20px; background:var(--brand); color:#fff; padding:0 18px; font:inherit; cursor:pointer; }
  form button:disabled { background:#9ccfdb; }
  .draft { display:flex; align-items:baseline; gap:8px; padding:0 16px 6px; font-size:13px; color:var(--muted); background:#fff; }
  .draft[hidden] { display:none; }
  .draft .limit { margin-left:auto; white-space:nowrap; font-variant-numeric:tabular-nums; }
  .draft.over { color:#b3261e; }
  .draft.over .limit { font-weight:600; }
  textarea.over { outline:2px solid #b3261e; border-color:transparent; }
</style>
</head>
<body>
<div class="app">
  <header>
    <div class="logo" aria-hidden="true">К</div>
    <div><h1>Көмек</h1><p id="subtitle"></p></div>
    <div class="langs" role="group" aria-label="Language">
      <button type="button" data-lang="kk">Қаз</button>
      <button type="button" data-lang="ru">Рус</button>
      <button type="button" data-lang="en">Eng</button>
    </div>
  </header>
  <main id="log" aria-live="polite"></main>
  <div class="status" id="status"></div>
  <form id="form">
    <textarea id="input" rows="1" required aria-describedby="draft"></textarea>
    <button id="send" type="submit"></button>
  </form>
  <div class="draft" id="draft" hidden aria-live="polite"><span id="draft-note"></span><span class="limit" id="draft-count"></span></div>
</div>
<script>
(() => {
  const SETTINGS = __SETTINGS__;
  const UI = {
    kk: { subtitle: 'Мемлекеттік қызметтер бойынша анықтамашы', placeholder: 'Сұрағыңызды жазыңыз…', send: 'Жіберу', typing: 'Көмек жазып жатыр…', relayed: '✓ Операторға жеткізілді', operator: 'оператор', offline: 'Байланыс үзілді, қайта қосылуда…', failed: 'Жіберілмеді, қайталап көріңіз.', busy: 'Қазір сұрақтар өте көп, сәлден соң қайта жіберіледі…' },
    ru: { subtitle: 'Помощник по государственным услугам', placeholder: 'Напишите ваш вопрос…', send: 'Отправить', typing: 'Кёмек печатает…', relayed: '✓ Передано оператору', operator: 'оператор', offline: 'Нет связи, переподключаемся…', failed: 'Не отправлено, попробуйте ещё раз.', busy: 'Сейчас очень много вопросов, отправим повторно через несколько секунд…' },
    en: { subtitle: 'Assistant for government services', placeholder: 'Type your question…', send: 'Send', typing: 'Kömek is typing…', relayed: '✓ Delivered to the operator', operator: 'operator', offline: 'Connection lost, reconnecting…', failed: 'Not sent, please try again.', busy: 'Many questions right now; sending again in a few seconds…' },
  };
  const $ = (id) => document.getElementById(id);
  const log = $('log'), input = $('input'), form = $('form'), status = $('status'), draft = $('draft');
  // Ids of messages this page showed as it sent them: their echo on the stream is not shown twice.
  const shown = new Set();
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2)).replace(/[^A-Za-z0-9_-]/g, '');
  let session = localStorage.getItem('komek.session');
  const firstVisit = !session;
  if (!session) { session = newId(); localStorage.setItem('komek.session', session); }
  const browser = (navigator.language || 'kk').slice(0, 2);
  let lang = localStorage.getItem('komek.lang') || (UI[browser] ? browser : 'kk');
  let typing, typingTimer;
  // A reply normally ends "typing…"; should none come (a worker down, a message lost), the
  // indicator still goes after this long instead of promising an answer for ever.
  const TYPING_MAX_MS = 20000;

  function applyLang() {
    const t = UI[lang];
    document.documentElement.lang = lang;
    $('subtitle').textContent = t.subtitle;
    input.placeholder = t.placeholder;
    $('send').textContent = t.send;
    document.querySelectorAll('.langs button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
    countDraft();
  }

  // Counted as the server counts (code points of the trimmed text), so the page never sends what
  // the bot would refuse; shown from 80% of the limit, and the send button is off while over.
  const length = (text) => [...text.trim()].length;
  function countDraft() {
    const n = length(input.value), over = n > SETTINGS.maxChars;
    draft.hidden = n < SETTINGS.maxChars * 0.8;
    draft.classList.toggle('over', over);
    input.classList.toggle('over', over);
    input.setAttribute('aria-invalid', String(over));
    $('draft-count').textContent = n + ' / ' + SETTINGS.maxChars;
    $('draft-note').textContent = over ? SETTINGS.tooLong[lang] : '';
    $('send').disabled = over;
    return !over;
  }

  function linkify(el, text) {
    for (const part of text.split(/(https?:\\/\\/[^\\s]+)/g)) {
      if (/^https?:\\/\\//.test(part)) { const a = document.createElement('a'); a.href = part; a.textContent = part; a.target = '_blank'; a.rel = 'noopener'; el.append(a); }
      else el.append(document.createTextNode(part));
    }
  }

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

  async function send(text, button, silent) {
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

  document.querySelectorAll('.langs button').forEach((b) => (b.onclick = () => {
    lang = b.dataset.lang; localStorage.setItem('komek.lang', lang); applyLang(); send(b.textContent, 'l:' + lang, true);
  }));
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
</script>
</body>
</html>
`;
