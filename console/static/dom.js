// Builds DOM from data without innerHTML, so citizens' text can never become markup.
// Type-checked by tsc through these JSDoc comments (tsconfig's checkJs); there is no build step.

/**
 * What may stand among an element's children: nodes, text, numbers, nested lists, and the
 * nothing-values that are skipped (so `cond && h(...)` works). Lists nest to any depth; their items
 * are typed `unknown`, as a JSDoc type may not refer to itself.
 * @typedef {Node | string | number | null | undefined | false | readonly unknown[]} Child
 */

/**
 * Attributes: `class`, `dataset`, `on<event>` listeners, `value`; the rest become attributes
 * (`true` an empty one; `null`, `undefined` and `false` none).
 * @typedef {Record<string, unknown>} Attrs
 */

/**
 * An HTML element with attributes and children.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs | null} [attrs]
 * @param {Child[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (key === 'value') /** @type {HTMLInputElement} */ (el).value = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/**
 * @template {Element} E
 * @param {E} el
 * @param {Child[]} children
 * @returns {E}
 */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/**
 * An SVG element (charts).
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {Child[]} children
 * @returns {SVGElementTagNameMap[K]}
 */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined && value !== null) el.setAttribute(key, String(value));
  for (const child of children.flat(Infinity)) if (child) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

/**
 * The HTML elements under `root` that match `selector` (the console queries no other kind).
 * @param {string} selector
 * @param {ParentNode} [root]
 * @returns {HTMLElement[]}
 */
export function all(selector, root = document) {
  return /** @type {HTMLElement[]} */ ([...root.querySelectorAll(selector)]);
}

/**
 * The one element with this id, which the page's HTML is known to have.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el;
}

/**
 * @template {Element} E
 * @param {E} el
 * @returns {E}
 */
export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/**
 * @param {string} message
 * @param {'info' | 'ok' | 'error'} [kind]
 */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  if (!box) return; // a page without the toast area (login, setup)
  // The same message twice in a row is one toast, not a stack.
  for (const old of box.children) if (old.textContent === message) old.remove();
  const item = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  box.append(item);
  setTimeout(() => item.classList.add('fade'), 3500);
  setTimeout(() => item.remove(), 4000);
}

/**
 * "3 min", "1 h 05 min", in the interface language's short units.
 * @param {number} ms
 * @param {string} lang
 */
export function duration(ms, lang) {
  /** @type {Record<string, string[]>} */
  const unitsOf = { kk: ['с', 'мин', 'сағ'], ru: ['с', 'мин', 'ч'], en: ['s', 'min', 'h'] };
  const units = unitsOf[lang] ?? ['s', 'min', 'h'];
  const sec = Math.max(0, Math.floor(ms / 1000));
  if (sec < 60) return `${sec} ${units[0]}`;
  const min = Math.floor(sec / 60);
  if (min < 60) return `${min} ${units[1]}`;
  return `${Math.floor(min / 60)} ${units[2]} ${String(min % 60).padStart(2, '0')} ${units[1]}`;
}

/**
 * A clock time (and date) in the interface language.
 * @param {string | number | Date} value
 * @param {string} lang
 */
export function time(value, lang, withDate = false) {
  /** @type {Record<string, string>} */
  const locales = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };
  const locale = locales[lang] ?? 'en-GB';
  /** @type {Intl.DateTimeFormatOptions} */
  const opts = withDate ? { dateStyle: 'short', timeStyle: 'short' } : { timeStyle: 'short' };
  return new Intl.DateTimeFormat(locale, opts).format(new Date(value));
}

/**
 * Replaces the children of `el` (arrays flattened, null/false skipped).
 * @template {Element} E
 * @param {E} el
 * @param {Child[]} children
 * @returns {E}
 */
export function fill(el, ...children) {
  return append(clear(el), children);
}
