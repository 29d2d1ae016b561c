// Interface strings of the console in Kazakh, Russian and English. Kazakh is the default, as in
// the rest of Kömek; the choice is remembered per browser.
/** @type {Record<string, Record<string, string>>} */
const STRINGS = {
  kk: {
    consoleTitle: 'Оператор консолі', username: 'Пайдаланушы аты', password: 'Құпиясөз', signIn: 'Кіру', signOut: 'Шығу',
    wrongLogin: 'Пайдаланушы аты немесе құпиясөз қате.', throttled: 'Тым көп әрекет. {s} секундтан кейін қайталаңыз.', networkError: 'Серверге қосылу мүмкін болмады.',
    navQueue: 'Кезек', navKb: 'Білім базасы', navUnanswered: 'Жауапсыз', navAnalytics: 'Аналитика', navAudit: 'Аудит',
    waiting: 'Күтуде', inProgress: 'Жұмыста', mine: 'Менікі', noWaiting: 'Күтіп тұрған сөйлесу жоқ. Жаңасы келсе, осы жерде бірден пайда болады.',
    selectConversation: 'Сол жақтан сөйлесуді таңдаңыз.', waited: 'күтті', waitingFor: 'күтуде', with: 'оператор:',
    claim: 'Алу', transfer: 'Басқа операторға беру', returnToBot: 'Ботқа қайтару', close: 'Аяқтау', send: 'Жіберу',
    replyPlaceholder: 'Азаматқа жауап жазыңыз… (Ctrl+Enter — жіберу)', canned: 'Дайын жауаптар', claimFirst: 'Жауап беру үшін алдымен сөйлесуді алыңыз.',
    citizen: 'Азамат', bot: 'Бот', system: 'Жүйе', usedEntry: 'Жазба', score: 'сенімділік',
    claimed: 'Сөйлесу сізде.', alreadyClaimed: 'Бұл сөйлесуді басқа оператор алып қойды.', sent: 'Жіберілді.', returned: 'Сөйлесу ботқа қайтарылды.', closed: 'Сөйлесу аяқталды, азаматтан баға сұралды.',
    transferred: 'Сөйлесу берілді.', chooseOperator: 'Операторды таңдаңыз', cancel: 'Болдырмау', confirmClose: 'Сөйлесуді аяқтап, азаматтан баға сұрау керек пе?',
    live: 'Тікелей', offline: 'Байланыс жоқ', back: 'Артқа', shortcuts: 'Пернелер: J/K — тізім, Enter — ашу, C — алу, R — жауап, Ctrl+Enter — жіберу, / — іздеу',
    channel_telegram: 'Telegram', channel_whatsapp: 'WhatsApp', channel_web: 'Веб-чат', owner_waiting: 'күтуде', owner_operator: 'операторда', owner_bot: 'ботта', owner_closed: 'жабық',
    modelQuality: 'Модель бұл білім қорын қаншалықты біледі', modelOk: 'жақсы', modelWeak: 'әлсіз', modelLoading: 'Модель әлі жүктелуде…', modelNoCheck: 'Бұл модель өзін тексермей оқытылған: білім қорын қайта оқытыңыз.', heldOutTop1: 'жасырын сұрақтарда бірінші орын', answeredRight: 'дұрыс жауап', answeredWrong: 'қате жауап', lexical: 'сөз бойынша іздеу', fewPhrasings: 'Тұжырымдары аз жазбалар — балама сұрақтар қосыңыз', confusions: 'Модель шатастыратын жазбалар',
    search: 'Іздеу…', newEntry: 'Жаңа жазба', edit: 'Өңдеу', save: 'Сақтау', disable: 'Өшіру', enable: 'Қосу', disabled: 'өшірулі', history: 'Өзгерістер тарихы',
    question: 'Сұрақ', answer: 'Жауап', altQuestions: 'Балама тұжырымдар (әр жолға біреу)', sourceUrl: 'Дереккөз сілтемесі', category: 'Санат', entryId: 'Идентификатор',
    saved: 'Сақталды. Модель қайта оқытылады.', version: 'нұсқа', by: 'кім', noResults: 'Ештеңе табылмады.', translation: 'Аударма', langKk: 'Қазақша', langRu: 'Орысша', langEn: 'Ағылшынша',
    period: 'Кезең', from: 'Бастап', to: 'Дейін', apply: 'Көрсету', last7: '7 күн', last30: '30 күн', today: 'Бүгін',
    messages: 'Хабарламалар', byChannel: 'Арна бойынша', byLang: 'Тіл бойынша', decisions: 'Бот шешімдері', rate_answer: 'Жауап', rate_clarify: 'Нақтылау', rate_fallback: 'Жауап жоқ', rate_escalate: 'Операторға', rate_acknowledged: 'Қабылданды', 'rate_already-waiting': 'Кезекте', 'rate_left-queue': 'Кезектен шықты', 'rate_operator-joined': 'Оператор қосылды',
    waitTime: 'Операторды күту', median: 'медиана', p90: '90-процентиль', claims: 'алынған сөйлесу', ratings: 'Бағалар', average: 'орташа', feedback: 'Пікір', perDay: 'Күн бойынша',
    timesAsked: 'рет сұралды', operatorAnswer: 'Оператордың жауабы', makeEntry: 'Жаңа жазба жасау', addAsPhrasing: 'Балама тұжырым ретінде қосу', to_entry: 'жазбаға', noUnanswered: 'Бұл кезеңде жауапсыз сұрақ жоқ.', added: 'Қосылды.',
    when: 'Уақыты', who: 'Кім', action: 'Әрекет', target: 'Нысан', details: 'Толығырақ', more: 'Тағы', sessionEnded: 'Сессия аяқталды. Қайта кіріңіз.', error: 'Қате',
    sysClaimed: '{name} сөйлесуді алды', sysTransferred: 'Сөйлесу {name} операторына берілді', ownedByOther: 'Бұл сөйлесумен басқа оператор жұмыс істеп жатыр.',
    act_greeting: 'Сәлемдесу', act_thanks: 'Алғыс', act_unsupported: 'Мәтін емес', 'act_too-long': 'Тым ұзын', act_empty: 'Бос хабарлама', act_feedback: 'Пікір', act_rating: 'Баға', act_language: 'Тіл таңдау',
    'act_rate-limited': 'Жиілік шегі', act_relayed: 'Операторға жіберілді', act_duplicate: 'Қайталау', 'act_returned-to-bot': 'Ботқа қайтарылды', 'act_rate-request': 'Баға сұрау',
    audit_login: 'Кіру', audit_logout: 'Шығу', audit_claim: 'Сөйлесуді алу', audit_reply: 'Жауап', audit_transfer: 'Беру', 'audit_return-to-bot': 'Ботқа қайтару', audit_close: 'Аяқтау',
    'audit_canned-create': 'Дайын жауап қосылды', 'audit_canned-delete': 'Дайын жауап жойылды', 'audit_first-admin': 'Бірінші әкімші', 'audit_kb-create': 'Жазба жасалды', 'audit_kb-update': 'Жазба өзгертілді',
    'audit_kb-enable': 'Жазба қосылды', 'audit_kb-disable': 'Жазба өшірілді', 'audit_kb-add-phrasing': 'Тұжырым қосылды', hist_create: 'жасалды', hist_update: 'өзгертілді', hist_delete: 'жойылды',
    sysOpened: 'Азамат чатты ашты',
    setupTitle: 'Бірінші әкімші', setupIntro: 'Консольде әлі бірде-бір тіркелгі жоқ. Бірінші әкімшіні жасаңыз; қалған тіркелгілерді әкімшілер қосады.', displayName: 'Әріптестерге көрінетін аты', repeatPassword: 'Құпиясөзді қайталаңыз', createAdmin: 'Жасау және кіру',
    setupNoToken: 'Бұл сілтеме жарамсыз. Kömek іске қосылғанда терминалда басылған сілтемені ашыңыз немесе `komek operator add USERNAME --role admin` командасын орындаңыз.', passwordsDiffer: 'Құпиясөздер сәйкес емес.', setupDone: 'Тіркелгі бұрыннан бар. Кіру бетіне өтіңіз.',
  },
  ru: {
    consoleTitle: 'Консоль оператора', username: 'Имя пользователя', password: 'Пароль', signIn: 'Войти', signOut: 'Выйти',
    wrongLogin: 'Неверное имя пользователя или пароль.', throttled: 'Слишком много попыток. Повторите через {s} с.', networkError: 'Не удалось связаться с сервером.',
    navQueue: 'Очередь', navKb: 'База знаний', navUnanswered: 'Без ответа', navAnalytics: 'Аналитика', navAudit: 'Журнал',
    waiting: 'Ожидают', inProgress: 'В работе', mine: 'Мои', noWaiting: 'Ожидающих обращений нет. Новые появятся здесь сразу.',
    selectConversation: 'Выберите обращение слева.', waited: 'ждал(а)', waitingFor: 'ждёт', with: 'оператор:',
    claim: 'Взять', transfer: 'Передать другому', returnToBot: 'Вернуть боту', close: 'Завершить', send: 'Отправить',
    replyPlaceholder: 'Ответ гражданину… (Ctrl+Enter — отправить)', canned: 'Шаблоны', claimFirst: 'Чтобы ответить, сначала возьмите обращение.',
    citizen: 'Гражданин', bot: 'Бот', system: 'Система', usedEntry: 'Запись', score: 'уверенность',
    claimed: 'Обращение ваше.', alreadyClaimed: 'Это обращение уже взял другой оператор.', sent: 'Отправлено.', returned: 'Обращение возвращено боту.', closed: 'Обращение завершено, гражданину отправлен запрос оценки.',
    transferred: 'Обращение передано.', chooseOperator: 'Выберите оператора', cancel: 'Отмена', confirmClose: 'Завершить обращение и попросить гражданина оценить помощь?',
    live: 'В сети', offline: 'Нет связи', back: 'Назад', shortcuts: 'Клавиши: J/K — список, Enter — открыть, C — взять, R — ответ, Ctrl+Enter — отправить, / — поиск',
    channel_telegram: 'Telegram', channel_whatsapp: 'WhatsApp', channel_web: 'Веб-чат', owner_waiting: 'ждёт', owner_operator: 'у оператора', owner_bot: 'у бота', owner_closed: 'закрыто',
    modelQuality: 'Насколько модель знает эту базу знаний', modelOk: 'хорошо', modelWeak: 'слабо', modelLoading: 'Модель ещё загружается…', modelNoCheck: 'Эта модель обучена без самопроверки: переобучите её на базе знаний.', heldOutTop1: 'первое место на отложенных вопросах', answeredRight: 'отвечено верно', answeredWrong: 'отвечено неверно', lexical: 'поиск по словам', fewPhrasings: 'Записи с малым числом формулировок — добавьте альтернативные вопросы', confusions: 'Записи, которые модель путает',
    search: 'Поиск…', newEntry: 'Новая запись', edit: 'Изменить', save: 'Сохранить', disable: 'Отключить', enable: 'Включить', disabled: 'отключена', history: 'История изменений',
    question: 'Вопрос', answer: 'Ответ', altQuestions: 'Другие формулировки (по одной в строке)', sourceUrl: 'Ссылка на источник', category: 'Категория', entryId: 'Идентификатор',
    saved: 'Сохранено. Модель будет переобучена.', version: 'версия', by: 'кто', noResults: 'Ничего не найдено.', translation: 'Перевод', langKk: 'Казахский', langRu: 'Русский', langEn: 'Английский',
    period: 'Период', from: 'С', to: 'По', apply: 'Показать', last7: '7 дней', last30: '30 дней', today: 'Сегодня',
    messages: 'Сообщения', byChannel: 'По каналам', byLang: 'По языкам', decisions: 'Решения бота', rate_answer: 'Ответ', rate_clarify: 'Уточнение', rate_fallback: 'Нет ответа', rate_escalate: 'Оператору', rate_acknowledged: 'Принято', 'rate_already-waiting': 'Уже в очереди', 'rate_left-queue': 'Вышел из очереди', 'rate_operator-joined': 'Оператор подключился',
    waitTime: 'Ожидание оператора', median: 'медиана', p90: '90-й процентиль', claims: 'взятых обращений', ratings: 'Оценки', average: 'среднее', feedback: 'Отзывы', perDay: 'По дням',
    timesAsked: 'раз спросили', operatorAnswer: 'Ответ оператора', makeEntry: 'Создать запись', addAsPhrasing: 'Добавить как формулировку', to_entry: 'к записи', noUnanswered: 'За этот период вопросов без ответа нет.', added: 'Добавлено.',
    when: 'Когда', who: 'Кто', action: 'Действие', target: 'Объект', details: 'Подробности', more: 'Ещё', sessionEnded: 'Сессия завершена. Войдите снова.', error: 'Ошибка',
    sysClaimed: '{name} взял(а) обращение', sysTransferred: 'Обращение передано: {name}', ownedByOther: 'С этим обращением работает другой оператор.',
    act_greeting: 'Приветствие', act_thanks: 'Благодарность', act_unsupported: 'Не текст', 'act_too-long': 'Слишком длинное', act_empty: 'Пустое сообщение', act_feedback: 'Отзыв', act_rating: 'Оценка', act_language: 'Выбор языка',
    'act_rate-limited': 'Лимит сообщений', act_relayed: 'Передано оператору', act_duplicate: 'Повтор', 'act_returned-to-bot': 'Возвращено боту', 'act_rate-request': 'Запрос оценки',
    audit_login: 'Вход', audit_logout: 'Выход', audit_claim: 'Взял обращение', audit_reply: 'Ответ', audit_transfer: 'Передача', 'audit_return-to-bot': 'Возврат боту', audit_close: 'Завершение',
    'audit_canned-create': 'Шаблон добавлен', 'audit_canned-delete': 'Шаблон удалён', 'audit_first-admin': 'Первый администратор', 'audit_kb-create': 'Запись создана', 'audit_kb-update': 'Запись изменена',
    'audit_kb-enable': 'Запись включена', 'audit_kb-disable': 'Запись отключена', 'audit_kb-add-phrasing': 'Формулировка добавлена', hist_create: 'создана', hist_update: 'изменена', hist_delete: 'удалена',
    sysOpened: 'Гражданин открыл чат',
    setupTitle: 'Первый администратор', setupIntro: 'В консоли ещё нет ни одной учётной записи. Создайте первого администратора; остальные записи добавляют администраторы.', displayName: 'Имя, которое видят коллеги', repeatPassword: 'Пароль ещё раз', createAdmin: 'Создать и войти',
    setupNoToken: 'Эта ссылка недействительна. Откройте ссылку, которую Kömek напечатал в терминале при запуске, или выполните `komek operator add USERNAME --role admin`.', passwordsDiffer: 'Пароли не совпадают.', setupDone: 'Учётная запись уже есть. Войдите на странице входа.',
  },
  en: {
    consoleTitle: 'Operator console', username: 'Username', password: 'Password', signIn: 'Sign in', signOut: 'Sign out',
    wrongLogin: 'Wrong username or password.', throttled: 'Too many attempts. Try again in {s} s.', networkError: 'Could not reach the server.',
    navQueue: 'Queue', navKb: 'Knowledge base', navUnanswered: 'Unanswered', navAnalytics: 'Analytics', navAudit: 'Audit log',
    waiting: 'Waiting', inProgress: 'In progress', mine: 'Mine', noWaiting: 'Nobody is waiting. New conversations appear here at once.',
    selectConversation: 'Choose a conversation on the left.', waited: 'waited', waitingFor: 'waiting', with: 'operator:',
    claim: 'Claim', transfer: 'Transfer', returnToBot: 'Return to bot', close: 'Close', send: 'Send',
    replyPlaceholder: 'Reply to the citizen… (Ctrl+Enter to send)', canned: 'Canned responses', claimFirst: 'Claim the conversation to reply.',
    citizen: 'Citizen', bot: 'Bot', system: 'System', usedEntry: 'Entry', score: 'confidence',
    claimed: 'The conversation is yours.', alreadyClaimed: 'Another operator has already claimed this conversation.', sent: 'Sent.', returned: 'Returned to the bot.', closed: 'Closed; the citizen was asked for a rating.',
    transferred: 'Transferred.', chooseOperator: 'Choose an operator', cancel: 'Cancel', confirmClose: 'Close the conversation and ask the citizen to rate the help?',
    live: 'Live', offline: 'Offline', back: 'Back', shortcuts: 'Keys: J/K list, Enter open, C claim, R reply, Ctrl+Enter send, / search',
    channel_telegram: 'Telegram', channel_whatsapp: 'WhatsApp', channel_web: 'Web chat', owner_waiting: 'waiting', owner_operator: 'with operator', owner_bot: 'with bot', owner_closed: 'closed',
    modelQuality: 'How well the model knows this knowledge base', modelOk: 'good', modelWeak: 'weak', modelLoading: 'The model is still loading…', modelNoCheck: 'This model was trained before self-checks existed: retrain it on the knowledge base.', heldOutTop1: 'held-out top-1', answeredRight: 'answered right', answeredWrong: 'answered wrong', lexical: 'word search', fewPhrasings: 'Entries with few phrasings — add alternative questions', confusions: 'Entries the model confuses',
    search: 'Search…', newEntry: 'New entry', edit: 'Edit', save: 'Save', disable: 'Disable', enable: 'Enable', disabled: 'disabled', history: 'Change history',
    question: 'Question', answer: 'Answer', altQuestions: 'Other phrasings (one per line)', sourceUrl: 'Source link', category: 'Category', entryId: 'Id',
    saved: 'Saved. The model will be retrained.', version: 'version', by: 'by', noResults: 'Nothing found.', translation: 'Translation', langKk: 'Kazakh', langRu: 'Russian', langEn: 'English',
    period: 'Period', from: 'From', to: 'To', apply: 'Show', last7: '7 days', last30: '30 days', today: 'Today',
    messages: 'Messages', byChannel: 'By channel', byLang: 'By language', decisions: 'Bot decisions', rate_answer: 'Answer', rate_clarify: 'Clarify', rate_fallback: 'Fallback', rate_escalate: 'Escalation', rate_acknowledged: 'Acknowledged', 'rate_already-waiting': 'Already waiting', 'rate_left-queue': 'Left the queue', 'rate_operator-joined': 'Operator joined',
    waitTime: 'Wait for an operator', median: 'median', p90: '90th percentile', claims: 'claimed conversations', ratings: 'Ratings', average: 'average', feedback: 'Feedback', perDay: 'Per day',
    timesAsked: 'times asked', operatorAnswer: 'Operator\'s answer', makeEntry: 'Make a new entry', addAsPhrasing: 'Add as a phrasing', to_entry: 'to entry', noUnanswered: 'No unanswered questions in this period.', added: 'Added.',
    when: 'When', who: 'Who', action: 'Action', target: 'Target', details: 'Details', more: 'More', sessionEnded: 'Your session has ended. Please sign in again.', error: 'Error',
    sysClaimed: '{name} took the conversation', sysTransferred: 'Handed over to {name}', ownedByOther: 'Another operator is handling this conversation.',
    act_greeting: 'Greeting', act_thanks: 'Thanks', act_unsupported: 'Not text', 'act_too-long': 'Too long', act_empty: 'Empty message', act_feedback: 'Feedback', act_rating: 'Rating', act_language: 'Language choice',
    'act_rate-limited': 'Rate limited', act_relayed: 'Relayed', act_duplicate: 'Duplicate', 'act_returned-to-bot': 'Returned to bot', 'act_rate-request': 'Rating request',
    audit_login: 'Sign-in', audit_logout: 'Sign-out', audit_claim: 'Claim', audit_reply: 'Reply', audit_transfer: 'Transfer', 'audit_return-to-bot': 'Return to bot', audit_close: 'Close',
    'audit_canned-create': 'Canned response added', 'audit_canned-delete': 'Canned response deleted', 'audit_first-admin': 'First administrator', 'audit_kb-create': 'Entry created', 'audit_kb-update': 'Entry changed',
    'audit_kb-enable': 'Entry enabled', 'audit_kb-disable': 'Entry disabled', 'audit_kb-add-phrasing': 'Phrasing added', hist_create: 'created', hist_update: 'changed', hist_delete: 'deleted',
    sysOpened: 'The citizen opened the chat',
    setupTitle: 'First administrator', setupIntro: 'No console account exists yet. Create the first administrator; administrators add the other accounts.', displayName: 'Name shown to colleagues', repeatPassword: 'Password again', createAdmin: 'Create and sign in',
    setupNoToken: 'This link is not valid. Open the link Kömek printed in its terminal when it started, or run `komek operator add USERNAME --role admin`.', passwordsDiffer: 'The passwords differ.', setupDone: 'An account already exists. Sign in on the login page.',
  },
};

