import type { MessageKey, Translator } from '../../../platform/i18n';
import type { Slot } from '../catalogue.rules';

/** Weekday names from Intl (1 = Monday), capitalised for lists. */
export function weekdayName(t: Translator, weekday: number): string {
  const name = new Intl.DateTimeFormat(t.locale === 'fr' ? 'fr-FR' : 'en-GB', { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, 0, weekday)), // 2024-01-01 was a Monday
  );
  return name.charAt(0).toUpperCase() + name.slice(1);
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

export function money(t: Translator, cents: number): string {
  return new Intl.NumberFormat(t.locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

export const key = (k: string) => k as MessageKey;
