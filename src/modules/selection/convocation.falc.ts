import { createEvents, type EventAttributes } from 'ics';
import type { ConvocationKind } from '../../domain/vocabulary';
import { foldOctets } from '../../platform/ics';
import type { Translator } from '../../platform/i18n';
import type { EmailAttachment } from '../../platform/outbox';
import { falcText, type FalcDocument } from './falc.rules';

/** What a convocation's easy-read version and calendar file say. */
export interface ConvocationFacts {
  applicationId: string;
  kind: ConvocationKind;
  at: Date;
  minutes: number;
  place: string;
  title: string;
  schoolName: string;
  /** The calendar file's version: 0, then one more at each new convocation (SVC-7). */
  sequence: number;
  /** The easy-read page, `${baseUrl}/convocation/<token>/facile`. */
  easyReadUrl: string;
  /** A cancelled convocation (the learner withdrew, was absent…) says so. */
  cancelled?: boolean;
}

/** SVC-7: how long the convocation lasts, in words ("2 heures", "1 heure et 30 minutes", "45 minutes"). */
export function durationText(t: Translator, minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const h = hours ? t.plural('sel.falc.hours', hours) : '';
  const m = rest ? t('sel.falc.minutes', { count: rest }) : '';
  return h && m ? t('sel.falc.hoursMinutes', { hours: h, minutes: m }) : h || m;
}

/** The day and time written in full: "mardi 12 janvier 2027 à 9 h 30", "Tuesday 12 January 2027 at 9:30 am". */
export function falcDate(t: Translator, at: Date): string {
  const language = t.locale === 'fr' ? 'fr-FR' : 'en-GB';
  // No comma after the weekday (one idea, one comma at most): "Tuesday 12 January 2027".
  const day = new Intl.DateTimeFormat(language, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(at).replace(',', '');
  const parts = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Paris' }).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')!.value);
  const minute = parts.find((p) => p.type === 'minute')!.value;
  const time =
    t.locale === 'fr'
      ? `${hour} h${minute === '00' ? '' : ` ${minute}`}`
      : `${hour % 12 || 12}${minute === '00' ? '' : `:${minute}`} ${hour < 12 ? 'am' : 'pm'}`;
  return t('sel.falc.at', { day: t.locale === 'fr' ? day.replace(/^(\p{L}+) 1 /u, '$1 1er ') : day, time });
}

/**
 * SVC-7: the convocation in easy-to-read words (FALC): the course, why one comes, the date, the
 * place and what to bring each on a large line of its own, then what the convocation means —
 * in short sentences of one idea each (falc.rules.ts checks them).
 */
export function falcConvocation(t: Translator, facts: Omit<ConvocationFacts, 'sequence' | 'easyReadUrl' | 'applicationId'>): FalcDocument {
  const kind = facts.kind;
  if (facts.cancelled) {
    return {
      title: t(`sel.falc.title.${kind}`),
      blocks: [
        { text: t('sel.falc.cancelled') },
        { text: t('sel.falc.cancelledWhy') },
        { label: t('sel.falc.course'), value: facts.title },
        { label: t('sel.falc.when'), value: falcDate(t, facts.at), key: 'date', large: true },
        { label: t('sel.falc.where'), value: facts.place, key: 'place', large: true },
        { label: t('sel.falc.bring'), value: [t('sel.falc.bring.id')], key: 'bring', large: true },
      ],
    };
  }
  return {
    title: t(`sel.falc.title.${kind}`),
    blocks: [
      { text: t('sel.falc.intro') },
      { label: t('sel.falc.course'), value: facts.title },
      { text: t(`sel.falc.why.${kind}`) },
      { text: t(`sel.falc.explain.${kind}`) },
      { label: t('sel.falc.when'), value: falcDate(t, facts.at), key: 'date', large: true },
      { text: t('sel.falc.length', { duration: durationText(t, facts.minutes) }) },
      { label: t('sel.falc.school'), value: facts.schoolName },
      { label: t('sel.falc.where'), value: facts.place, key: 'place', large: true },
      { text: t('sel.falc.early') },
      { label: t('sel.falc.bring'), value: [t('sel.falc.bring.id'), t('sel.falc.bring.letter')], key: 'bring', large: true },
      { text: t('sel.falc.idExample') },
      { text: t('sel.falc.yours') },
      { text: t('sel.falc.fixed') },
      { text: t('sel.falc.absent') },
    ],
  };
}

/** The easy-read text the convocation email ends with, and the link to the page in large type. */
export function falcEmailText(t: Translator, facts: ConvocationFacts): string {
  return [t('sel.falc.emailHeading'), '', falcText(falcConvocation(t, facts), t.locale), '', t('sel.falc.emailLink', { url: facts.easyReadUrl })].join('\n');
}

/**
 * SVC-7: the convocation's calendar file (RFC 5545): one event, its start and length, the place
 * and the school; its UID is the convocation's (`convocation-<application>@host`) so that a new
 * convocation (another date) replaces the event in the learner's calendar: same UID, SEQUENCE
 * one more. A cancelled convocation is the same event, STATUS:CANCELLED.
 */
export function convocationIcs(t: Translator, facts: ConvocationFacts, now: Date): string {
  const host = new URL(facts.easyReadUrl).host;
  // `timestamp` (DTSTAMP) is read by the package but missing from its types: the clock's, not the system's.
  const event: EventAttributes & { timestamp: number } = {
    uid: `convocation-${facts.applicationId}@${host}`,
    sequence: facts.sequence,
    start: facts.at.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { hours: Math.floor(facts.minutes / 60), minutes: facts.minutes % 60 },
    title: t('sel.ics.summary', { kind: t(`sel.kindLabel.${facts.kind}`), title: facts.title }),
    description: t('sel.ics.description', { school: facts.schoolName, url: facts.easyReadUrl }),
    location: `${facts.place} (${facts.schoolName})`,
    url: facts.easyReadUrl,
    status: facts.cancelled ? 'CANCELLED' : 'CONFIRMED',
    timestamp: now.getTime(),
  };
  const made = createEvents([event], { productId: '-//Cursus//Convocations//FR', method: 'PUBLISH' });
  if (made.error || !made.value) throw made.error ?? new Error('ics: no calendar');
  return foldOctets(made.value);
}

/** The calendar file as the email carries it. */
export function convocationAttachment(t: Translator, facts: ConvocationFacts, now: Date): EmailAttachment {
  return { filename: 'convocation.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: convocationIcs(t, facts, now) };
}
