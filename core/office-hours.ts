/**
 * Operators' office hours in the deployer's time zone (Asia/Almaty by default), so the citizen is
 * told honestly when a person will answer.
 */

export interface OfficeHours {
  /** "HH:MM" local time. */
  from: string;
  to: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: number[];
  timezone: string;
}

interface LocalTime {
  weekday: number;
  minutes: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function local(now: Date, timezone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { weekday: WEEKDAYS[get('weekday')] ?? 1, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when operators are on duty at `now`. */
export function isOfficeOpen(now: Date, hours: OfficeHours): boolean {
  const { weekday, minutes } = local(now, hours.timezone);
  return hours.days.includes(weekday) && minutes >= toMinutes(hours.from) && minutes < toMinutes(hours.to);
}

/**
 * When operators are next on duty, as a local weekday number and "HH:MM", or undefined when the
 * schedule has no working day at all.
 */
export function nextOpening(now: Date, hours: OfficeHours): { weekday: number; time: string; daysAhead: number } | undefined {
  const { weekday, minutes } = local(now, hours.timezone);
  for (let ahead = 0; ahead <= 7; ahead++) {
    const day = ((weekday - 1 + ahead) % 7) + 1;
    if (!hours.days.includes(day)) continue;
    if (ahead === 0 && minutes >= toMinutes(hours.from)) continue;
    return { weekday: day, time: hours.from, daysAhead: ahead };
  }
  return undefined;
}

const DAY_NAMES: Record<'kk' | 'ru' | 'en', string[]> = {
  kk: ['дүйсенбі', 'сейсенбі', 'сәрсенбі', 'бейсенбі', 'жұма', 'сенбі', 'жексенбі'],
  ru: ['понедельника', 'вторника', 'среды', 'четверга', 'пятницы', 'субботы', 'воскресенья'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};

/** "tomorrow 09:00"-style phrase for the escalation notice. */
export function describeOpening(next: { weekday: number; time: string; daysAhead: number }, lang: 'kk' | 'ru' | 'en'): string {
  if (next.daysAhead === 0) return { kk: `бүгін ${next.time}`, ru: `сегодня ${next.time}`, en: `today ${next.time}` }[lang];
  if (next.daysAhead === 1) return { kk: `ертең ${next.time}`, ru: `завтра ${next.time}`, en: `tomorrow ${next.time}` }[lang];
  const day = DAY_NAMES[lang][next.weekday - 1]!;
  return { kk: `${day} күні ${next.time}`, ru: `${day} ${next.time}`, en: `${day} ${next.time}` }[lang];
}
