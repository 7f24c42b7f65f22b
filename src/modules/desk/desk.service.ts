import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/database';
import { inPersonConsent } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import type { Locale, MessageKey } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import {
  createAssistedAccount,
  getLearnerProfile,
  getUser,
  learnerNames,
  searchLearners,
  sendTakeoverCode,
  sendTakeoverEmail,
  takeoverStatus,
  type LearnerProfile,
  type LearnerRecordInput,
  type LearnerRow,
} from '../accounts';
import { confirmApplication, listApplications, preselectSession, saveAnswers, type ApplicationView, type AssistingActor } from '../applications';
import { sessionExists, sessionsInScope, type ScopedSession } from '../catalogue';
import { checkConsent, mayActFor, type DeskRefusal, type Staff } from './desk.rules';
import { assistedLearners, deskCounsellors, helpDesks } from './desk.table';
import { counsellorScope } from './help-desks.service';

/**
 * SVC-5: the help desks' work — a counsellor registers a learner present (account and learner
 * record in one form), has the takeover code or link sent, and fills and sends an application
 * for a session of their scope. The role and the desk are checked here (`mayActFor`) whatever
 * the route did; every change writes the counsellor and the learner's consent.
 */
export interface DeskDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
}

export type { Staff } from './desk.rules';

export type HelpDesk = typeof helpDesks.$inferSelect;

export type DeskFailure = DeskRefusal | { ok: false; code: 'not_found'; message: MessageKey } | { ok: false; code: string; message: MessageKey; field?: string };

const notFound = { ok: false as const, code: 'not_found' as const, message: 'error.notFound.message' as const };
const forbidden = (message: MessageKey = 'error.forbidden.message') => ({ ok: false as const, code: 'SVC-5' as const, reason: 'other_desk' as const, message });

/** The desks a counsellor works at (a closed desk is nobody's). */
export async function desksOf(db: DbOrTx, userId: string): Promise<HelpDesk[]> {
  return db
    .select({ id: helpDesks.id, code: helpDesks.code, name: helpDesks.name, address: helpDesks.address, hours: helpDesks.hours, createdAt: helpDesks.createdAt, closedAt: helpDesks.closedAt })
    .from(deskCounsellors)
    .innerJoin(helpDesks, eq(helpDesks.id, deskCounsellors.deskId))
    .where(and(eq(deskCounsellors.userId, userId), isNull(helpDesks.closedAt)))
    .orderBy(helpDesks.name);
}

/** Creates a help desk by its code, or updates it (the demo, the tests; the administrator's page is `createHelpDesk`). */
export async function addHelpDesk(db: DbOrTx, clock: Clock, input: { code: string; name: string; address: string; hours: string }): Promise<HelpDesk> {
  const [desk] = await db
    .insert(helpDesks)
    .values({ ...input, createdAt: clock.now() })
    .onConflictDoUpdate({ target: helpDesks.code, set: { name: input.name, address: input.address, hours: input.hours } })
    .returning();
  return desk;
}

/** The learner's desk, or null when the learner was not registered at a desk. */
async function deskOfLearner(db: DbOrTx, learnerId: string): Promise<number | null> {
  const [row] = await db.select({ deskId: assistedLearners.deskId }).from(assistedLearners).where(eq(assistedLearners.userId, learnerId));
  return row?.deskId ?? null;
}

/** SVC-5: may this staff member act for this learner from the desk? 404 when there is no such learner, 403 when not theirs. */
async function accessLearner(db: DbOrTx, staff: Staff, learnerId: string): Promise<{ ok: true } | DeskFailure> {
  if (staff.role !== 'counsellor') return forbidden();
  if (!isUuid(learnerId)) return notFound;
  const user = await getUser(db, learnerId);
  if (!user || user.role !== 'learner' || user.status === 'closed') return notFound;
  const desks = await desksOf(db, staff.id);
  const rule = mayActFor({ role: staff.role, deskIds: desks.map((d) => d.id) }, await deskOfLearner(db, learnerId));
  return rule;
}

