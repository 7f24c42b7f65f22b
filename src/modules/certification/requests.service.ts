import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { audit } from '../../platform/audit';
import type { MessageKey } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import { learnerNames, tellLearner, type LearnerMessage } from '../accounts';
import { applicationsByIds, availableActions, refusal, type Action, type Application, type Facts } from '../applications';
import { sessionsForApplications, sessionsInScope, type SessionForApplication } from '../catalogue';
import { scopeOf } from '../scopes';
import { evaluationFacts, resultsOf, type CertFailure, type CertificationDeps, type EvaluationResult, type Staff } from './certification.service';
import { exemptions, marksRequests } from './certification.table';

/**
 * The learner's requests about a course and the staff's answers (SPEC CERT-4, CERT-5): the
 * exemption from general tests a learner holding a higher diploma asks for on a diploma course,
 * and the marks asked for from the account, answered on the account's page and by email. Each
 * goes through its lifecycle row; staff see those of the sessions in their scope.
 */

export type Exemption = typeof exemptions.$inferSelect;
export type MarksRequest = typeof marksRequests.$inferSelect;

const failure = (code: CertFailure['code'], message: MessageKey, field?: string): CertFailure => ({ ok: false, code, message, ...(field ? { field } : {}) });
const notFound = failure('not_found', 'error.notFound.message');
const forbidden = failure('forbidden', 'error.forbidden.message');

async function exemptionOf(db: DbOrTx, applicationId: string): Promise<Exemption | null> {
  const [row] = await db.select().from(exemptions).where(eq(exemptions.applicationId, applicationId));
  return row ?? null;
}

async function requestsOf(db: DbOrTx, applicationId: string): Promise<MarksRequest[]> {
  return db.select().from(marksRequests).where(eq(marksRequests.applicationId, applicationId)).orderBy(desc(marksRequests.askedAt));
}

/** The lifecycle's facts of the certification rows, for one application. */
async function factsOf(deps: CertificationDeps, application: Application, session: SessionForApplication): Promise<Facts> {
  const exemption = await exemptionOf(deps.db, application.id);
  const open = (await requestsOf(deps.db, application.id)).some((r) => r.answeredAt === null);
  return {
    status: application.status,
    period: session.period,
    evaluation: await evaluationFacts(deps.db, deps.clock.now(), application, session),
    exemption: { preparesDiploma: session.preparesDiploma, status: exemption?.status ?? null },
    marksRequested: open,
  };
}

export interface LearnerRequests {
  application: Application;
  session: SessionForApplication;
  exemption: Exemption | null;
  requests: MarksRequest[];
  result: EvaluationResult | null;
  actions: Set<Action>;
}

/** CERT-4, CERT-5: the learner's own application with its exemption and requests for marks; null for someone else's (404). */
export async function learnerRequests(deps: CertificationDeps, learnerId: string, applicationId: string): Promise<LearnerRequests | null> {
  if (!isUuid(applicationId)) return null;
  const [application] = await applicationsByIds(deps.db, [applicationId]);
  if (!application || application.learnerId !== learnerId) return null;
  const [session] = await sessionsForApplications(deps.db, { ids: [application.sessionId] });
  const facts = await factsOf(deps, application, session);
  return {
    application,
    session,
    exemption: await exemptionOf(deps.db, applicationId),
    requests: await requestsOf(deps.db, applicationId),
    result: (await resultsOf(deps.db, [applicationId])).get(applicationId) ?? null,
    actions: availableActions(facts, { role: 'learner', now: deps.clock.now() }),
  };
}

/** CERT-4: the learner declares the higher diploma they hold (again, while no decision is made). */
export async function declareDiploma(deps: CertificationDeps, learnerId: string, applicationId: string, diploma: string): Promise<{ ok: true } | CertFailure> {
  const page = await learnerRequests(deps, learnerId, applicationId);
  if (!page) return notFound;
  const no = refusal('declareDiploma', await factsOf(deps, page.application, page.session), { role: 'learner', now: deps.clock.now() });
  if (no) return failure('refused', no.message);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(exemptions)
      .values({ applicationId, diploma, declaredAt: now })
      .onConflictDoUpdate({ target: exemptions.applicationId, set: { diploma, declaredAt: now } });
    await audit(tx, deps.clock, { action: 'certification.diplomaDeclared', actorId: learnerId, subjectId: applicationId });
  });
  return { ok: true };
}

