/**
 * Every fixed text the assistant says, in Kazakh, Russian and English. Answers themselves come
 * from the knowledge base; these are the frame around them. Kept in one file so a translator can
 * review all three languages side by side.
 */
import type { Lang } from './lang.ts';
import type { MessageKind } from './envelopes.ts';

type Texts = Record<Lang, string>;

export const TEXTS = {
  greeting: {
    kk: 'Сәлеметсіз бе! Мен Көмек — мемлекеттік қызметтер бойынша анықтамашымын. Сұрағыңызды қазақша, орысша немесе ағылшынша жазыңыз, мысалы: «Жеке куәлікті қалай алуға болады?»',
    ru: 'Здравствуйте! Я Кёмек — помощник по государственным услугам. Напишите свой вопрос на казахском, русском или английском, например: «Как получить удостоверение личности?»',
    en: 'Hello! I am Kömek, an assistant for government services. Ask your question in Kazakh, Russian or English, for example: "How do I get an ID card?"',
  },
  chooseLanguage: {
    kk: 'Тілді таңдаңыз / Выберите язык / Choose a language',
    ru: 'Тілді таңдаңыз / Выберите язык / Choose a language',
    en: 'Тілді таңдаңыз / Выберите язык / Choose a language',
  },
  thanksReply: {
    kk: 'Оқасы жоқ! Тағы сұрағыңыз болса, жазыңыз.',
    ru: 'Пожалуйста! Если будут ещё вопросы — пишите.',
    en: 'You are welcome! Write if you have another question.',
  },
  fallback: {
    kk: 'Кешіріңіз, бұл сұраққа менде дайын жауап жоқ. Сұрағыңызды басқаша жазып көріңіз немесе операторға жазылыңыз.',
    ru: 'К сожалению, на этот вопрос у меня нет готового ответа. Попробуйте сформулировать иначе или обратитесь к оператору.',
    en: 'Sorry, I do not have an answer to this question. Try asking in other words, or talk to an operator.',
  },
  clarify: {
    kk: 'Нақтылап жіберіңізші, сіз мына сұрақтардың қайсысын білгіңіз келеді?',
    ru: 'Уточните, пожалуйста, что именно вас интересует?',
    en: 'Could you clarify which of these you mean?',
  },
  source: { kk: 'Дереккөз', ru: 'Источник', en: 'Source' },
  /** Leads a follow-up answered by sentences of the topic's answer, so it is clear what they are about. */
  followUpAbout: { kk: '«{topic}» бойынша:', ru: 'По вопросу «{topic}»:', en: 'On "{topic}":' },
  fullAnswerButton: { kk: 'Толық жауап', ru: 'Полный ответ', en: 'Full answer' },
  /** Leads the whole answer when the follow-up's detail is not stated in it (see pipeline.ts). */
  facetMissing: {
    kk: '«{topic}» туралы жауапта дәл мұны таппадым. Онда айтылғанның бәрі төменде; нақтылау керек болса, оператор анықтап береді.',
    ru: 'В ответе на вопрос «{topic}» я не нашёл именно этого. Ниже всё, что в нём сказано; если нужно уточнить, оператор поможет.',
    en: 'I could not find exactly that in the answer to "{topic}". Below is all it says; an operator can find out the rest.',
  },
  escalated: {
    kk: 'Сізді операторға қостым. Кезектегі орныңыз: {place}, шамамен {wait} мин күтіңіз. Жауап осы чатқа келеді. Күте тұрып маған сұрақ қоя беріңіз — білетінімді бірден айтамын.',
    ru: 'Я передал ваш вопрос оператору. Ваше место в очереди: {place}, ожидание — примерно {wait} мин. Ответ придёт в этот чат. Пока ждёте, спрашивайте меня — на что смогу, отвечу сразу.',
    en: 'I have passed your question to an operator. Your place in the queue: {place}; the wait is about {wait} min. The reply will come to this chat. While you wait, ask me anything — I will answer what I can right away.',
  },
  escalatedAfterHours: {
    kk: 'Сізді операторға қостым. Операторлар қазір жұмыс істемейді, олар {when} бастап жауап береді. Жауап осы чатқа келеді. Күте тұрып маған сұрақ қоя беріңіз — білетінімді бірден айтамын.',
    ru: 'Я передал ваш вопрос оператору. Сейчас операторы не работают, они ответят начиная с {when}. Ответ придёт в этот чат. Пока ждёте, спрашивайте меня — на что смогу, отвечу сразу.',
    en: 'I have passed your question to an operator. Operators are off duty now and will reply from {when}. The reply will come to this chat. While you wait, ask me anything — I will answer what I can right away.',
  },
  stillWaiting: {
    kk: 'Хабарламаңызды операторға жібердім, күте тұрыңыз.',
    ru: 'Ваше сообщение передано оператору, пожалуйста, подождите.',
    en: 'Your message has been passed to the operator, please wait.',
  },
  alreadyWaiting: {
    kk: 'Сіз операторға кезектесіз, ол жақында жауап береді. Хабарламаңызды операторға жібердім.',
    ru: 'Вы уже в очереди к оператору, он скоро ответит. Ваше сообщение передано оператору.',
    en: 'You are already in the queue for an operator, who will reply soon. Your message has been passed on.',
  },
  stillInQueue: {
    kk: 'Сіз оператор кезегінен шыққан жоқсыз. Жауап көмектессе, төмендегі батырманы басыңыз.',
    ru: 'Вы по-прежнему в очереди к оператору. Если ответ помог, нажмите кнопку ниже.',
    en: 'You are still in the queue for an operator. If this answer helped, press the button below.',
  },
  leftQueue: {
    kk: 'Жақсы, сізді оператор кезегінен шығардым. Сұрағыңыз болса, жазыңыз — мен көмектесемін.',
    ru: 'Хорошо, я убрал вас из очереди к оператору. Если будут вопросы — пишите, я помогу.',
    en: 'All right, you have left the queue for an operator. If you have more questions, just write — I will help.',
  },
  operatorAlreadyJoined: {
    kk: 'Оператор чатқа қосылып қойды — хабарламаңызды ол оқиды.',
    ru: 'Оператор уже подключился к чату — ваше сообщение он прочитает.',
    en: 'An operator has already joined the chat and will read your message.',
  },
  operatorJoined: {
    kk: '{name} (оператор) қосылды.',
    ru: 'К вам подключился оператор {name}.',
    en: '{name} (operator) has joined.',
  },
  returnedToBot: {
    kk: 'Оператор сөйлесуді аяқтады. Тағы сұрағыңыз болса, жазыңыз — мен көмектесемін.',
    ru: 'Оператор завершил разговор. Если есть ещё вопросы — пишите, я помогу.',
    en: 'The operator has finished. If you have more questions, just write — I will help.',
  },
  rateHelp: {
    kk: 'Көмекті 1-ден 5-ке дейін бағалаңызшы.',
    ru: 'Оцените, пожалуйста, помощь от 1 до 5.',
    en: 'Please rate the help from 1 to 5.',
  },
  ratingThanks: {
    kk: 'Бағаңызға рахмет!',
    ru: 'Спасибо за оценку!',
    en: 'Thank you for your rating!',
  },
  feedbackThanks: {
    kk: 'Пікіріңізге рахмет!',
    ru: 'Спасибо за отзыв!',
    en: 'Thank you for the feedback!',
  },
  tooLong: {
    kk: 'Хабарлама тым ұзын ({max} таңбадан аспауы керек). Сұрағыңызды қысқаша жазыңызшы.',
    ru: 'Сообщение слишком длинное (не более {max} символов). Пожалуйста, сформулируйте вопрос короче.',
    en: 'The message is too long (at most {max} characters). Please ask your question briefly.',
  },
  /** Shown by the web chat under the box, before sending, while the draft is over the limit. */
  draftTooLong: {
    kk: 'Хабарлама тым ұзын: {max} таңбадан аспауы керек. Қысқартыңыз немесе бірнеше хабарламаға бөліп жіберіңіз.',
    ru: 'Сообщение слишком длинное: не больше {max} символов. Сократите его или отправьте по частям.',
    en: 'The message is too long: at most {max} characters. Shorten it or send it in parts.',
  },
  empty: {
    kk: 'Сұрағыңызды мәтінмен жазыңыз, мысалы: «Төлқұжатты қалай алуға болады?»',
    ru: 'Напишите вопрос текстом, например: «Как получить паспорт?»',
    en: 'Please type your question, for example: "How do I get a passport?"',
  },
  rateLimited: {
    kk: 'Хабарламалар тым жиі келіп жатыр. Бір минуттан кейін қайта жазыңызшы.',
    ru: 'Слишком много сообщений подряд. Пожалуйста, напишите снова через минуту.',
    en: 'Too many messages in a row. Please write again in a minute.',
  },
  error: {
    kk: 'Кешіріңіз, техникалық ақау болды. Сәлден кейін қайталап көріңіз.',
    ru: 'Извините, произошла техническая ошибка. Попробуйте ещё раз чуть позже.',
    en: 'Sorry, something went wrong on our side. Please try again shortly.',
  },
  operatorButton: { kk: 'Операторға жазу', ru: 'Связаться с оператором', en: 'Talk to an operator' },
  leaveQueueButton: { kk: 'Маман керек емес, ботпен жалғастырамын', ru: 'Оператор уже не нужен', en: 'No need for an operator now' },
  usefulButton: { kk: '👍 Пайдалы', ru: '👍 Полезно', en: '👍 Helpful' },
  notUsefulButton: { kk: '👎 Пайдасыз', ru: '👎 Не помогло', en: '👎 Not helpful' },
} satisfies Record<string, Texts>;