const actorOf = (staff: Staff): AssistingActor => ({ id: staff.id, role: 'counsellor', consent: true });

export interface DeskHome {
  desks: HelpDesk[];
  learners: (Pick<LearnerRow, 'userId' | 'lastName' | 'firstName' | 'birthDate'> & { takenOver: boolean; registeredAt: Date })[];
}

/**
 * The desk's home: the learners registered at the counsellor's desks, the latest first, or those
 * matching a search (names, birth date or address among them only: the scope is in the query).
 */
export async function deskHome(db: Db, staff: Staff, search: { q?: string } = {}): Promise<{ ok: true; home: DeskHome } | DeskFailure> {
  if (staff.role !== 'counsellor') return forbidden();
  const desks = await desksOf(db, staff.id);
  if (desks.length === 0) return { ok: true, home: { desks, learners: [] } };
  const rows = await db
    .select()
    .from(assistedLearners)
    .where(inArray(assistedLearners.deskId, desks.map((d) => d.id)))
    .orderBy(desc(assistedLearners.registeredAt))
    .limit(search.q ? 5000 : 50);
  const byId = new Map(rows.map((r) => [r.userId, r]));
  let ids = rows.map((r) => r.userId);
  if (search.q) ids = (await searchLearners(db, { among: ids, search: { text: search.q }, limit: 50 })).map((r) => r.userId);
  const profiles = await Promise.all(ids.map((id) => getLearnerProfile(db, id)));
  const learners = profiles
    .filter((p): p is LearnerProfile => p !== null)
    .map((p) => ({ userId: p.userId, lastName: p.lastName, firstName: p.firstName, birthDate: p.birthDate, takenOver: byId.get(p.userId)!.takenOverAt !== null, registeredAt: byId.get(p.userId)!.registeredAt }));
  return { ok: true, home: { desks, learners } };
}

export interface AssistedRegistration {
  email: string | null;
  accountLocale: Locale;
  record: LearnerRecordInput;
  consent: boolean;
  /** The desk, when the counsellor works at several (else theirs). */
  deskId?: number;
}

export type RegistrationOutcome =
  | { ok: true; learnerId: string; sent: { email: boolean; sms: string | null } }
  | DeskFailure
  | { ok: false; code: 'email_taken' | 'mobile_taken' | 'duplicate_person' | 'no_identifier'; message: MessageKey; field: string };

const registrationRefusals = {
  email_taken: { message: 'desk.register.emailTaken', field: 'email' },
  mobile_taken: { message: 'desk.register.mobileTaken', field: 'mobilePhone' },
  duplicate_person: { message: 'desk.register.duplicatePerson', field: 'lastName' },
  no_identifier: { message: 'desk.register.noIdentifier', field: 'email' },
} as const satisfies Record<string, { message: MessageKey; field: string }>;

/**
 * SVC-5, ACC-5, ACC-6: a counsellor registers a learner who is present and agrees: the account
 * (with an email address, or the mobile number only: decision 015) and the learner record, in
 * the learner's language, in one transaction with the desk's row and the audit; then the takeover
 * is sent: the activation link to the address, the code by SMS to the mobile.
 */
export async function registerAssistedLearner(deps: DeskDeps, staff: Staff, input: AssistedRegistration, ip: string | null = null): Promise<RegistrationOutcome> {
  const consent = checkConsent(input.consent);
  if (!consent.ok) return consent;
  if (staff.role !== 'counsellor') return forbidden();
  const desks = await desksOf(deps.db, staff.id);
  const desk = input.deskId === undefined ? desks[0] : desks.find((d) => d.id === input.deskId);
  if (!desk) return forbidden('desk.refused.noDesk');
  return deps.db.transaction(async (tx) => {
    const created = await createAssistedAccount(tx, deps.clock, {
      email: input.email,
      mobile: input.record.mobilePhone,
      locale: input.accountLocale,
      record: input.record,
      counsellorId: staff.id,
      ip,
    });
    if (!created.ok) return { ok: false as const, code: created.reason, ...registrationRefusals[created.reason] };
    const learnerId = created.user.id;
    await tx.insert(assistedLearners).values({ userId: learnerId, deskId: desk.id, counsellorId: staff.id, registeredAt: deps.clock.now() });
    const email = input.email ? await sendTakeoverEmail(tx, deps, { userId: learnerId, actorId: staff.id }) : false;
    const sms = await sendTakeoverCode(tx, deps, { userId: learnerId, actorId: staff.id });
    await audit(tx, deps.clock, { action: 'desk.learner_registered', actorId: staff.id, subjectId: learnerId, ip, data: { desk: desk.code, consent: inPersonConsent } });
    return { ok: true as const, learnerId, sent: { email, sms: sms.ok ? sms.to : null } };
  });
}