/** @typedef {'kk' | 'ru' | 'en'} Lang */

/** @type {Lang[]} */
export const LANGS = ['kk', 'ru', 'en'];
const isLang = (/** @type {unknown} */ v) => /** @type {unknown[]} */ (LANGS).includes(v);
const KEY = 'komek.console.lang';

/** @returns {Lang} */
export function getLang() {
  const saved = localStorage.getItem(KEY);
  if (isLang(saved)) return /** @type {Lang} */ (saved);
  const nav = (navigator.language || '').slice(0, 2);
  return isLang(nav) ? /** @type {Lang} */ (nav) : 'kk';
}

/** @param {string} lang */
export function setLang(lang) {
  if (!isLang(lang)) return;
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
}

/**
 * A string in the current language with `{name}` filled in; the key itself if missing.
 * @param {string} key
 * @param {Record<string, unknown>} [vars]
 * @returns {string}
 */
export function t(key, vars = {}) {
  const text = STRINGS[getLang()]?.[key] ?? STRINGS.en?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/**
 * Fills every element that has data-i18n (text) or data-i18n-placeholder / -title / -label.
 * @param {ParentNode} [root]
 */
export function applyI18n(root = document) {
  document.documentElement.lang = getLang();
  // No dom.js here: this module is public (the login page loads it), dom.js is not.
  const all = (/** @type {string} */ selector) => /** @type {HTMLElement[]} */ ([...root.querySelectorAll(selector)]);
  // The selectors guarantee the data attributes are there.
  for (const el of all('[data-i18n]')) el.textContent = t(el.dataset.i18n ?? '');
  for (const el of all('[data-i18n-placeholder]')) /** @type {HTMLInputElement} */ (el).placeholder = t(el.dataset.i18nPlaceholder ?? '');
  for (const el of all('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle ?? '');
  for (const el of all('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel ?? ''));
  for (const el of all('[data-lang]')) el.setAttribute('aria-pressed', String(el.dataset.lang === getLang()));
}

/**
 * A label for a machine name (a bot action, an audit action): `${prefix}${name}` translated, or
 * for the four decisions their `rate_` label; never the raw key in a translated console, and a
 * name added later without a translation is shown readable ("new-thing" → "new thing").
 * @param {string} prefix
 * @param {string} name
 * @returns {string}
 */
export function label(prefix, name) {
  for (const key of [`${prefix}${name}`, `rate_${name}`]) {
    if (STRINGS[getLang()]?.[key] ?? STRINGS.en?.[key]) return t(key);
  }
  return String(name).replace(/[-_]/g, ' ');
}