export type TextKey = keyof typeof TEXTS;

const UNSUPPORTED: Record<Exclude<MessageKind, 'text'>, Texts> = {
  voice: {
    kk: 'Кешіріңіз, мен дауыстық хабарламаларды әзірге түсінбеймін. Сұрағыңызды мәтінмен жазыңызшы.',
    ru: 'Извините, голосовые сообщения я пока не понимаю. Напишите, пожалуйста, вопрос текстом.',
    en: 'Sorry, I cannot listen to voice messages yet. Please type your question.',
  },
  photo: {
    kk: 'Кешіріңіз, мен суреттерді оқи алмаймын. Сұрағыңызды мәтінмен жазыңызшы.',
    ru: 'Извините, я не умею читать изображения. Напишите, пожалуйста, вопрос текстом.',
    en: 'Sorry, I cannot read images. Please type your question.',
  },
  sticker: {
    kk: 'Стикеріңізге рахмет! Мен тек мәтінді түсінемін — сұрағыңызды жазыңызшы.',
    ru: 'Спасибо за стикер! Я понимаю только текст — напишите, пожалуйста, ваш вопрос.',
    en: 'Thanks for the sticker! I only understand text — please type your question.',
  },
  document: {
    kk: 'Кешіріңіз, мен құжаттарды ашпаймын. Сұрағыңызды мәтінмен жазыңызшы.',
    ru: 'Извините, я не открываю файлы. Напишите, пожалуйста, вопрос текстом.',
    en: 'Sorry, I do not open files. Please type your question.',
  },
  other: {
    kk: 'Кешіріңіз, мен тек мәтіндік хабарламаларды түсінемін. Сұрағыңызды жазыңызшы.',
    ru: 'Извините, я понимаю только текстовые сообщения. Напишите, пожалуйста, ваш вопрос.',
    en: 'Sorry, I only understand text messages. Please type your question.',
  },
};

/** A fixed text in `lang`, with `{name}` placeholders filled from `vars`. */
export function t(key: TextKey, lang: Lang, vars: Record<string, string | number> = {}): string {
  return fill(TEXTS[key][lang], vars);
}

/** The polite reply to a message the bot cannot read (voice, photo, sticker, …). */
export function unsupportedKind(kind: Exclude<MessageKind, 'text'>, lang: Lang): string {
  return UNSUPPORTED[kind][lang];
}

function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