/** CERT-5: the learner asks for their marks (a message is optional). */
export async function requestMarks(deps: CertificationDeps, learnerId: string, applicationId: string, message: string): Promise<{ ok: true } | CertFailure> {
  const page = await learnerRequests(deps, learnerId, applicationId);
  if (!page) return notFound;
  const no = refusal('requestMarks', await factsOf(deps, page.application, page.session), { role: 'learner', now: deps.clock.now() });
  if (no) return failure('refused', no.message);
  await deps.db.transaction(async (tx) => {
    await tx.insert(marksRequests).values({ applicationId, message, askedAt: deps.clock.now() });
    await audit(tx, deps.clock, { action: 'certification.marksRequested', actorId: learnerId, subjectId: applicationId });
  });
  return { ok: true };
}

/** The sessions of the staff member's scope, by id. */
async function scopeSessions(db: DbOrTx, staff: Staff): Promise<Map<number, SessionForApplication>> {
  const codes = (await sessionsInScope(db, await scopeOf(db, staff))).map((s) => s.code);
  return new Map((await sessionsForApplications(db, { codes })).map((s) => [s.id, s]));
}

export interface StaffRow<R> {
  row: R;
  application: Application;
  session: SessionForApplication;
  name: string;
  result?: EvaluationResult | null;
  /** CERT-4: the lifecycle lets this staff member decide it now (the page's form). */
  mayDecide?: boolean;
}

async function inScope<R extends { applicationId: string }>(db: DbOrTx, staff: Staff, rows: R[]): Promise<StaffRow<R>[]> {
  if (rows.length === 0) return [];
  const sessions = await scopeSessions(db, staff);
  const apps = new Map((await applicationsByIds(db, [...new Set(rows.map((r) => r.applicationId))], { sessionIds: [...sessions.keys()] })).map((a) => [a.id, a]));
  const names = await learnerNames(db, [...apps.values()].map((a) => a.learnerId));
  return rows.flatMap((row) => {
    const application = apps.get(row.applicationId);
    return application ? [{ row, application, session: sessions.get(application.sessionId)!, name: names.get(application.learnerId) ?? '' }] : [];
  });
}

/** CERT-4: the exemptions asked for in the staff member's scope, waiting ones first. */
export async function exemptionList(deps: CertificationDeps, staff: Staff): Promise<StaffRow<Exemption>[]> {
  const rows = await deps.db.select().from(exemptions).orderBy(desc(eq(exemptions.status, 'pending')), asc(exemptions.declaredAt)).limit(500);
  const now = deps.clock.now();
  return (await inScope(deps.db, staff, rows)).map((r) => {
    const facts: Facts = { status: r.application.status, period: r.session.period, exemption: { preparesDiploma: r.session.preparesDiploma, status: r.row.status } };
    // Decided once: the lifecycle's row says so (a decided request is refused by its guard).
    return { ...r, mayDecide: refusal('decideExemption', facts, { role: staff.role, now }) === null };
  });
}

/** CERT-5: the requests for marks waiting in the staff member's scope, oldest first, with each learner's result. */
export async function marksList(deps: CertificationDeps, staff: Staff): Promise<StaffRow<MarksRequest>[]> {
  const rows = await deps.db.select().from(marksRequests).where(isNull(marksRequests.answeredAt)).orderBy(asc(marksRequests.askedAt)).limit(500);
  const list = await inScope(deps.db, staff, rows);
  const results = await resultsOf(deps.db, list.map((r) => r.application.id));
  return list.map((r) => ({ ...r, result: results.get(r.application.id) ?? null }));
}

/** The application and session of a request: 404 when it does not exist, 403 when its session is out of the staff member's scope (decision 008). */
async function staffTarget(deps: CertificationDeps, staff: Staff, applicationId: string): Promise<{ ok: true; application: Application; session: SessionForApplication } | CertFailure> {
  if (!isUuid(applicationId)) return notFound;
  const [application] = await applicationsByIds(deps.db, [applicationId]);
  if (!application) return notFound;
  const [session] = await sessionsForApplications(deps.db, { ids: [application.sessionId] });
  const [visible] = await sessionsInScope(deps.db, await scopeOf(deps.db, staff), { code: session.code });
  return visible ? { ok: true, application, session } : forbidden;
}

