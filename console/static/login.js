import { applyI18n, setLang, t } from './i18n.js';

const form = document.getElementById('login-form');
const error = document.getElementById('login-error');

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

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  show('');
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const res = await fetch('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: form.username.value, password: form.password.value }),
      credentials: 'same-origin',
    });
    if (res.ok) {
      location.assign('/console');
      return;
    }
    const body = await res.json().catch(() => ({}));
    show(res.status === 429 ? t('throttled', { s: body.retryAfterSeconds ?? 60 }) : t('wrongLogin'));
    form.password.select();
  } catch {
    show(t('networkError'));
  } finally {
    button.disabled = false;
  }
});
