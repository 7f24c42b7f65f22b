import type { MessageKey } from '../../platform/i18n';
import type { CentreReason, RequestKind } from './exams.table';
import { centreReasons } from './exams.table';

/**
 * CRED-3's pure rules: exam sessions (two a year per unit), marks out of 20 with one decimal
 * (a pass from 10), who may sit the second session, requests to sit at another centre or for
 * accommodations and their decisions, and who on the staff may act. Each refusal comes back with
 * its code (the SPEC's) and the message the page shows next to the field.
 */

export type Refusal = { ok: false; code: 'CRED-3'; field: string; message: MessageKey; params?: Record<string, string | number> };
const no = (field: string, message: MessageKey, params?: Record<string, string | number>): Refusal => ({ ok: false, code: 'CRED-3', field, message, ...(params ? { params } : {}) });

/** A pass: 10/20 or more (marks are kept in tenths of a point). */
export const PASS_TENTHS = 100;
export const MAX_TENTHS = 200;

/** The academic year a day belongs to, by the year it starts (September to August: 2026-10-20 and 2027-06-10 are 2026). */
export function academicYearOf(day: string): number {
  const year = Number(day.slice(0, 4));
  return Number(day.slice(5, 7)) >= 9 ? year : year - 1;
}

/** The first and last days of an academic year. */
export const academicYearBounds = (year: number) => ({ from: `${year}-09-01`, to: `${year + 1}-08-31` });

export type Result = { kind: 'none' } | { kind: 'absent' } | { kind: 'mark'; tenths: number };

/**
 * CRED-3: a mark as typed: empty (not entered yet), « ABS » (absent, any case), or a number from
 * 0 to 20 with at most one decimal, a comma or a point (12,5). Anything else is refused.
 */
export function parseMark(typed: string): { ok: true; result: Result } | Refusal {
  const value = typed.trim();
  if (value === '') return { ok: true, result: { kind: 'none' } };
  if (/^abs(ent)?$/i.test(value)) return { ok: true, result: { kind: 'absent' } };
  const match = /^(\d{1,2})(?:[.,](\d))?$/.exec(value);
  if (!match) return no('mark', 'exams.err.mark');
  const tenths = Number(match[1]) * 10 + Number(match[2] ?? 0);
  if (tenths > MAX_TENTHS) return no('mark', 'exams.err.markRange');
  return { ok: true, result: { kind: 'mark', tenths } };
}

/** The result as a form shows it again (12,5 / ABS / empty), in French notation. */
export function typedMark(result: { markTenths: number | null; absent: boolean }): string {
  if (result.absent) return 'ABS';
  if (result.markTenths === null) return '';
  return formatTenths(result.markTenths);
}

export const formatTenths = (tenths: number) => (tenths % 10 === 0 ? String(tenths / 10) : `${Math.floor(tenths / 10)},${tenths % 10}`);

/** CRED-3: a pass validates the unit. */
export const passes = (result: { markTenths: number | null; absent: boolean }) => !result.absent && result.markTenths !== null && result.markTenths >= PASS_TENTHS;

/** CRED-3: the second session is for those who failed the first one or were absent, once its results are published. */
export function maySitSecondSession(first: { markTenths: number | null; absent: boolean; published: boolean }): boolean {
  return first.published && (first.absent || (first.markTenths !== null && first.markTenths < PASS_TENTHS));
}

/** CRED-3: an exam session's number and day: session 1 or 2, a day within the academic year. */
export function checkExamSession(input: { number: number; heldOn: string; academicYear: number }): { ok: true } | Refusal {
  if (input.number !== 1 && input.number !== 2) return no('number', 'exams.err.number');
  const { from, to } = academicYearBounds(input.academicYear);
  if (input.heldOn < from || input.heldOn > to) return no('held_on', 'exams.err.heldOnYear', { from, to });
  return { ok: true };
}

