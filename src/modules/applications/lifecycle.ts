import { sql, type SQL, type AnyColumn } from 'drizzle-orm';
import type { MessageKey } from '../../platform/i18n';
import { roles, type FundingSource, type Role } from '../../domain/vocabulary';
import type { Profile } from '../../domain/profile';

/**
 * The application lifecycle, in one place (docs/decisions/007): the named groups of statuses,
 * the transition table (who may move an application from which statuses to which, under which
 * condition, with which effects), `availableActions` for the pages and `refusal` for the
 * services. Services refuse with it, view models show or hide each form with it: a page never
 * re-decides. Payment, attendance and certification add rows here, not new code paths.
 *
 * Pure: no I/O. `transition()` in applications.service.ts writes what a row says.
 */

/**
 * Every state an application can be in (SPEC APP-9, SEL-3, PAY-2); payment, attendance and
 * certification reach the last ones.
 */
export const applicationStatuses = [
  'preselected',
  'confirmed',
  'convoked',
  'waiting_list',
  'accepted',
  'awaiting_payment',
  'enrolled',
  'lack_of_places',
  'withdrawn',
  'cancelled',
  'refused',
  'removed',
  'excluded',
  /** SVC-2: the service cancelled the session. */
  'session_cancelled',
] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

/** Named groups of statuses. TypeScript reads them here and SQL renders them with `statusIn`. */
export const statusGroups = {
  /** SEL-1: waiting for the selection's decision. */
  undecided: ['confirmed', 'convoked'],
  /** APP-9 "being processed": validated and not yet given a place. */
  processing: ['confirmed', 'convoked', 'waiting_list'],
  /** SEL-6: a place of the session is taken (open offers hold places too, in the selection module). */
  holdsPlace: ['accepted', 'awaiting_payment', 'enrolled'],
  /** PAY-1: given a place, not yet enrolled: the school validates, then the learner pays. */
  toEnrol: ['accepted', 'awaiting_payment'],
  /** Over: the application no longer holds a course or a time slot (APP-2, APP-3). */
  closed: ['cancelled', 'refused', 'lack_of_places', 'withdrawn', 'removed', 'excluded', 'session_cancelled'],
  /**
   * APP-5: counts toward the cap of live applications (enrolments count too while their session
   * runs: see `countsTowardCap`).
   */
  cap: ['confirmed', 'convoked', 'waiting_list', 'accepted', 'awaiting_payment'],
  /**
   * ATT-1, ACC-10: closed after holding a place (a withdrawal, a refund, a removal, an exclusion,
   * the session cancelled): the learner may have been marked in registers until then.
   */
  leftPlace: ['withdrawn', 'removed', 'excluded', 'session_cancelled'],
  /** APP-4: not validated by the learner yet: its answers may still be missing (the table's check). */
  unvalidated: ['preselected'],
  /** What staff see of a session's applications: everything the learner has validated. */
  validated: applicationStatuses.filter((s) => s !== 'preselected'),
} as const satisfies Record<string, readonly ApplicationStatus[]>;
export type StatusGroup = keyof typeof statusGroups;

export const inGroup = (group: StatusGroup, status: ApplicationStatus): boolean => (statusGroups[group] as readonly ApplicationStatus[]).includes(status);
export const isLive = (status: ApplicationStatus) => !inGroup('closed', status);

/** Statuses as an SQL list literal, `('a', 'b')`: they are constants, never user input. */
export function statusesSql(statuses: readonly ApplicationStatus[]): SQL {
  if (statuses.length === 0) throw new Error('An empty list of statuses has no SQL form.');
  return sql.raw(`(${statuses.map((s) => `'${s}'`).join(', ')})`);
}

/** The group as an SQL list literal. */
export const statusList = (group: StatusGroup): SQL => statusesSql(statusGroups[group]);

/** `column in (…the group…)`, for every SQL condition on statuses. */
export const statusIn = (column: AnyColumn | SQL, group: StatusGroup): SQL => sql`${column} in ${statusList(group)}`;

/** APP-5: counts toward the cap today (an enrolment until its session's last meeting). */
export function countsTowardCap(app: { status: ApplicationStatus; lastMeeting: string }, today: string): boolean {
  if (app.status === 'enrolled') return app.lastMeeting >= today;
  return inGroup('cap', app.status);
}

export type Section = 'awaiting_payment' | 'preselected' | 'processing' | 'closed';

