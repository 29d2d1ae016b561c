// The first-administrator page opened from the link Kömek prints on a start with no accounts.
import { applyI18n, setLang, t } from './i18n.js';

const form = document.getElementById('setup-form');
const error = document.getElementById('setup-error');
// Read once, then taken out of the address bar so the token is not left in the history.
const token = new URLSearchParams(location.search).get('token') ?? '';
history.replaceState(null, '', location.pathname);

function show(message) {
  error.textContent = message;
  error.hidden = !message;
}

for (const button of document.querySelectorAll('[data-lang]')) {
  button.addEventListener('click', () => {
    setLang(button.dataset.lang);
    applyI18n();
  });
}
applyI18n();
if (!token) show(t('setupNoToken'));

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  show('');
  if (form.password.value !== form.repeat.value) {
    show(t('passwordsDiffer'));
    form.repeat.select();
    return;
  }
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const res = await fetch('/api/setup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, username: form.username.value, displayName: form.displayName.value, password: form.password.value }),
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
