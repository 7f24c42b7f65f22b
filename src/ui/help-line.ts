import type { HelpLine } from '../config';
import type { Translator } from '../platform/i18n';

/** SVC-1: the FAQ's help line, the default when the app gives none (a page rendered outside a request). */
export const defaultHelpLine: HelpLine = { phone: '3975', hours: { fromDay: 1, toDay: 5, opens: '08:30', closes: '18:00' } };

/** Each language's weekday names, made once: a new Intl.DateTimeFormat on every page was 6 % of a search page's time. */
const weekdayNames = new Map<string, string[]>();

/** A weekday's name, 1 = Monday … 7 = Sunday (1 January 2024 was a Monday). */
function weekday(t: Translator, day: number): string {
  let names = weekdayNames.get(t.locale);
  if (!names) {
    const format = new Intl.DateTimeFormat(t.locale, { weekday: 'long', timeZone: 'UTC' });
    names = Array.from({ length: 7 }, (_, i) => format.format(new Date(Date.UTC(2024, 0, i + 1))));
    weekdayNames.set(t.locale, names);
  }
  return names[day - 1];
}

/** `08:30` as people say it: « 8 h 30 », « 18 h »; "8:30 am", "6 pm". */
function clockTime(t: Translator, time: string): string {
  const [h, m] = time.split(':').map(Number);
  if (t.locale === 'fr') return m ? `${h} h ${String(m).padStart(2, '0')}` : `${h} h`;
  const hour = h % 12 === 0 ? 12 : h % 12;
  return `${hour}${m ? `:${String(m).padStart(2, '0')}` : ''} ${h < 12 ? 'am' : 'pm'}`;
}

/** When the help line answers, in the reader's language: « du lundi au vendredi, de 8 h 30 à 18 h ». */
export function helpLineHours(t: Translator, line: HelpLine): string {
  const { fromDay, toDay, opens, closes } = line.hours;
  const days = fromDay === toDay ? t('layout.helpLine.day', { day: weekday(t, fromDay) }) : t('layout.helpLine.days', { from: weekday(t, fromDay), to: weekday(t, toDay) });
  return t('layout.helpLine.hours', { days, opens: clockTime(t, opens), closes: clockTime(t, closes) });
}

/** The `tel:` address of a number as written (`01 42 76 40 40` → `tel:0142764040`). */
export const telHref = (phone: string) => `tel:${phone.replace(/[ .]/g, '')}`;
