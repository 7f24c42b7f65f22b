import type { DbOrTx, Tx } from '../db/database';
import type { Clock } from './clock';
import type { Policies, PolicyKey } from './policies';

/**
 * The seam of personal data (ACC-11, ACC-14): each module declares what it holds about a learner
 * and how it is exported, forgotten and expired, in one or more data sets (a set is one or a few
 * of its tables). The privacy module collects them all: the registry of personal data (the
 * processing register, "what we keep and until when"), the download of one's data, the closure
 * of an account and the retention job read them and nothing else. The platform declares its own
 * tables the same way (the outboxes, the audit log).
 */

/**
 * Who reads the processing register and what the service passes on to other systems (the
 * privacy module's register, the webhooks' list of recipients): administrators and the central
 * service's coordinators, who answer the data protection officer.
 */
export const registerRoles = ['coordinator', 'admin'] as const;

/** What kind of personal data a column holds (the processing register's categories). */
export const personalCategories = [
  'identity', // names, birth date and place, civility
  'contact', // email, phones, address
  'account', // credentials, preferences, consents
  'connection', // sign-ins, sessions, IP addresses, user agents
  'application', // applications, their answers and their events
  'situation', // social situation, half rate, proofs uploaded
  'payment', // payments and refunds
  'attendance', // presence, absences, incidents
  'result', // evaluations, outcomes, certificates
  'message', // emails and SMS sent, requests and their answers
  'staff_trace', // who on the staff saw or changed the file
] as const;
export type PersonalCategory = (typeof personalCategories)[number];

/** GDPR art. 6: public task (the city's adult courses), legal obligation (accounting), consent (news), contract (fees). */
export const legalBases = ['public_task', 'legal_obligation', 'consent', 'contract'] as const;
export type LegalBasis = (typeof legalBases)[number];

/** What happens at the end of the period. */
export type EndOfRetention = 'delete' | 'anonymise';

/**
 * A retention rule: how long, counted from what. `policy` is the policy setting of the period
 * (in the unit its name says: months, years, hours, days); `from` says in words (a message key)
 * what starts it: "the last sign-in", "the application's closing"…
 */
export interface RetentionRule {
  policy: PolicyKey;
  unit: 'days' | 'hours' | 'months' | 'years';
  from: string;
}

export interface PersonalColumn {
  category: PersonalCategory;
  /** A message key: what the column is for, in words. */
  purpose: string;
  basis: LegalBasis;
  retention: RetentionRule;
  end: EndOfRetention;
}

/** One table: every column is either personal (with its use) or listed as not personal. */
export interface TableDeclaration {
  /** The SQL name of the table. */
  table: string;
  personal: Readonly<Record<string, PersonalColumn>>;
  /** The SQL names of its columns that hold no personal data (ids, amounts, dates of things…). */
  other: readonly string[];
}

/** One section of a learner's data, for the download (JSON) and its readable page. */
export interface ExportSection {
  /** Stable key of the section in the JSON file ("applications", "payments"…). */
  key: string;
  /** A message key: the section's title on the readable page. */
  title: string;
  rows: readonly Record<string, unknown>[];
}

/** What one module's data set can be asked. */
export interface PersonalDataSet {
  /** The set's name, unique across modules ("accounts.users", "payments"…). */
  name: string;
  tables: readonly TableDeclaration[];
  /** ACC-11: everything the set holds about this learner. */
  exportOf(db: DbOrTx, userId: string): Promise<ExportSection[]>;
  /**
   * ACC-11: why the account cannot be closed now (an application being processed, fees unpaid),
   * as message keys; empty when nothing in this set stops it. `clock`: what "now" is (a course
   * running today); the system's clock when not given.
   */
  blocksClosure?(db: DbOrTx, userId: string, clock?: Clock): Promise<string[]>;
  /**
   * ACC-11 closure: delete what the set holds about the learner, anonymise what the law keeps
   * (payments, attestations issued). Runs in the closure's transaction; running it twice
   * changes nothing the second time.
   */
  forget(tx: Tx, userId: string, clock: Clock): Promise<void>;
  /** ACC-14: the set's own expiries (proofs, connection logs…), if it has any beyond the closure. */
  retention?: SetRetention;
}

export interface DueItem {
  userId: string;
  /** The set's name for what falls due ("proofs", "sign-ins"…): a message key shown in the notice. */
  what: string;
  dueAt: Date;
}

export interface SetRetention {
  /** Whether the learner is told before (proofs: yes; technical logs: no). */
  notice: boolean;
  /**
   * Learners with something of this set due by `at` (at most `limit` learners, in a stable
   * order after `afterUserId`), never something in progress.
   */
  due?(db: DbOrTx, input: { at: Date; policies: Policies; limit: number; afterUserId?: string }): Promise<DueItem[]>;
  /** Deletes or anonymises what of this learner is due at `at`, re-checked now; returns how many rows. */
  expire?(tx: Tx, input: { userId: string; at: Date; policies: Policies; clock: Clock }): Promise<number>;
  /**
   * Data not kept per learner (the outboxes, technical logs): deletes what passed its period at
   * `at`, at most `limit` rows; returns how many (the job calls it again while it returns `limit`).
   */
  sweep?(db: DbOrTx, input: { at: Date; policies: Policies; limit: number }): Promise<number>;
}

/** A personal column: its use, under the public task unless said otherwise, deleted at the end unless said otherwise. */
export const personalColumn = (
  category: PersonalCategory,
  purpose: string,
  retention: RetentionRule,
  end: EndOfRetention = 'delete',
  basis: LegalBasis = 'public_task',
): PersonalColumn => ({ category, purpose, basis, retention, end });
