/**
 * The shared vocabularies of Cursus: the values that tables (text columns with an enum), zod
 * schemas, pure rules and views of several modules use. Each list is written here once; a new
 * value is added here and nowhere else. This file imports nothing, so every layer may import it.
 *
 * Not here: the statuses of an application, owned by the application lifecycle, and the states
 * that one module keeps for itself (offer statuses, token purposes…).
 */

// ---- People (ACC) ------------------------------------------------------------------------------

/** SVC-5: `counsellor`, the help desks' staff, who register learners with them (assisted registration). */
export const roles = ['learner', 'trainer', 'school_head', 'coordinator', 'counsellor', 'admin'] as const;
export type Role = (typeof roles)[number];
export const staffRoles = ['trainer', 'school_head', 'coordinator', 'counsellor', 'admin'] as const satisfies readonly Role[];
export type StaffRole = (typeof staffRoles)[number];
/**
 * SVC-5: the staff who work on sessions and their applicants (lists, sheets, convocations, the
 * documents' staff view). A help desk's counsellor is not one of them: they act only for the
 * learners of their desk, through the desk's pages.
 */
export const sessionStaffRoles = ['trainer', 'school_head', 'coordinator', 'admin'] as const satisfies readonly StaffRole[];
/**
 * SVC-6: the staff who read the figures, each in their scope (a trainer or a counsellor sees none).
 * Here because the figures' pages and the staff home (modules of one rank) both need it.
 */
export const figureViewers = ['school_head', 'coordinator', 'admin'] as const satisfies readonly StaffRole[];

/** SVC-5: how an assisted learner's consent is given, as the audit and the application events record it. */
export const inPersonConsent = 'in_person' as const;

/** SVC-7: how a learner wants to be told (SMS only where a mobile number is known). */
export const notifyChannels = ['email', 'sms', 'both'] as const;
export type NotifyChannel = (typeof notifyChannels)[number];

/** SVC-1: what a contact message is about; it decides who answers it and whether a proof may be attached. */
export const contactSubjects = ['refund', 'marks', 'name_change', 'payment', 'other'] as const;
export type ContactSubject = (typeof contactSubjects)[number];

/** ACC-6: the learner record's closed answers. */
export const civilities = ['M', 'MME'] as const;
export type Civility = (typeof civilities)[number];
export const heardFromOptions = ['town_hall', 'word_of_mouth', 'social_networks', 'internet', 'posters', 'other'] as const;
export type HeardFrom = (typeof heardFromOptions)[number];

// ---- Applications (APP-4), ranked by selection (SEL-2) -----------------------------------------

export const situations = ['employed', 'job_seeker', 'welfare_recipient', 'assisted_contract', 'student', 'retired', 'other'] as const;
export type Situation = (typeof situations)[number];
export const objectives = ['professional', 'personal', 'diploma', 'other'] as const;
export type Objective = (typeof objectives)[number];

// ---- Courses and sessions (CAT) ----------------------------------------------------------------

export const rhythms = ['annual', 'semester1', 'semester2', 'intensive'] as const;
export type Rhythm = (typeof rhythms)[number];
/** Learning modes. */
export const modes = ['in_person', 'remote', 'hybrid'] as const;
export type Mode = (typeof modes)[number];
/** How a course admits its learners; anything but `none` is SEL-2's pedagogical evaluation. */
export const admissionTests = ['none', 'positioning_first_day', 'anticipated_test', 'interview'] as const;
export type AdmissionTest = (typeof admissionTests)[number];
/** CAT-4: "journée, matin, après-midi, soirée". */
export const timesOfDay = ['day', 'morning', 'afternoon', 'evening'] as const;
export type TimeOfDay = (typeof timesOfDay)[number];

/** The code of a registration period, school, course or session, as the CSV files and the URLs write it. */
export const catalogueCode = /^[A-Za-z0-9-]{1,60}$/;

/** ISO weekdays: 1 = Monday … 7 = Sunday. */
export const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;
/** The weekdays as the CSV files and the catalogue forms write them: `frenchWeekdays[weekday - 1]`. */
export const frenchWeekdays = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'] as const;

/** A weekly slot of a session. */
export interface Slot {
  weekday: number; // ISO: 1 = Monday … 7 = Sunday
  startsAt: string; // HH:MM or HH:MM:SS
  endsAt: string;
}

// ---- Selection (SEL) ---------------------------------------------------------------------------

/** SEL-3: what a learner is convoked to. */
export const convocationKinds = ['test', 'interview'] as const;
export type ConvocationKind = (typeof convocationKinds)[number];
/** SEL-4: attendance at a convocation. */
export const attendances = ['present', 'absent'] as const;
export type Attendance = (typeof attendances)[number];
/** SEL-5, SEL-10: why an application moves to another session (also the reason of its event). */
export const moveReasons = ['moved_level', 'moved_day'] as const;
export type MoveReason = (typeof moveReasons)[number];
/** SEL-7, SEL-8: the learner's answer to a place offered. */
export const offerAnswers = ['accept', 'decline'] as const;
export type OfferAnswer = (typeof offerAnswers)[number];

// ---- Payment (PAY) -----------------------------------------------------------------------------