/** CRED-3: the second session comes after the first one of the same unit, year and centre. */
export function checkSessionOrder(input: { number: 1 | 2; heldOn: string; other: { number: number; heldOn: string }[] }): { ok: true } | Refusal {
  for (const o of input.other) {
    if (input.number === 2 && o.number === 1 && o.heldOn >= input.heldOn) return no('held_on', 'exams.err.secondAfterFirst', { first: o.heldOn });
    if (input.number === 1 && o.number === 2 && o.heldOn <= input.heldOn) return no('held_on', 'exams.err.firstBeforeSecond', { second: o.heldOn });
  }
  return { ok: true };
}

export interface RequestInput {
  kind: RequestKind;
  reason: string | null;
  wishedCentreId: number | null;
  details: string | null;
  hasFile: boolean;
}

/**
 * CRED-3: a request to sit at another centre needs its reason (professional travel or a move),
 * the wished centre (not the one already chosen) and a proof; accommodations need what is
 * asked (the proof is optional). Only before the exam, and never once a result is entered.
 */
export function checkRequest(
  input: RequestInput,
  context: { today: string; heldOn: string; currentCentreId: number; resultEntered: boolean; openKinds: readonly RequestKind[] },
): { ok: true } | Refusal {
  if (context.resultEntered || context.heldOn < context.today) return no('kind', 'exams.err.requestTooLate');
  if (context.openKinds.includes(input.kind)) return no('kind', 'exams.err.requestOpen');
  if (input.kind === 'another_centre') {
    if (!input.reason || !(centreReasons as readonly string[]).includes(input.reason)) return no('reason', 'exams.err.reason');
    if (input.wishedCentreId === null) return no('centre', 'exams.err.centre');
    if (input.wishedCentreId === context.currentCentreId) return no('centre', 'exams.err.sameCentre');
    if (!input.hasFile) return no('file', 'exams.err.proofRequired');
    return { ok: true };
  }
  if (!input.details || input.details.trim() === '') return no('details', 'exams.err.details');
  return { ok: true };
}

/** CRED-3: staff approve, or refuse with a reason the learner reads. */
export function checkDecision(input: { approve: boolean; reason: string }): { ok: true } | Refusal {
  if (!input.approve && input.reason.trim() === '') return no('reason', 'exams.err.refusalReason');
  return { ok: true };
}

export interface StaffScope {
  role: string;
  all: boolean;
  schoolIds: readonly number[];
  /** The units of the sessions assigned (a trainer's). */
  unitIds: readonly number[];
}

/** CRED-3: who creates an exam session at a centre and publishes its results: a coordinator of that centre, an administrator. */
export function mayOrganise(staff: StaffScope, centreId: number): boolean {
  if (staff.role === 'admin') return true;
  return staff.role === 'coordinator' && staff.schoolIds.includes(centreId);
}

/** CRED-3: who records marks: the trainer of the unit, a coordinator of the centre, an administrator. */
export function mayMark(staff: StaffScope, session: { centreId: number; courseId: number }): boolean {
  if (mayOrganise(staff, session.centreId)) return true;
  return (staff.role === 'trainer' || staff.role === 'coordinator') && staff.unitIds.includes(session.courseId);
}

/**
 * CRED-3: who decides a request: the exam service (a coordinator of the exam session's centre,
 * an administrator); for another centre, the wished centre's coordinator too (seed 004: « sous
 * réserve de l'accord du centre d'examen souhaité »).
 */
export function mayDecide(staff: StaffScope, request: { kind: RequestKind; sessionCentreId: number; wishedCentreId: number | null }): boolean {
  if (mayOrganise(staff, request.sessionCentreId)) return true;
  return request.kind === 'another_centre' && request.wishedCentreId !== null && mayOrganise(staff, request.wishedCentreId);
}

/**
 * CRED-3, moving: where a learner sits a unit's session by default: the session held at their
 * centre of record, else at the centre of the enrolment, else the first one created.
 */
export function defaultSitting<S extends { id: string; centreId: number }>(sessions: readonly S[], prefer: { centreOfRecord: number | null; enrolmentCentre: number | null }): S | null {
  return (
    sessions.find((s) => prefer.centreOfRecord !== null && s.centreId === prefer.centreOfRecord) ??
    sessions.find((s) => prefer.enrolmentCentre !== null && s.centreId === prefer.enrolmentCentre) ??
    sessions[0] ??
    null
  );
}

export type { CentreReason };