export interface AssistedLearnerFile {
  learnerId: string;
  profile: LearnerProfile;
  email: string;
  locale: Locale;
  takeover: { awaiting: boolean; mobileOnly: boolean; lastCodeAt: Date | null };
  applications: ApplicationView[];
  /** The sessions of the counsellor's scope open to a new application. */
  sessions: ScopedSession[];
}

/** SVC-5: a learner of the desk, as the counsellor sees them: record, takeover, applications, the sessions to choose from. */
export async function assistedLearnerFile(deps: DeskDeps, staff: Staff, learnerId: string): Promise<{ ok: true; file: AssistedLearnerFile } | DeskFailure> {
  const access = await accessLearner(deps.db, staff, learnerId);
  if (!access.ok) return access;
  const [user, profile, takeover, applications, scope] = await Promise.all([
    getUser(deps.db, learnerId),
    getLearnerProfile(deps.db, learnerId),
    takeoverStatus(deps.db, learnerId),
    listApplications(deps.db, deps.clock, learnerId),
    scopeAtDesk(deps.db, staff),
  ]);
  if (!user || !profile) return notFound;
  // SVC-2, SVC-5: a cancelled session, or one whose applications have closed, is not offered.
  const sessions = await sessionsInScope(deps.db, scope, { openToApplicationsAt: deps.clock.now() });
  return { ok: true, file: { learnerId, profile, email: user.email, locale: user.locale, takeover, applications, sessions } };
}

/** SVC-5: a new takeover code by SMS for a learner of the desk (the person present). */
export async function resendTakeoverCode(deps: DeskDeps, staff: Staff, input: { learnerId: string; consent: boolean }): Promise<{ ok: true; to: string } | DeskFailure> {
  const access = await accessLearner(deps.db, staff, input.learnerId);
  if (!access.ok) return access;
  const consent = checkConsent(input.consent);
  if (!consent.ok) return consent;
  return deps.db.transaction(async (tx) => {
    const sent = await sendTakeoverCode(tx, deps, { userId: input.learnerId, actorId: staff.id });
    if (!sent.ok) return { ok: false as const, code: sent.reason, message: sent.reason === 'no_mobile' ? ('desk.code.noMobile' as const) : ('error.notFound.message' as const) };
    return sent;
  });
}

/** SVC-5: the activation link again, to the learner's address (an account with one, not yet taken over). */
export async function resendTakeoverEmail(deps: DeskDeps, staff: Staff, input: { learnerId: string; consent: boolean }): Promise<{ ok: true } | DeskFailure> {
  const access = await accessLearner(deps.db, staff, input.learnerId);
  if (!access.ok) return access;
  const consent = checkConsent(input.consent);
  if (!consent.ok) return consent;
  const sent = await deps.db.transaction((tx) => sendTakeoverEmail(tx, deps, { userId: input.learnerId, actorId: staff.id }));
  return sent ? { ok: true } : { ok: false, code: 'no_email', message: 'desk.email.notSent' };
}

/** The counsellor's scope: their own and their open desks' (`counsellorScope`). */
async function scopeAtDesk(db: DbOrTx, staff: Staff) {
  return counsellorScope(db, staff, (await desksOf(db, staff.id)).map((d) => d.id));
}