/** CERT-4: the decision on an exemption, as `tellLearner` sends it. */
export function exemptionMessage(baseUrl: string, session: Pick<SessionForApplication, 'title'>, applicationId: string, input: { grant: boolean; reason: string }): LearnerMessage {
  return {
    purpose: 'cert.email.exemption',
    compose: (t) => {
      const params = { title: session.title, decision: t(input.grant ? 'cert.exemption.granted' : 'cert.exemption.refused'), reason: input.reason, link: `${baseUrl}/candidatures/${applicationId}/dispense` };
      return { subject: t('cert.email.exemption.subject', params), text: t('cert.email.exemption.body', params), link: params.link };
    },
  };
}

/** CERT-5: the answer to a request for marks, as `tellLearner` sends it. */
export function marksMessage(baseUrl: string, session: Pick<SessionForApplication, 'title'>, applicationId: string, answer: string): LearnerMessage {
  return {
    purpose: 'cert.email.marks',
    compose: (t) => {
      const params = { title: session.title, answer, link: `${baseUrl}/candidatures/${applicationId}/notes` };
      return { subject: t('cert.email.marks.subject', params), text: t('cert.email.marks.body', params), link: params.link };
    },
  };
}

/** CERT-4: staff grant or refuse the exemption, with a reason; the learner sees it on their page and is emailed. */
export async function decideExemption(deps: CertificationDeps, staff: Staff, applicationId: string, input: { grant: boolean; reason: string }): Promise<{ ok: true } | CertFailure> {
  const found = await staffTarget(deps, staff, applicationId);
  if (!found.ok) return found;
  const no = refusal('decideExemption', await factsOf(deps, found.application, found.session), { role: staff.role, now: deps.clock.now() });
  if (no) return no.code === 'role' ? forbidden : failure('refused', no.message);
  const status = input.grant ? 'granted' : 'refused';
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(exemptions)
      .set({ status, reason: input.reason, decidedBy: staff.id, decidedAt: deps.clock.now() })
      .where(and(eq(exemptions.applicationId, applicationId), eq(exemptions.status, 'pending')))
      .returning();
    if (!row) return failure('refused', 'cert.error.exemptionDecided');
    await audit(tx, deps.clock, { action: 'certification.exemptionDecided', actorId: staff.id, subjectId: applicationId, data: { status } });
    // SVC-7: by the channels the learner chose (SMS: `sms.generic`).
    await tellLearner(tx, found.application.learnerId, exemptionMessage(deps.baseUrl, found.session, applicationId, input));
    return { ok: true as const };
  });
}

/** CERT-5: staff answer a request for marks; the answer shows on the learner's page and is emailed. */
export async function answerMarks(deps: CertificationDeps, staff: Staff, requestId: string, answer: string): Promise<{ ok: true } | CertFailure> {
  if (!isUuid(requestId)) return notFound;
  const [request] = await deps.db.select().from(marksRequests).where(eq(marksRequests.id, requestId));
  if (!request) return notFound;
  const found = await staffTarget(deps, staff, request.applicationId);
  if (!found.ok) return found;
  const no = refusal('answerMarks', await factsOf(deps, found.application, found.session), { role: staff.role, now: deps.clock.now() });
  if (no) return no.code === 'role' ? forbidden : failure('refused', no.message);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(marksRequests)
      .set({ answer, answeredBy: staff.id, answeredAt: deps.clock.now() })
      .where(and(eq(marksRequests.id, requestId), isNull(marksRequests.answeredAt)))
      .returning();
    if (!row) return failure('refused', 'cert.error.noMarksRequest');
    await audit(tx, deps.clock, { action: 'certification.marksAnswered', actorId: staff.id, subjectId: request.applicationId });
    // SVC-7: by the channels the learner chose; the SMS says where to read the answer, not the answer.
    await tellLearner(tx, found.application.learnerId, marksMessage(deps.baseUrl, found.session, request.applicationId, answer));
    return { ok: true as const };
  });
}
