import type { MessageKey, Translator } from '../../platform/i18n';
import { money } from '../../ui/format';
import { acceptanceRate, attendanceRate, fillRate, type Counts } from './figures.rules';

/**
 * SVC-6: the columns of every figures table — the page's, the CSV's and the workbook's alike:
 * each with its head (a message key), its raw value for a spreadsheet (a number: whole percent,
 * euros; empty when there is nothing to divide by) and its text for the page.
 */
export interface Column {
  key: string;
  label: MessageKey;
  value: (c: Counts) => number | null;
  kind: 'count' | 'percent' | 'money';
}

const count = (key: keyof Counts, label: MessageKey): Column => ({ key, label, value: (c) => c[key], kind: 'count' });
const euros = (key: keyof Counts, label: MessageKey): Column => ({ key, label, value: (c) => c[key] / 100, kind: 'money' });

export const columns: readonly Column[] = [
  count('sessions', 'fig.col.sessions'),
  count('capacity', 'fig.col.capacity'),
  count('applications', 'fig.col.applications'),
  count('accepted', 'fig.col.accepted'),
  count('refused', 'fig.col.refused'),
  { key: 'acceptanceRate', label: 'fig.col.acceptanceRate', value: acceptanceRate, kind: 'percent' },
  count('waitlisted', 'fig.col.waitlisted'),
  count('waiting', 'fig.col.waiting'),
  count('offersMade', 'fig.col.offersMade'),
  count('offersOpen', 'fig.col.offersOpen'),
  count('holding', 'fig.col.holding'),
  { key: 'fillRate', label: 'fig.col.fillRate', value: fillRate, kind: 'percent' },
  count('paidCount', 'fig.col.paidCount'),
  euros('paidCents', 'fig.col.paidSum'),
  count('fullCount', 'fig.col.fullCount'),
  euros('fullCents', 'fig.col.fullSum'),
  count('halfCount', 'fig.col.halfCount'),
  euros('halfCents', 'fig.col.halfSum'),
  count('refundsGranted', 'fig.col.refundsGranted'),
  euros('grantedCents', 'fig.col.grantedSum'),
  count('refundsPaid', 'fig.col.refundsPaid'),
  euros('refundedCents', 'fig.col.refundedSum'),
  { key: 'attendance', label: 'fig.col.attendance', value: attendanceRate, kind: 'percent' },
  count('attendanceCertificates', 'fig.col.attendanceCertificates'),
  count('skillsCertificates', 'fig.col.skillsCertificates'),
];

const numberFormats = new Map<string, Intl.NumberFormat>();
/** A whole number as the reader writes it (20 000 in French, 20,000 in English). */
export function whole(t: Translator, n: number): string {
  let format = numberFormats.get(t.locale);
  if (!format) numberFormats.set(t.locale, (format = new Intl.NumberFormat(t.locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 0 })));
  return format.format(n);
}

export const percentText = (t: Translator, value: number | null): string => (value === null ? t('fig.noValue') : t('fig.percent', { value: whole(t, value) }));

/** A column's value as the page shows it. */
export function cellText(t: Translator, column: Column, c: Counts): string {
  const value = column.value(c);
  if (value === null) return t('fig.noValue');
  if (column.kind === 'percent') return percentText(t, value);
  if (column.kind === 'money') return money(t, Math.round(value * 100));
  return whole(t, value);
}
