/**
 * Canned responses: short ready replies in kk/ru/en an operator inserts and edits before sending.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Lang } from '../core/lang.ts';
import type { Db } from './client.ts';
import { isUuid } from './raw-sql.ts';
import { cannedResponses } from './schema.ts';

export interface CannedResponse {
  id: string;
  lang: Lang;
  title: string;
  text: string;
}

/** What a fresh installation starts with, so the console is useful on day one. */
export const DEFAULT_CANNED: Omit<CannedResponse, 'id'>[] = [
  { lang: 'kk', title: 'Сәлемдесу', text: 'Сәлеметсіз бе! Мен оператормын, сұрағыңызды қарап жатырмын.' },
  { lang: 'kk', title: 'Күте тұрыңыз', text: 'Бір минут күте тұрыңызшы, ақпаратты тексеріп жатырмын.' },
  { lang: 'kk', title: 'ХҚКО', text: 'Бұл қызметті жеке куәлікпен кез келген ХҚКО-дан (халыққа қызмет көрсету орталығы) алуға болады.' },
  { lang: 'kk', title: 'Қоштасу', text: 'Хабарласқаныңызға рахмет! Тағы сұрағыңыз болса, жазыңыз.' },
  { lang: 'ru', title: 'Приветствие', text: 'Здравствуйте! Я оператор, уже смотрю ваш вопрос.' },
  { lang: 'ru', title: 'Подождите', text: 'Минуту, пожалуйста, я уточняю информацию.' },
  { lang: 'ru', title: 'ЦОН', text: 'Эту услугу можно получить в любом ЦОНе (центре обслуживания населения) с удостоверением личности.' },
  { lang: 'ru', title: 'Прощание', text: 'Спасибо за обращение! Если появятся вопросы — пишите.' },
  { lang: 'en', title: 'Greeting', text: 'Hello! I am an operator and I am looking at your question now.' },
  { lang: 'en', title: 'Please wait', text: 'One moment, please, I am checking the details.' },
  { lang: 'en', title: 'PSC', text: 'You can get this service at any Public Service Centre (PSC) with your ID card.' },
  { lang: 'en', title: 'Goodbye', text: 'Thank you for contacting us! Write again if you have more questions.' },
];

export function createOperatorCanned(db: Db) {
  async function list(lang?: Lang): Promise<CannedResponse[]> {
    const found = await db
      .select()
      .from(cannedResponses)
      .where(lang ? eq(cannedResponses.lang, lang) : undefined)
      .orderBy(asc(cannedResponses.lang), asc(cannedResponses.createdAt), asc(cannedResponses.title));
    return found.map((r) => ({ id: r.id, lang: r.lang as Lang, title: r.title, text: r.text }));
  }

  async function add(input: Omit<CannedResponse, 'id'>): Promise<CannedResponse> {
    const [r] = await db.insert(cannedResponses).values(input).returning();
    return { id: r!.id, lang: r!.lang as Lang, title: r!.title, text: r!.text };
  }

  async function remove(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return (await db.delete(cannedResponses).where(and(eq(cannedResponses.id, id))).returning({ id: cannedResponses.id })).length === 1;
  }

  /** Inserts {@link DEFAULT_CANNED} into an empty table; a deployer's own list is left alone. */
  async function seedIfEmpty(): Promise<number> {
    const any = await db.select({ id: cannedResponses.id }).from(cannedResponses).limit(1);
    if (any.length > 0) return 0;
    // Spread creation times so the seeded order (greeting … goodbye) survives sorting.
    const base = Date.now();
    await db.insert(cannedResponses).values(DEFAULT_CANNED.map((c, i) => ({ ...c, createdAt: new Date(base + i) })));
    return DEFAULT_CANNED.length;
  }

  return { list, add, remove, seedIfEmpty };
}

export type OperatorCanned = ReturnType<typeof createOperatorCanned>;
