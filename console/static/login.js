import { applyI18n, setLang, t } from './i18n.js';

// The page's HTML has these; the casts tell the checker which kinds they are.
const form = /** @type {HTMLFormElement} */ (document.getElementById('login-form'));
const error = /** @type {HTMLElement} */ (document.getElementById('login-error'));
const input = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));

/** @param {string} message */
function show(message) {
  error.textContent = message;
  error.hidden = !message;
}

for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-lang]'))) {
  button.addEventListener('click', () => {
    setLang(button.dataset.lang ?? '');
    applyI18n();
  });
}
applyI18n();

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  show('');
  const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
  button.disabled = true;
  try {
    const res = await fetch('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: input('username').value, password: input('password').value }),
      credentials: 'same-origin',
    });
    if (res.ok) {
      location.assign('/console');
      return;
    }
    const body = await res.json().catch(() => ({}));
    show(res.status === 429 ? t('throttled', { s: body.retryAfterSeconds ?? 60 }) : t('wrongLogin'));
    input('password').select();
  } catch {
    show(t('networkError'));
  } finally {
    button.disabled = false;
  }
});