/**
 * APP-9: the four sections of "my applications and payments". An accepted application is in
 * "awaiting payment" from the start (the real site's "Candidature acceptée à régler"); the
 * "Régler" button comes when the school has validated the enrolment (PAY-1).
 */
export function sectionOf(status: ApplicationStatus): Section {
  if (inGroup('toEnrol', status)) return 'awaiting_payment';
  if (status === 'preselected') return 'preselected';
  if (inGroup('processing', status)) return 'processing';
  return 'closed';
}

/** Who acts: a person with a role, or the service itself (jobs). */
export type ActorRole = Role | 'system';
export interface Actor {
  id: string | null;
  role: ActorRole;
  /** SEL-13: the learner's preference responder acting for them (its events say so). */
  responder?: true;
}
export const systemActor: Actor = { id: null, role: 'system' };
/** SVC-5: a help desk's counsellor acting for a learner who is present and agrees. */
export interface AssistingActor {
  id: string;
  role: 'counsellor';
  consent: true;
}

/** What the guards may look at. The services load what the actions they offer need. */
export interface Facts {
  status: ApplicationStatus;
  /** CAT-6, CERT-6: the period's windows; the priority window opens earlier for learners who passed the level below. */
  period: { applicationsOpenAt: Date; applicationsCloseAt: Date; priorityOpensAt?: Date | null };
  /** CERT-6: this learner passed the level below (certificate of skills and attendance): the priority window is theirs. */
  priority?: boolean;
  /** CERT-3: the learner has used the repeats of this course the policy allows (a further attempt is refused). */
  repeatsUsedUp?: boolean;
  /** SEL-2: the course has an admission test or interview. */
  admissionTest?: boolean;
  /** APP-4: situation, objective and motivations are answered. */
  formComplete?: boolean;
  /** SEL-7, SEL-8: a place offered and not yet answered. */
  offer?: { kind: 'waiting_list' | 'equivalent'; expiresAt: Date } | null;
  /** SEL-3, SEL-4: the convocation and its attendance. */
  convocation?: { attendance: 'present' | 'absent' | null } | null;
  /**
   * SVC-2, APP-7: the service cancelled the session: nobody applies to it any more (a
   * preselection of it is no longer sent, and may be deleted whatever the window).
   */
  sessionCancelled?: boolean;
  /** SEL-10: a change-of-day request waits for a coordinator. */
  changeRequested?: boolean;
  /** PAY-1: the learner attended the convocation, or the session's first meeting has taken place. */
  attended?: boolean;
  /** PAY-1: the course is taught remotely (its trainer validates the enrolment). */
  remote?: boolean;
  /** PAY-1: the payment due, with its due date, and whether the learner was reminded. */
  due?: { dueOn: string; remindedAt: Date | null; paid: boolean } | null;
  /** The day in Paris (YYYY-MM-DD), for the rules that count in days. */
  today?: string;
  /** PAY-9: the payment of this application was received (and not refunded). */
  paid?: boolean;
  /** PAY-2: online payment is configured (else the learner pays at the school). */
  onlinePayment?: boolean;
  /** PAY-6: the half-rate proof sent, by its status (null: none). */
  proof?: 'pending' | 'accepted' | 'refused' | null;
  /**
   * ATT-2, ATT-5: what the learner's absences allow now (attendance.rules `absenceState`): the
   * service's removal after the policy number of unjustified absences in a row, the trainer's
   * exclusion beyond it whatever the reason, the release of a place warned of and still absent.
   */
  absences?: { removable: boolean; excludable: boolean; releasable: boolean };
  /** CERT-1, CERT-2: the course ends with a test, and whether its fixed date has come. */
  evaluation?: { hasEvaluation: boolean; testHeld: boolean; result: 'passed' | 'failed' | 'absent' | null };
  /** CERT-4: a diploma course, and the exemption from general tests asked for (null: none). */
  exemption?: { preparesDiploma: boolean; status: 'pending' | 'granted' | 'refused' | null };
  /** CERT-5: a request for marks waits for an answer. */
  marksRequested?: boolean;
  /** CRED-2: the institution's profile (`config.profile`): enrolment all year is the credits profile's. */
  profile?: Profile;
  /** CRED-2: the session is of a teaching unit (a course with ECTS credits). */
  unit?: boolean;
  /** CRED-2: the session's last meeting is past (enrolment runs until the session ends). */
  sessionEnded?: boolean;
  /** CRED-2, SEL-6: the session's free places now (read under the session's lock). */
  freePlaces?: number;
  /** CRED-5: who pays the enrolment. */
  funding?: FundingSource;
}

