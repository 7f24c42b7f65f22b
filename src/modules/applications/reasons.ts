import type { MessageKey } from '../../platform/i18n';

/**
 * Why an application changed, as its events record it (`application_events.reason`), and the
 * words each one is told in: one vocabulary for every page that tells a learner's story (the
 * applications page, the history). A reason not listed here is shown as the status alone.
 */
export const eventReasons = {
  learner: 'apps.withdrawn.learner',
  absent: 'apps.withdrawn.absent',
  offer_declined: 'apps.withdrawn.offerDeclined',
  offer_expired: 'apps.withdrawn.offerExpired',
  offer_accepted: 'apps.reason.offerAccepted',
  moved_level: 'apps.reason.level',
  moved_day: 'apps.reason.day',
  waiting_list_expired: 'apps.reason.waitingListExpired',
  unpaid: 'apps.reason.unpaid',
  refund: 'apps.reason.refund',
  /** ATT-2: removed by the service after unjustified absences in a row. */
  absences: 'apps.reason.absences',
  /** ATT-2: excluded by the trainer beyond that number. */
  excluded_absences: 'apps.reason.excludedAbsences',
  /** ATT-5: absent from the first meetings after the warning. */
  absent_from_start: 'apps.reason.absentFromStart',
  /** ATT-3 (the school head's own words stay with the staff). */
  conduct: 'apps.reason.conduct',
  /** SVC-2: the service cancelled the session. */
  session_cancelled: 'apps.reason.sessionCancelled',
  /** SVC-5: a counsellor filled in the form's answers with the learner (the status stays). */
  answers: 'apps.reason.answers',
  /** SEL-13: the preference responder accepted the place offered. */
  responder_accepted: 'apps.reason.responderAccepted',
  /** SEL-13: the preference responder gave it up for an application the learner prefers. */
  preference_responder: 'apps.reason.preferenceResponder',
  /** CRED-2: enrolled directly in a unit (the credits profile). */
  enrol_unit: 'apps.reason.enrolUnit',
} as const satisfies Record<string, MessageKey>;
export type EventReason = keyof typeof eventReasons;

/** The words of a recorded reason, if it is one we can tell. */
export const reasonKey = (reason: string | null | undefined): MessageKey | undefined =>
  reason && Object.hasOwn(eventReasons, reason) ? eventReasons[reason as EventReason] : undefined;
