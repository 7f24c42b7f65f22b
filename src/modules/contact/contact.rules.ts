import type { ContactSubject, Role } from '../../domain/vocabulary';
import type { MessageKey } from '../../platform/i18n';

/**
 * SVC-1, CERT-5: the contact form's pure rules: who answers a message, which subjects take a
 * proof, what a reference looks like, who on the staff may see a message and what the status
 * becomes. No database here: the service gives the facts.
 */

/** The longest text of a message, a reply or an answer, in characters. */
export const CONTACT_TEXT_MAX = 5000;

export type ContactRoute = 'school' | 'central';
export type ContactStatus = 'sent' | 'answered' | 'closed';
export const contactStatuses = ['sent', 'answered', 'closed'] as const satisfies readonly ContactStatus[];

/** What the message is about, when the learner said so: one of their applications' session. */
export interface AboutSession {
  sessionId: number;
  schoolId: number;
}

export interface Routing {
  route: ContactRoute;
  sessionId: number | null;
  schoolId: number | null;
  /** What the learner is told about who answers (shown on the form's confirmation and the message). */
  explanation: MessageKey;
}

/**
 * The subjects the central service handles whatever the session: a refund (PAY-9) and a name
 * change (ACC-8) are decided there, not at the school.
 */
const centralSubjects: readonly ContactSubject[] = ['refund', 'name_change'];

/**
 * SVC-1: who answers. A refund or a name change goes to the central service (the coordinators);
 * any other subject about a session goes to that session's school (its school heads) — CERT-5:
 * the marks are the school's; a message about no session goes to the central service.
 * Administrators see every message whatever the route.
 */
export function routeFor(subject: ContactSubject, about: AboutSession | null): Routing {
  if (centralSubjects.includes(subject)) return { route: 'central', sessionId: about?.sessionId ?? null, schoolId: about?.schoolId ?? null, explanation: 'contact.route.central' };
  if (about) return { route: 'school', sessionId: about.sessionId, schoolId: about.schoolId, explanation: routeExplanation(subject, 'school') };
  return { route: 'central', sessionId: null, schoolId: null, explanation: 'contact.route.central' };
}

/** What the learner is told about who answers a message already routed. */
export function routeExplanation(subject: string, route: ContactRoute): MessageKey {
  if (route === 'central') return 'contact.route.central';
  return subject === 'marks' ? 'contact.route.marks' : 'contact.route.school';
}

/** SVC-1: the subjects that need a proof (a refund's certificate, a name change's civil status, a payment's receipt) take a file. */
export function subjectTakesFile(subject: ContactSubject): boolean {
  return subject === 'refund' || subject === 'name_change' || subject === 'payment';
}

/** CERT-5: marks are those of one course: the message says which one. */
export function subjectNeedsSession(subject: ContactSubject): boolean {
  return subject === 'marks';
}

/** A reference people can read on the phone: C-2026-00042 (the year it was sent, its number). */
export function formatReference(year: number, number: number): string {
  return `C-${year}-${String(number).padStart(5, '0')}`;
}

/** The staff roles that answer messages; trainers and counsellors send learners to the form. */
export const contactStaffRoles = ['school_head', 'coordinator', 'admin'] as const satisfies readonly Role[];
export type ContactStaffRole = (typeof contactStaffRoles)[number];

export function mayAnswerContact(role: Role): role is ContactStaffRole {
  return (contactStaffRoles as readonly Role[]).includes(role);
}

/**
 * SVC-1: may this staff member see a message? Admins all; school heads the messages routed to
 * the school of a session in their scope; coordinators the central service's messages, those
 * about a session when it is in their scope. `sessionInScope`: the message's session is in the
 * staff member's scope (false when it has none).
 */
export function mayHandle(role: Role, message: { route: ContactRoute; sessionId: number | null }, sessionInScope: boolean): boolean {
  if (role === 'admin') return true;
  if (role === 'school_head') return message.route === 'school' && message.sessionId !== null && sessionInScope;
  if (role === 'coordinator') return message.route === 'central' && (message.sessionId === null || sessionInScope);
  return false;
}

/** What a new entry does to the status: the learner's writing waits for the service; the staff's answers it, or closes it. */
export function statusAfter(entry: { fromStaff: boolean; close?: boolean }): ContactStatus {
  if (!entry.fromStaff) return 'sent';
  return entry.close ? 'closed' : 'answered';
}

/** A closed conversation takes nothing more: the learner writes a new message (its reference says so). */
export function mayWrite(status: ContactStatus): { ok: true } | { ok: false; code: 'SVC-1'; message: MessageKey } {
  return status === 'closed' ? { ok: false, code: 'SVC-1', message: 'contact.error.closed' } : { ok: true };
}

/** The queue's filters: open (waiting for the service), answered, closed, all. */
export const queueFilters = ['open', 'answered', 'closed', 'all'] as const;
export type QueueFilter = (typeof queueFilters)[number];

export function statusesOf(filter: QueueFilter): ContactStatus[] {
  if (filter === 'open') return ['sent'];
  if (filter === 'all') return [...contactStatuses];
  return [filter];
}