export interface Context {
  role: ActorRole;
  now: Date;
}

export type RefusalCode =
  | 'APP-4'
  | 'APP-6'
  | 'APP-7'
  | 'SEL-1'
  | 'SEL-2'
  | 'SEL-4'
  | 'SEL-8'
  | 'SEL-10'
  | 'PAY-1'
  | 'PAY-2'
  | 'PAY-6'
  | 'PAY-9'
  | 'ATT-2'
  | 'ATT-5'
  | 'CERT-1'
  | 'CERT-3'
  | 'CERT-4'
  | 'CERT-5'
  | 'CRED-2'
  | 'SEL-6'
  | 'role'
  | 'status';
export interface Refusal {
  ok: false;
  code: RefusalCode;
  message: MessageKey;
}
const refuse = (code: RefusalCode, message: MessageKey): Refusal => ({ ok: false, code, message });

/**
 * APP-7: applications only while the session's application window is open; CERT-6: from the
 * priority window's opening for a learner who passed the level below.
 */
export function windowOpen(period: Facts['period'], now: Date, priority = false): boolean {
  const opensAt = priority && period.priorityOpensAt && period.priorityOpensAt < period.applicationsOpenAt ? period.priorityOpensAt : period.applicationsOpenAt;
  return now >= opensAt && now < period.applicationsCloseAt;
}
const windowClosed = (f: Facts, now: Date) => now >= f.period.applicationsCloseAt;

const guards = {
  windowOpen: (f: Facts, c: Context) => (windowOpen(f.period, c.now, f.priority) ? null : refuse('APP-7', 'app.refused.closed')),
  /** SVC-2, APP-7: a session the service cancelled takes no application (its window is over for good). */
  sessionOpen: (f: Facts) => (f.sessionCancelled ? refuse('APP-7', 'session.cancelled') : null),
  /** CERT-3: one repeat after a failure; a further attempt at the same course is refused. */
  repeats: (f: Facts) => (f.repeatsUsedUp ? refuse('CERT-3', 'cert.error.repeatLimit') : null),
  /** APP-6: a confirmed application is cancelled in the window, not after: after it one withdraws. */
  cancellable: (f: Facts, c: Context) => (windowOpen(f.period, c.now, f.priority) ? null : refuse('APP-6', 'app.cancel.tooLate')),
  selectionTime: (f: Facts, c: Context) => (windowClosed(f, c.now) ? null : refuse('SEL-1', 'sel.windowOpen')),
  admissionTest: (f: Facts) => (f.admissionTest ? null : refuse('SEL-2', 'sel.error.noEvaluation')),
  /** PAY-1: the school head validates once the learner came; the trainer, only for a remote course. */
  validation: (f: Facts, c: Context) => {
    if (c.role === 'trainer' && !f.remote) return refuse('PAY-1', 'pay.error.trainerRemoteOnly');
    return f.attended ? null : refuse('PAY-1', 'pay.error.notAttended');
  },
  /** PAY-1: past the due date (the second meeting), not yet paid. */
  overdue: (f: Facts) => (f.due && !f.due.paid && f.today !== undefined && f.today > f.due.dueOn ? null : refuse('PAY-1', 'pay.error.notOverdue')),
  /** PAY-1, SEL-8: the place of an unpaid enrolment is released only after the reminder. */
  remindedOverdue: (f: Facts) => guards.overdue(f) ?? (f.due?.remindedAt ? null : refuse('PAY-1', 'pay.error.notReminded')),
  /** PAY-9: refunds concern a payment received. */
  paid: (f: Facts) => (f.paid ? null : refuse('PAY-9', 'pay.error.notPaid')),
  /** PAY-6: a proof is replaced while it waits or was refused; an accepted one stays. */
  proofReplaceable: (f: Facts) => (f.proof === 'accepted' ? refuse('PAY-6', 'proof.error.accepted') : null),
  /** PAY-6: the school decides on a proof sent (and may change its decision until the enrolment is validated). */
  proofSent: (f: Facts) => (f.proof ? null : refuse('PAY-6', 'proof.error.none')),
  /** ATT-2: the service removes after the policy number of unjustified absences in a row. */
  removable: (f: Facts) => (f.absences?.removable ? null : refuse('ATT-2', 'att.error.notRemovable')),
  /** ATT-2: beyond it, whatever the reason, the trainer may exclude. */
  excludable: (f: Facts) => (f.absences?.excludable ? null : refuse('ATT-2', 'att.error.notExcludable')),
  /** ATT-5: warned of absences from the first meetings, and still absent. */
  releasable: (f: Facts) => (f.absences?.releasable ? null : refuse('ATT-5', 'att.error.notReleasable')),
  /** CERT-1: results are entered for a course with an evaluation, once its fixed test date has come. */
  testHeld: (f: Facts) => (f.evaluation?.hasEvaluation && f.evaluation.testHeld ? null : refuse('CERT-1', 'cert.error.noTestYet')),
  /** CERT-5: marks are asked for once there are results, one request at a time. */
  marksKnown: (f: Facts) => (f.evaluation?.result && f.evaluation.result !== 'absent' ? (f.marksRequested ? refuse('CERT-5', 'cert.error.marksPending') : null) : refuse('CERT-5', 'cert.error.noMarks')),
  marksPending: (f: Facts) => (f.marksRequested ? null : refuse('CERT-5', 'cert.error.noMarksRequest')),
  /** CERT-4: a diploma course; the learner declares the diploma while no decision is made. */
  exemptionOpen: (f: Facts) => (!f.exemption?.preparesDiploma ? refuse('CERT-4', 'cert.error.notDiploma') : f.exemption.status === 'granted' || f.exemption.status === 'refused' ? refuse('CERT-4', 'cert.error.exemptionDecided') : null),
  /** CERT-4: staff answer a request once: a decided one stays as it was answered. */
  /**
   * CRED-2: enrolment all year is the credits profile's (the municipal profile applies in
   * registration periods and selects), in a unit's session that has not ended, while it has a
   * free place (SEL-6: the caller counts them under the session's lock).
   */
  enrolAllYear: (f: Facts) => {
    if (f.profile !== 'credits') return refuse('CRED-2', 'cred.enrol.error.profile');
    if (!f.unit) return refuse('CRED-2', 'cred.enrol.error.notUnit');
    if (f.sessionEnded) return refuse('CRED-2', 'cred.enrol.error.ended');
    return (f.freePlaces ?? 0) > 0 ? null : refuse('SEL-6', 'cred.enrol.error.full');
  },
  exemptionAsked: (f: Facts) =>
    f.exemption?.status === 'pending' ? null : refuse('CERT-4', f.exemption?.status ? 'cert.error.exemptionDecided' : 'cert.error.noExemption'),
};