/** The session must be in the counsellor's scope: 404 when it does not exist, 403 when it is not theirs. */
async function sessionInScope(db: DbOrTx, staff: Staff, code: string): Promise<{ ok: true } | DeskFailure> {
  if (!(await sessionExists(db, code))) return notFound;
  const [session] = await sessionsInScope(db, await scopeAtDesk(db, staff), { code });
  return session ? { ok: true } : forbidden('desk.refused.otherSession');
}

/**
 * SVC-5, APP-1: the counsellor preselects a session of their scope for a learner of the desk,
 * the learner present and agreeing (the application's event records the counsellor and the consent).
 */
export async function preselectForLearner(
  deps: DeskDeps,
  staff: Staff,
  input: { learnerId: string; sessionCode: string; consent: boolean },
): Promise<{ ok: true; applicationId: string } | DeskFailure> {
  const access = await accessLearner(deps.db, staff, input.learnerId);
  if (!access.ok) return access;
  const consent = checkConsent(input.consent);
  if (!consent.ok) return consent;
  const session = await sessionInScope(deps.db, staff, input.sessionCode);
  if (!session.ok) return session;
  return preselectSession(deps, { learnerId: input.learnerId, sessionCode: input.sessionCode, actor: actorOf(staff) });
}

export interface AssistedAnswers {
  situation: NonNullable<Parameters<typeof saveAnswers>[1]['answers']['situation']>;
  allowance: Parameters<typeof saveAnswers>[1]['answers']['allowance'];
  objective: NonNullable<Parameters<typeof saveAnswers>[1]['answers']['objective']>;
  motivations: string;
}

/** The learner's application, if it is one of theirs in the counsellor's scope. */
async function applicationFor(deps: DeskDeps, staff: Staff, learnerId: string, applicationId: string): Promise<{ ok: true; application: ApplicationView } | DeskFailure> {
  if (!isUuid(applicationId)) return notFound;
  const application = (await listApplications(deps.db, deps.clock, learnerId)).find((a) => a.id === applicationId);
  if (!application) return notFound;
  const session = await sessionInScope(deps.db, staff, application.session.code);
  return session.ok ? { ok: true, application } : session;
}

/** SVC-5: one application of a learner of the desk, for its form. */
export async function assistedApplication(deps: DeskDeps, staff: Staff, input: { learnerId: string; applicationId: string }): Promise<{ ok: true; application: ApplicationView; profile: LearnerProfile } | DeskFailure> {
  const access = await accessLearner(deps.db, staff, input.learnerId);
  if (!access.ok) return access;
  const found = await applicationFor(deps, staff, input.learnerId, input.applicationId);
  if (!found.ok) return found;
  const profile = await getLearnerProfile(deps.db, input.learnerId);
  return profile ? { ok: true, application: found.application, profile } : notFound;
}

/**
 * SVC-5, APP-4, APP-5: the counsellor fills the application's answers with the learner and
 * sends it (the lifecycle's `confirm`, the caps and the window checked as for the learner); both
 * steps record the counsellor and the consent on the application's events.
 */
export async function fillAndConfirm(
  deps: DeskDeps,
  staff: Staff,
  input: { learnerId: string; applicationId: string; answers: AssistedAnswers; consent: boolean },
): Promise<{ ok: true } | DeskFailure> {
  const access = await accessLearner(deps.db, staff, input.learnerId);
  if (!access.ok) return access;
  const consent = checkConsent(input.consent);
  if (!consent.ok) return consent;
  const found = await applicationFor(deps, staff, input.learnerId, input.applicationId);
  if (!found.ok) return found;
  const actor = actorOf(staff);
  const saved = await saveAnswers(deps, { learnerId: input.learnerId, applicationId: input.applicationId, answers: input.answers, actor });
  if (!saved.ok) return saved;
  return confirmApplication(deps, { learnerId: input.learnerId, applicationId: input.applicationId, actor });
}

/** SVC-5: the learner took the account over (the accounts' hook, in its transaction). */
export async function markTakenOver(tx: Tx, event: { userId: string; at: Date }): Promise<void> {
  await tx.update(assistedLearners).set({ takenOverAt: event.at }).where(and(eq(assistedLearners.userId, event.userId)));
}
