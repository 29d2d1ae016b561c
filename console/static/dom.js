// Builds DOM from data without innerHTML, so citizens' text can never become markup.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** An SVG element (charts). */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined && value !== null) el.setAttribute(key, String(value));
  for (const child of children.flat(Infinity)) if (child) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  // The same message twice in a row is one toast, not a stack.
  for (const old of box.children) if (old.textContent === message) old.remove();
  const item = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  box.append(item);
  setTimeout(() => item.classList.add('fade'), 3500);
  setTimeout(() => item.remove(), 4000);
}

/** "3 min", "1 h 05 min", in the interface language's short units. */
export function duration(ms, lang) {
  const units = { kk: ['с', 'мин', 'сағ'], ru: ['с', 'мин', 'ч'], en: ['s', 'min', 'h'] }[lang] ?? ['s', 'min', 'h'];
  const sec = Math.max(0, Math.floor(ms / 1000));
  if (sec < 60) return `${sec} ${units[0]}`;
  const min = Math.floor(sec / 60);
  if (min < 60) return `${min} ${units[1]}`;
  return `${Math.floor(min / 60)} ${units[2]} ${String(min % 60).padStart(2, '0')} ${units[1]}`;
}

export function time(value, lang, withDate = false) {
  const locale = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' }[lang] ?? 'en-GB';
  const opts = withDate ? { dateStyle: 'short', timeStyle: 'short' } : { timeStyle: 'short' };
  return new Intl.DateTimeFormat(locale, opts).format(new Date(value));
}

/** Replaces the children of `el` (arrays flattened, null/false skipped). */
export function fill(el, ...children) {
  return append(clear(el), children);
}
