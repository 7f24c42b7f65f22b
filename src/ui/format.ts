import type { MessageKey, Translator } from '../platform/i18n';
import { weekdays, type Slot } from '../domain/vocabulary';

const weekdayNames = new Map<string, string[]>();

/** Weekday names from Intl (1 = Monday), capitalised for lists; built once per language. */
export function weekdayName(t: Translator, weekday: number): string {
  let names = weekdayNames.get(t.locale);
  if (!names) {
    const format = new Intl.DateTimeFormat(t.locale === 'fr' ? 'fr-FR' : 'en-GB', { weekday: 'long', timeZone: 'UTC' });
    // 2024-01-01 was a Monday.
    names = weekdays.map((d) => format.format(new Date(Date.UTC(2024, 0, d)))).map((n) => n.charAt(0).toUpperCase() + n.slice(1));
    weekdayNames.set(t.locale, names);
  }
  return names[weekday - 1];
}

function time(t: Translator, hhmm: string): string {
  const [h, m] = hhmm.split(':');
  return t.locale === 'fr' ? `${Number(h)} h ${m === '00' ? '' : m}`.trim() : `${h}:${m}`;
}

export function slotText(t: Translator, slot: Slot): string {
  return t('slot', { day: weekdayName(t, slot.weekday), from: time(t, slot.startsAt), to: time(t, slot.endsAt) });
}

export function arrondissementText(t: Translator, n: number | null, area: string | null = null): string {
  if (n === null) return area ?? '';
  return n === 1 ? t('arrondissement.1') : t('arrondissement.n', { n });
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

export function money(t: Translator, cents: number): string {
  let format = moneyFormats.get(t.locale);
  if (!format) moneyFormats.set(t.locale, (format = new Intl.NumberFormat(t.locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: 'EUR' })));
  return format.format(cents / 100);
}

export const key = (k: string) => k as MessageKey;