/** Every action on an application. */
export const actions = [
  'preselect',
  'edit',
  'delete',
  'confirm',
  'cancel',
  'withdraw',
  'convoke',
  'attendPresent',
  'attendAbsent',
  'mark',
  'adjust',
  'prerequisites',
  'accept',
  'wait',
  'refuse',
  'acceptOffer',
  'declineOffer',
  'lapseOffer',
  'closeWaitingList',
  'moveLevel',
  'moveDay',
  'requestChange',
  'declineChange',
  'validateEnrolment',
  'pay',
  'enrolOnline',
  'recordPayment',
  'remindPayment',
  'releaseUnpaid',
  'costAttestation',
  'paymentDocuments',
  'replaceCard',
  'uploadProof',
  'decideProof',
  'requestRefund',
  'decideRefund',
  'refundWithdrawal',
  'markAttendance',
  'removeForAbsences',
  'excludeForAbsences',
  'excludeForConduct',
  'releaseAbsent',
  'enterResult',
  'certify',
  'declareDiploma',
  'decideExemption',
  'requestMarks',
  'answerMarks',
  'cancelSession',
  'giveUpForPreference',
  'enrolUnit',
] as const;
export type Action = (typeof actions)[number];

/** The emails of applications (their texts are in the messages). */
export type LearnerEmail =
  | 'confirmed'
  | 'cancelled'
  | 'accepted'
  | 'waiting_list'
  | 'refused'
  | 'convoked'
  | 'offered'
  | 'offer_expired'
  | 'withdrawn'
  | 'moved'
  | 'change_declined'
  | 'enrolment_validated'
  | 'payment_received'
  | 'payment_reminder'
  | 'unpaid_released'
  | 'removed_absences'
  | 'excluded_absences'
  | 'excluded_conduct'
  | 'absent_released'
  /** SEL-7: a place offered in an equivalent course's session. */
  | 'offer_equivalent'
  /** CRED-2: enrolled in a unit (its funding says what comes next). */
  | 'unit_enrolled';