/** PAY-5, PAY-6: the course's full rate, or its half rate with an accepted proof. */
export const rates = ['full', 'half'] as const;
export type Rate = (typeof rates)[number];
/** PAY-6: the allowances that give the half rate. */
export const allowances = ['rsa', 'ass', 'aah'] as const;
export type Allowance = (typeof allowances)[number];
/** PAY-1: an amount due, then paid; cancelled when the application closed unpaid. */
export const paymentStatuses = ['due', 'paid', 'cancelled'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];
/** PAY-2, PAY-3: by card online, or at the school. */
export const paymentMethods = ['online', 'cheque', 'cash'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];
/** PAY-2: an online attempt (one PayFiP idOp). */
export const attemptStatuses = ['creating', 'pending', 'paid', 'abandoned', 'refused', 'expired', 'failed'] as const;
export type AttemptStatus = (typeof attemptStatuses)[number];
/**
 * PAY-2: what staff must look at: a success for an attempt already expired or superseded
 * (`late_success`), for an amount already paid (`duplicate_success`), or of another amount
 * (`amount_mismatch`).
 */
export const attemptFlags = ['late_success', 'duplicate_success', 'amount_mismatch'] as const;
export type AttemptFlag = (typeof attemptFlags)[number];
/** PAY-9: the only reasons that give a refund. */
export const refundReasons = ['bodily_accident', 'hospitalisation', 'professional_change', 'session_not_opened', 'enrolment_error'] as const;
export type RefundReason = (typeof refundReasons)[number];
/**
 * PAY-9: what the FAQ says gives no refund, offered on the request form so that the learner reads
 * why at once (nothing is stored): a late entry, an early leaving, an occasional cancelled meeting,
 * the full rate paid without the half rate's proof, an exclusion after three absences in a row.
 */
export const nonRefundableReasons = ['late_entry', 'early_leaving', 'cancelled_meeting', 'full_rate_paid', 'excluded_for_absences'] as const;
export type NonRefundableReason = (typeof nonRefundableReasons)[number];
export const refundStatuses = ['requested', 'granted', 'refused'] as const;
export type RefundStatus = (typeof refundStatuses)[number];
/** PAY-9: how the cash office pays a refund back. */
export const refundMethods = ['transfer', 'cheque', 'cash'] as const;
export type RefundMethod = (typeof refundMethods)[number];
/** PAY-11: whose statement is imported. */
export const statementSources = ['payfip', 'treasury'] as const;
export type StatementSource = (typeof statementSources)[number];
/** PAY-11: what a statement line was found to be. */
export const statementLineStates = ['matched', 'no_match', 'amount_mismatch', 'already_paid', 'discarded'] as const;
export type StatementLineState = (typeof statementLineStates)[number];

// ---- Attendance and certification (ATT, CERT) ---------------------------------------------------

/**
 * ATT-1: what the trainer marks per learner and meeting. `late` and `left_early` carry the
 * minutes missed; `justified` is an absence with a reason (not presence for ATT-4 unless the
 * `justifiedAbsenceCountsAsPresence` policy says so).
 */
export const attendanceMarks = ['present', 'late', 'left_early', 'absent', 'justified'] as const;
export type AttendanceMark = (typeof attendanceMarks)[number];
/**
 * ATT-2, ATT-5: what a streak of absences raised: the warning of absences from the first
 * meetings (ATT-5), the removal the service may decide (ATT-2, after the policy number of
 * unjustified absences), the exclusion the trainer may decide (beyond it, whatever the reason).
 */
export const incidentKinds = ['first_meetings', 'removable', 'excludable'] as const;
export type IncidentKind = (typeof incidentKinds)[number];
/** An incident is open while its streak runs; acted on (the learner removed or excluded); closed (the learner came back). */
export const incidentStatuses = ['open', 'acted', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];
/** CERT-1, CERT-2: the end-of-course evaluation's outcome (`absent`: not at the test, which is mandatory). */
export const evaluationOutcomes = ['passed', 'failed', 'absent'] as const;
export type EvaluationOutcome = (typeof evaluationOutcomes)[number];
/** CERT-4: the exemption from general tests a learner asks for. */
export const exemptionStatuses = ['pending', 'granted', 'refused'] as const;
export type ExemptionStatus = (typeof exemptionStatuses)[number];

// ---- Documents anyone can verify (PAY-10) ------------------------------------------------------

/** PAY-10: what the service issues, each with its row, short code and public page. */
export const documentKinds = ['convocation', 'enrollee_card', 'cost_attestation', 'payment_attestation', 'receipt', 'attendance_certificate', 'certificate', 'unit_attestation', 'transcript', 'diploma', 'funding_attestation'] as const;
export type DocumentKind = (typeof documentKinds)[number];
/** PAY-10: what the public page says of a document; "expired" is computed from its end of validity and the clock. */
export const documentStatuses = ['valid', 'replaced', 'revoked', 'expired'] as const;
export type DocumentStatus = (typeof documentStatuses)[number];

// ---- Funding of an enrolment (CRED-5) ----------------------------------------------------------

/**
 * CRED-5: who pays an enrolment in a unit: the learner (`personal`), their personal training
 * account (`cpf`, Compte personnel de formation), the region's funding for job seekers
 * (`region`), France Travail's individual training aid (`aif`, Aide individuelle à la
 * formation), or their employer (`employer`).
 */
export const fundingSources = ['personal', 'cpf', 'region', 'aif', 'employer'] as const;
export type FundingSource = (typeof fundingSources)[number];
/** CRED-5: a price list line's basis: an amount per ECTS credit of the unit, or per unit. */
export const priceBases = ['credit', 'unit'] as const;
export type PriceBasis = (typeof priceBases)[number];
