// The first-administrator page opened from the link Kömek prints on a start with no accounts.
import { applyI18n, setLang, t } from './i18n.js';

// The page's HTML has these; the casts tell the checker which kinds they are.
const form = /** @type {HTMLFormElement} */ (document.getElementById('setup-form'));
const error = /** @type {HTMLElement} */ (document.getElementById('setup-error'));
const input = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
// Read once, then taken out of the address bar so the token is not left in the history.
const token = new URLSearchParams(location.search).get('token') ?? '';
history.replaceState(null, '', location.pathname);

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
if (!token) show(t('setupNoToken'));

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  show('');
  if (input('password').value !== input('repeat').value) {
    show(t('passwordsDiffer'));
    input('repeat').select();
    return;
  }
  const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
  button.disabled = true;
  try {
    const res = await fetch('/api/setup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, username: input('username').value, displayName: input('displayName').value, password: input('password').value }),
      credentials: 'same-origin',
    });
    if (res.ok) {
      location.assign('/console');
      return;
    }
    const body = await res.json().catch(() => ({}));
    if (res.status === 409) show(t('setupDone'));
    else if (res.status === 403) show(t('setupNoToken'));
    else show(body.error ?? t('error'));
  } catch {
    show(t('networkError'));
  } finally {
    button.disabled = false;
  }
});