export interface Transition {
  /** The statuses it starts from (none for the creation of a preselection). */
  from: readonly ApplicationStatus[];
  /**
   * The status it leads to: a status, `from` (what staff record without changing the status:
   * a mark, a move keeps it), `deleted` (the row goes), or one chosen by the facts.
   */
  to: ApplicationStatus | 'from' | 'deleted' | ((facts: Facts) => ApplicationStatus);
  roles: readonly ActorRole[];
  /** The condition besides the status and the role: null, or the refusal with its SPEC code. */
  guard?: (facts: Facts, context: Context) => Refusal | null;
  /** Its default email, if any (a caller may give the placeholders, or say none). */
  email?: LearnerEmail;
  /** Gives up what it held: a place (SEL-8) or an open offer; the `placeReleased` hook hears it. */
  releases?: boolean;
  /** The SPEC rules this row implements. */
  spec: string;
}

const staff = {
  select: ['coordinator', 'admin'],
  attend: ['school_head', 'admin'],
  mark: ['trainer', 'coordinator', 'admin'],
  requestChange: ['school_head', 'admin'],
  /** PAY-1: the school head; the trainer for a remote course (the guard checks which). */
  validate: ['school_head', 'trainer', 'admin'],
  /** PAY-3, PAY-4, PAY-6: the school's cash desk, cards and proofs. */
  school: ['school_head', 'admin'],
  /** PAY-9: the central service decides refunds. */
  refunds: ['coordinator', 'admin'],
  /** ATT-1: the trainer keeps the register (the school head may fill it in for an absent trainer). */
  register: ['trainer', 'school_head', 'admin'],
  /** ATT-2: "the service may remove": the central service's coordinators. */
  service: ['coordinator', 'admin'],
  /** ATT-5: staff release the place of a learner warned and still absent. */
  release: ['school_head', 'coordinator', 'admin'],
  /** CERT-4, CERT-5: the school's head and the coordinators answer exemptions and requests for marks. */
  certification: ['school_head', 'coordinator', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

/** The transition table. */
export const transitions: Record<Action, Transition> = {
  preselect: { from: [], to: 'preselected', roles: ['learner', 'counsellor'], guard: (f, c) => guards.sessionOpen(f) ?? guards.repeats(f) ?? guards.windowOpen(f, c), spec: 'APP-1 APP-2 APP-3 APP-7 CERT-3 CERT-6 SVC-2' },
  edit: { from: ['preselected'], to: 'from', roles: ['learner', 'counsellor'], guard: (f) => guards.sessionOpen(f), spec: 'APP-4 APP-6 SVC-2' },
  /** APP-6: while the window is open; SVC-2: the preselection of a cancelled session, whenever (the learner clears it). */
  delete: { from: ['preselected'], to: 'deleted', roles: ['learner', 'counsellor'], guard: (f, c) => (f.sessionCancelled ? null : guards.windowOpen(f, c)), spec: 'APP-6 SVC-2' },
  confirm: {
    from: ['preselected'],
    to: 'confirmed',
    // SVC-5: a help desk's counsellor applies with the learner present (never decides).
    roles: ['learner', 'counsellor'],
    guard: (f, c) => guards.sessionOpen(f) ?? guards.repeats(f) ?? guards.windowOpen(f, c) ?? (f.formComplete === false ? refuse('APP-4', 'field.required') : null),
    email: 'confirmed',
    spec: 'APP-4 APP-5 APP-7 APP-8 CERT-3 CERT-6 SVC-2',
  },
  cancel: { from: ['confirmed'], to: 'cancelled', roles: ['learner'], guard: guards.cancellable, email: 'cancelled', spec: 'APP-6' },
  withdraw: { from: ['convoked', 'waiting_list', 'accepted', 'awaiting_payment'], to: 'withdrawn', roles: ['learner'], email: 'withdrawn', releases: true, spec: 'APP-6 SEL-8' },
  convoke: { from: ['confirmed'], to: 'convoked', roles: staff.select, guard: (f, c) => guards.selectionTime(f, c) ?? guards.admissionTest(f), email: 'convoked', spec: 'SEL-3' },
  attendPresent: {
    from: ['convoked'],
    to: 'from',
    roles: staff.attend,
    guard: (f) => (f.convocation && !f.convocation.attendance ? null : refuse('SEL-4', 'sel.error.notConvoked')),
    spec: 'SEL-4',
  },
  attendAbsent: {
    from: ['convoked'],
    to: 'withdrawn',
    roles: staff.attend,
    guard: (f) => (f.convocation && !f.convocation.attendance ? null : refuse('SEL-4', 'sel.error.notConvoked')),
    email: 'withdrawn',
    releases: true,
    spec: 'SEL-4',
  },
  mark: { from: statusGroups.undecided, to: 'from', roles: staff.mark, guard: guards.admissionTest, spec: 'SEL-2' },
  adjust: { from: statusGroups.undecided, to: 'from', roles: staff.select, spec: 'SEL-2' },
  prerequisites: { from: statusGroups.undecided, to: 'from', roles: staff.select, spec: 'SEL-1' },
  accept: { from: statusGroups.undecided, to: 'accepted', roles: staff.select, guard: guards.selectionTime, email: 'accepted', spec: 'SEL-3 SEL-6' },
  wait: { from: statusGroups.undecided, to: 'waiting_list', roles: staff.select, guard: guards.selectionTime, email: 'waiting_list', spec: 'SEL-3' },
  refuse: { from: statusGroups.undecided, to: 'refused', roles: staff.select, guard: guards.selectionTime, email: 'refused', spec: 'SEL-1 SEL-3' },
  acceptOffer: {
    from: ['waiting_list'],
    to: 'accepted',
    roles: ['learner'],
    guard: (f, c) => (f.offer && c.now < f.offer.expiresAt ? null : refuse('SEL-8', 'apps.offer.expired')),
    email: 'accepted',
    spec: 'SEL-7 SEL-8',
  },
  declineOffer: {
    from: ['waiting_list'],
    // Declining a place from one's own list gives up the application; an equivalent session, not.
    to: (f) => (f.offer?.kind === 'equivalent' ? 'waiting_list' : 'withdrawn'),
    roles: ['learner'],
    guard: (f, c) => (f.offer && c.now < f.offer.expiresAt ? null : refuse('SEL-8', 'apps.offer.expired')),
    releases: true,
    spec: 'SEL-7 SEL-8',
  },
  lapseOffer: {
    from: ['waiting_list'],
    to: (f) => (f.offer?.kind === 'equivalent' ? 'waiting_list' : 'withdrawn'),
    roles: ['system'],
    guard: (f, c) => (f.offer && c.now >= f.offer.expiresAt ? null : refuse('SEL-8', 'apps.offer.expired')),
    email: 'offer_expired',
    releases: true,
    spec: 'SEL-8',
  },
  closeWaitingList: { from: ['waiting_list'], to: 'lack_of_places', roles: ['system'], spec: 'SEL-9' },
  moveLevel: { from: statusGroups.undecided, to: 'from', roles: staff.select, email: 'moved', spec: 'SEL-5' },
  moveDay: { from: statusGroups.holdsPlace, to: 'from', roles: staff.select, email: 'moved', releases: true, spec: 'SEL-10' },
  requestChange: {
    from: statusGroups.holdsPlace,
    to: 'from',
    roles: staff.requestChange,
    guard: (f) => (f.changeRequested ? refuse('SEL-10', 'sel.error.stale') : null),
    spec: 'SEL-10',
  },
  declineChange: {
    from: statusGroups.holdsPlace,
    to: 'from',
    roles: staff.select,
    guard: (f) => (f.changeRequested === false ? refuse('SEL-10', 'sel.error.stale') : null),
    email: 'change_declined',
    spec: 'SEL-10',
  },
  validateEnrolment: { from: ['accepted'], to: 'awaiting_payment', roles: staff.validate, guard: guards.validation, email: 'enrolment_validated', spec: 'PAY-1 PAY-5 PAY-6' },
  /** The learner starts an online payment (or shares a link with a third party, PAY-7): the status waits for the provider. */
  pay: {
    from: ['awaiting_payment'],
    to: 'from',
    roles: ['learner'],
    guard: (f) => (f.onlinePayment === false ? refuse('PAY-2', 'pay.error.offline') : null),
    spec: 'PAY-2 PAY-7',
  },
  enrolOnline: { from: ['awaiting_payment'], to: 'enrolled', roles: ['system'], email: 'payment_received', spec: 'PAY-2 PAY-4' },
  recordPayment: { from: ['awaiting_payment'], to: 'enrolled', roles: staff.school, email: 'payment_received', spec: 'PAY-3 PAY-4 PAY-7' },
  remindPayment: { from: ['awaiting_payment'], to: 'from', roles: ['system'], guard: guards.overdue, email: 'payment_reminder', spec: 'PAY-1' },
  releaseUnpaid: { from: ['awaiting_payment'], to: 'removed', roles: staff.school, guard: guards.remindedOverdue, email: 'unpaid_released', releases: true, spec: 'PAY-1 SEL-8' },
  costAttestation: { from: ['awaiting_payment'], to: 'from', roles: ['learner'], spec: 'PAY-8' },
  paymentDocuments: { from: ['enrolled'], to: 'from', roles: ['learner'], guard: guards.paid, spec: 'PAY-4 PAY-8' },
  replaceCard: { from: ['enrolled'], to: 'from', roles: staff.school, guard: guards.paid, spec: 'PAY-4' },
  /** PAY-6: the learner sends the half-rate proof with the application, until the school validates the enrolment. */
  uploadProof: { from: ['preselected', 'confirmed', 'convoked', 'waiting_list', 'accepted'], to: 'from', roles: ['learner'], guard: (f) => guards.sessionOpen(f) ?? guards.proofReplaceable(f), spec: 'PAY-6 SVC-2' },
  decideProof: { from: ['confirmed', 'convoked', 'waiting_list', 'accepted'], to: 'from', roles: staff.school, guard: guards.proofSent, spec: 'PAY-6' },
  /** PAY-9, ATT-2: a removal (for absences, or of an unpaid place) and an exclusion are never refunded: they are not among the refund rows' statuses. */
  requestRefund: { from: ['enrolled', 'withdrawn'], to: 'from', roles: ['learner'], guard: guards.paid, spec: 'PAY-9' },
  decideRefund: { from: ['enrolled', 'withdrawn'], to: 'from', roles: staff.refunds, guard: guards.paid, spec: 'PAY-9' },
  /** PAY-9: a refund granted while enrolled ends the enrolment; the place goes to the waiting list. */
  refundWithdrawal: { from: ['enrolled'], to: 'withdrawn', roles: staff.refunds, releases: true, spec: 'PAY-9 SEL-8' },
  /** ATT-1: a learner holding a place is marked in a meeting's register (the meeting's own checks are the register's). */
  markAttendance: { from: statusGroups.holdsPlace, to: 'from', roles: staff.register, spec: 'ATT-1' },
  /** ATT-2: removed by the service after the policy number of unjustified absences in a row; no refund; the place goes on (SEL-8). */
  removeForAbsences: { from: statusGroups.holdsPlace, to: 'removed', roles: staff.service, guard: guards.removable, email: 'removed_absences', releases: true, spec: 'ATT-2 SEL-8' },
  /** ATT-2: beyond that number, whatever the reason, the trainer may exclude; no refund. */
  excludeForAbsences: { from: statusGroups.holdsPlace, to: 'excluded', roles: ['trainer', 'admin'], guard: guards.excludable, email: 'excluded_absences', releases: true, spec: 'ATT-2 SEL-8' },
  /** ATT-3: excluded for conduct by the school head, with a reason (the service's route requires it). */
  excludeForConduct: { from: statusGroups.holdsPlace, to: 'excluded', roles: ['school_head', 'admin'], email: 'excluded_conduct', releases: true, spec: 'ATT-3 SEL-8' },
  /** ATT-5: warned of absences from the first meetings and still absent: the place goes to the waiting list, which offers it at once. */
  releaseAbsent: { from: statusGroups.holdsPlace, to: 'removed', roles: staff.release, guard: guards.releasable, email: 'absent_released', releases: true, spec: 'ATT-5 SEL-8' },
  /** CERT-1: the trainer enters the end-of-course test's result (a correction is a new entry). */
  enterResult: { from: ['enrolled'], to: 'from', roles: ['trainer', 'coordinator', 'admin'], guard: guards.testHeld, spec: 'CERT-1 CERT-2' },
  /** ATT-4, CERT-2: the service issues the end-of-course documents (the job, or a coordinator for what is late). */
  certify: { from: ['enrolled'], to: 'from', roles: ['coordinator', 'admin', 'system'], spec: 'ATT-4 CERT-2' },
  /** CERT-4: a learner preparing a diploma declares the higher diploma they hold. */
  declareDiploma: { from: ['preselected', 'confirmed', 'convoked', 'waiting_list', 'accepted', 'awaiting_payment', 'enrolled'], to: 'from', roles: ['learner'], guard: guards.exemptionOpen, spec: 'CERT-4' },
  decideExemption: { from: ['confirmed', 'convoked', 'waiting_list', 'accepted', 'awaiting_payment', 'enrolled'], to: 'from', roles: staff.certification, guard: guards.exemptionAsked, spec: 'CERT-4' },
  /** CERT-5: marks are communicated on request (from the account), answered by staff. */
  requestMarks: { from: ['enrolled'], to: 'from', roles: ['learner'], guard: guards.marksKnown, spec: 'CERT-5' },
  answerMarks: { from: ['enrolled'], to: 'from', roles: staff.certification, guard: guards.marksPending, spec: 'CERT-5' },
  /**
   * SVC-2: the service cancels the session: every live application the learner sent closes with
   * its own status. Not a preselection: a basket never sent is no application (it stays
   * `preselected`, the learner's page says the session is cancelled, `sessionOpen` refuses to
   * send it and the learner may delete it). Not `releases`: no place goes to anyone (the session
   * will not run); the cancellation ends the offers, amounts due and convocations itself, and
   * tells the learners by every channel.
   */
  cancelSession: {
    from: statusGroups.validated.filter((s) => isLive(s)),
    to: 'session_cancelled',
    roles: staff.service,
    spec: 'SVC-2',
  },
  /**
   * SEL-13: the learner's preference responder gives up an application they ranked below one
   * that obtained a place (a withdrawal: its place or offer goes to the next at once). Its
   * statuses are those a preference list may hold (an enrolment, paid, is not given up).
   */
  giveUpForPreference: { from: ['confirmed', 'convoked', 'waiting_list', 'accepted', 'awaiting_payment'], to: 'withdrawn', roles: ['learner'], releases: true, spec: 'SEL-13 SEL-8' },
  /**
   * CRED-2, CRED-5: in the credits profile a learner (SVC-5: or a counsellor with them) enrols
   * directly in a unit's session with a free place, any day until it ends: no registration
   * period, no preselection, no selection. It takes a place at once (the session's lock, the
   * places counted as an acceptance counts them); APP-2, APP-3 and APP-5 are the service's,
   * under the learner's lock. Paid by the learner (`personal`), it awaits payment (PAY-2's path);
   * paid by a funder, it is enrolled at once (docs/decisions/027).
   */
  enrolUnit: {
    from: [],
    to: (f) => (f.funding === undefined || f.funding === 'personal' ? 'awaiting_payment' : 'enrolled'),
    roles: ['learner'],
    guard: (f) => guards.enrolAllYear(f) ?? guards.sessionOpen(f) ?? guards.repeats(f),
    email: 'unit_enrolled',
    spec: 'CRED-2 CRED-5 APP-2 APP-3 APP-5 SEL-6 SVC-2 CERT-3',
  },
};

/** The administrator may do what any staff member may; the table lists the others. */
const allowed = (row: Transition, role: ActorRole) => row.roles.includes(role) || (role === 'admin' && row.roles.some((r) => r !== 'learner' && r !== 'system'));

/** May this role ever take this action (for a page's links and session-wide forms)? */
export const roleMay = (role: ActorRole, action: Action): boolean => allowed(transitions[action], role);

/** The roles that may take an action, for a route's guard (`requireUser(...rolesFor('mark'))`). */
export const rolesFor = (action: Action): Role[] => roles.filter((role) => roleMay(role, action));

/** Null when the action may be taken on this application now; else the refusal, with its code. */
export function refusal(action: Action, facts: Facts, context: Context): Refusal | null {
  const row = transitions[action];
  if (!allowed(row, context.role)) return refuse('role', 'error.forbidden.message');
  // A creation (no `from`) starts from nothing.
  if (row.from.length && !row.from.includes(facts.status)) return refuse('status', 'sel.error.stale');
  return row.guard?.(facts, context) ?? null;
}

/** The actions this person may take on this application now: what the page offers. */
export function availableActions(facts: Facts, context: Context): Set<Action> {
  return new Set(actions.filter((action) => refusal(action, facts, context) === null));
}

/** The status an action leads to. */
export function target(action: Action, facts: Facts): ApplicationStatus | 'deleted' {
  const to = transitions[action].to;
  if (to === 'from') return facts.status;
  return typeof to === 'function' ? to(facts) : to;
}
