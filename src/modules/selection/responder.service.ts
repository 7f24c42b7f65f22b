import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { readTogether } from '../../db/statements';
import type { DbOrTx, Tx } from '../../db/database';
import { parisInstant } from '../../platform/clock';
import { isUuid } from '../../platform/input';
import { enqueueJob, jobPending, type JobHandlers } from '../../platform/jobs';
import type { Translator } from '../../platform/i18n';
import { lockUser, tellLearner } from '../accounts';
import { applicationsByIds, applicationIdsOf, applyDecisions, transition, type Actor, type Application, type ApplicationDeps, type Decision } from '../applications';
import { lockSession, sessionsForApplications, tryLockSession, type SessionForApplication } from '../catalogue';
import { isListable, moveInOrder, orderFromPositions, responderPlan, type ListEntry, type ResponderStep } from './responder.rules';
import { applicationPreferences, responderSettings } from './responder.table';
import { offers } from './selection.table';
import { placeFreed } from './refill-queue';

/**
 * SEL-13: the preference responder's service. The rules are `responder.rules.ts`; here they act,
 * each time under the learner's lock with the statuses and offers read again under it (lock
 * order: the session, the learner, the offers, the applications, as everywhere), so two offers
 * arriving at once, or the responder and the learner answering at once, never leave the learner
 * two places or none, and never give a place twice.
 */

export const RESPONDER_JOB = 'selection.responder';

/** The responder acting for the learner: their events say so (`details.responder`). */
const responderOf = (learnerId: string): Actor => ({ id: learnerId, role: 'learner', responder: true });

type Settings = typeof responderSettings.$inferSelect;

async function settingsOf(db: DbOrTx, learnerId: string): Promise<Settings | null> {
  const [row] = await db.select().from(responderSettings).where(eq(responderSettings.learnerId, learnerId));
  return row ?? null;
}

/** The learner's list, in their order, as saved (whatever the applications' statuses now). */
async function preferenceRows(db: DbOrTx, learnerId: string) {
  return db.select().from(applicationPreferences).where(eq(applicationPreferences.learnerId, learnerId)).orderBy(asc(applicationPreferences.position));
}

/** Queues the responder for a learner (once: a job not yet started covers every change before it runs). */
async function queueResponder(tx: DbOrTx, now: Date, learnerId: string) {
  if (!(await jobPending(tx, { kind: RESPONDER_JOB, payload: { learnerId }, notStarted: true }))) await enqueueJob(tx, { kind: RESPONDER_JOB, payload: { learnerId }, runAt: now });
}

type Outcome = { acted: ResponderStep[]; deferred: number | null };

/**
 * Under the learner's lock (the caller's): reads their list, its applications (locked) and open
 * offers, and does what `responderPlan` says. An acceptance needs the lock of the offer's session
 * (`lockedSessions`): when the caller does not hold it, it is taken if free and the caller allows
 * it (`tryOthers`: it holds the learner, so it may not wait for a session), else nothing is done
 * and `deferred` names it.
 * `notBefore`: the summary waits as the selection's own emails do (SEL-3's answer window).
 */
async function respond(tx: Tx, deps: ApplicationDeps, learnerId: string, options: { lockedSessions: ReadonlySet<number>; tryOthers?: boolean; notBefore?: Date }): Promise<Outcome> {
  const none: Outcome = { acted: [], deferred: null };
  const settings = await settingsOf(tx, learnerId);
  if (!settings?.on) return none;
  const rows = await preferenceRows(tx, learnerId);
  if (rows.length === 0) return none;
  const ids = rows.map((r) => r.applicationId);
  const openOffers = await tx
    .select()
    .from(offers)
    .where(and(inArray(offers.applicationId, ids), eq(offers.status, 'open'), gt(offers.expiresAt, deps.clock.now())))
    .orderBy(asc(offers.id))
    .for('update');
  const applications = new Map((await applicationsByIds(tx, ids, { lock: true })).map((a) => [a.id, a]));
  const now = deps.clock.now();
  // An offer made to an application that closed meanwhile (given up by the responder while the
  // refill offering it ran): void, and its place goes to the next.
  for (const offer of openOffers)
    if (applications.get(offer.applicationId)?.status !== 'waiting_list') {
      await tx.update(offers).set({ status: 'void', answeredAt: now }).where(eq(offers.id, offer.id));
      await placeFreed(tx, now, offer.sessionId);
    }
  const list: ListEntry[] = rows.flatMap((r) => {
    const application = applications.get(r.applicationId);
    if (!application) return [];
    const offer = application.status === 'waiting_list' ? openOffers.find((o) => o.applicationId === r.applicationId) : undefined;
    return [{ applicationId: application.id, status: application.status, offer: offer ? { id: offer.id, kind: offer.kind, sessionId: offer.sessionId } : null }];
  });
  const plan = responderPlan(list);
  if (plan.steps.length === 0) return none;
  const accept = plan.steps.find((s) => s.kind === 'accept');
  if (accept && !options.lockedSessions.has(accept.sessionId) && !(options.tryOthers && (await tryLockSession(tx, accept.sessionId))))
    return { acted: [], deferred: accept.sessionId };
  const sessions = new Map((await sessionsForApplications(tx, { ids: [...new Set([...applications.values()].map((a) => a.sessionId))] })).map((s) => [s.id, s]));
  const actor = responderOf(learnerId);
  for (const step of plan.steps) {
    const application = applications.get(step.applicationId)!;
    const session = sessions.get(application.sessionId)!;
    if (step.kind === 'accept') {
      const offer = openOffers.find((o) => o.id === step.offerId)!;
      await tx.update(offers).set({ status: 'accepted', answeredAt: now }).where(eq(offers.id, offer.id));
      const done = await transition(tx, deps, { application, action: 'acceptOffer', actor, session, facts: { offer }, reason: 'responder_accepted', email: null });
      if (!done.ok) throw new Error(`SEL-13: the responder could not accept offer ${offer.id}: ${done.code}`);
    } else {
      const done = await transition(tx, deps, { application, action: 'giveUpForPreference', actor, session, reason: 'preference_responder', email: null });
      if (!done.ok) throw new Error(`SEL-13: the responder could not give up application ${application.id}: ${done.code}`);
    }
  }
  await tellLearner(tx, learnerId, summaryMessage(deps.baseUrl, plan.steps, applications, sessions, options.notBefore));
  return { acted: plan.steps, deferred: null };
}

/** SEL-13: one email saying what the responder did, and why. */
function summaryMessage(baseUrl: string, steps: ResponderStep[], applications: Map<string, Application>, sessions: Map<number, SessionForApplication>, notBefore?: Date) {
  const titleOf = (applicationId: string) => {
    const s = sessions.get(applications.get(applicationId)!.sessionId)!;
    return `${s.title} (${s.schoolName})`;
  };
  const chosen = steps[0].kind === 'accept' ? steps[0].applicationId : (steps[0] as Extract<ResponderStep, { kind: 'give_up' }>).preferred;
  const givenUp = steps.filter((s) => s.kind === 'give_up').map((s) => titleOf(s.applicationId));
  const link = `${baseUrl}/candidatures`;
  const accepted = steps.some((s) => s.kind === 'accept');
  return {
    purpose: 'selection.responder',
    notBefore,
    compose: (t: Translator) => {
      const lines = [
        ...(accepted
          ? // SEL-3: what to do now, in the same words as an acceptance by hand.
            [t('sel.responder.email.accepted', { title: titleOf(chosen) }), t('email.appAccepted.next', { link })]
          : [t('sel.responder.email.kept', { title: titleOf(chosen) })]),
        ...(givenUp.length ? [t('sel.responder.email.givenUp', { titles: givenUp.join(' ; ') })] : []),
        t('sel.responder.email.why'),
        t('sel.responder.email.end', { link, preferences: `${baseUrl}/candidatures/preferences` }),
      ];
      const subject = accepted ? t('sel.responder.email.subjectAccepted', { title: titleOf(chosen) }) : t('sel.responder.email.subject');
      return { subject, text: lines.join('\n\n'), link };
    },
  };
}

/**
 * SEL-13, the hook in `refillSession`'s offer (the caller holds the session's lock and the
 * learner's, and has just made the offer): when the learner's responder is on, it answers at
 * once. If the answer needs another session's lock (a better offer there) and another transaction
 * holds it, the responder's job answers right after. 'taken': the responder accepted this offer; 'given_up': it gave up its
 * application (ranked below a place the learner holds), so the place is free again; either way its
 * summary is the learner's email. 'none': the offer waits for the learner (the caller tells them).
 */
export async function responderAnswersOffer(tx: Tx, deps: ApplicationDeps, input: { application: Pick<Application, 'id' | 'learnerId'>; sessionId: number }): Promise<'none' | 'taken' | 'given_up'> {
  const { learnerId } = input.application;
  if (!(await settingsOf(tx, learnerId))?.on) return 'none';
  if (!(await listed(tx, learnerId, input.application.id))) return 'none';
  // A better offer in another session is accepted now if that session is free, so the learner is
  // told once (this offer given up in the same summary), not "offered" and then "given up".
  const outcome = await respond(tx, deps, learnerId, { lockedSessions: new Set([input.sessionId]), tryOthers: true });
  if (outcome.deferred !== null) await queueResponder(tx, deps.clock.now(), learnerId);
  const step = outcome.acted.find((s) => s.applicationId === input.application.id);
  return !step ? 'none' : step.kind === 'accept' ? 'taken' : 'given_up';
}

async function listed(db: DbOrTx, learnerId: string, applicationId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: applicationPreferences.applicationId })
    .from(applicationPreferences)
    .where(and(eq(applicationPreferences.learnerId, learnerId), eq(applicationPreferences.applicationId, applicationId)));
  return Boolean(row);
}

/**
 * SEL-3 with SEL-13, the hook in `decideSession` (the caller holds the session's lock): applies
 * the decisions, the learners accepted whose responder is on locked first (in one order: two
 * decisions never wait for each other), then their responders give up what they ranked below.
 */
export async function applyDecisionsWithResponder(tx: Tx, deps: ApplicationDeps, decisions: Decision[], actor: Actor, session: Pick<SessionForApplication, 'id' | 'period'>): Promise<number> {
  const accepted = decisions.filter((d) => d.outcome === 'accepted').map((d) => d.applicationId);
  const learners = accepted.length
    ? (
        await tx
          .selectDistinct({ learnerId: applicationPreferences.learnerId })
          .from(applicationPreferences)
          .innerJoin(responderSettings, eq(responderSettings.learnerId, applicationPreferences.learnerId))
          .where(and(inArray(applicationPreferences.applicationId, accepted), eq(responderSettings.on, true)))
      )
        .map((r) => r.learnerId)
        .sort()
    : [];
  for (const learnerId of learners) await lockUser(tx, learnerId);
  const applied = await applyDecisions(tx, deps, decisions, actor);
  // The summary is told with the acceptance, in the answer window.
  const notBefore = parisInstant(session.period.answersFrom, '00:00');
  for (const learnerId of learners) {
    const outcome = await respond(tx, deps, learnerId, { lockedSessions: new Set([session.id]), notBefore });
    if (outcome.deferred !== null) await queueResponder(tx, deps.clock.now(), learnerId);
  }
  return applied;
}

/**
 * The responder's job: answers for a learner what a refill could not (their lock was taken, or
 * the offer to accept is in another session). Locks the offer's session, then the learner, and
 * decides again under the locks; if the answer moved to yet another session, it tries again.
 */
export async function runResponder(deps: ApplicationDeps, learnerId: string): Promise<ResponderStep[]> {
  let sessionId: number | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    const outcome = await deps.db.transaction(async (tx) => {
      if (sessionId !== null) await lockSession(tx, sessionId);
      await lockUser(tx, learnerId);
      return respond(tx, deps, learnerId, { lockedSessions: new Set(sessionId === null ? [] : [sessionId]) });
    });
    if (outcome.deferred === null) return outcome.acted;
    sessionId = outcome.deferred;
  }
  await queueResponder(deps.db, deps.clock.now(), learnerId);
  return [];
}

export function responderJobs(deps: ApplicationDeps): JobHandlers {
  return {
    [RESPONDER_JOB]: async (payload) => {
      if (typeof payload.learnerId === 'string' && isUuid(payload.learnerId)) await runResponder(deps, payload.learnerId);
    },
  };
}

// ---- the learner's page ----

export interface PreferencesPage {
  on: boolean;
  version: number;
  /** The learner's applications that may be ordered, in their order (those in the list first). */
  items: { application: Application; session: SessionForApplication; position: number | null }[];
}

/** SEL-13: the learner's list and setting, for their page. */
export async function preferencesPage(db: DbOrTx, learnerId: string): Promise<PreferencesPage> {
  const [settings, rows, ids] = await readTogether(db, [async () => settingsOf(db, learnerId), async () => preferenceRows(db, learnerId), async () => applicationIdsOf(db, learnerId)]);
  const applications = (await applicationsByIds(db, ids)).filter((a) => isListable(a.status));
  const sessions = new Map((await sessionsForApplications(db, { ids: [...new Set(applications.map((a) => a.sessionId))] })).map((s) => [s.id, s]));
  const ordered = rows.map((r) => r.applicationId).filter((id) => applications.some((a) => a.id === id));
  const position = (id: string) => (ordered.includes(id) ? ordered.indexOf(id) + 1 : null);
  const items = applications
    .map((application) => ({ application, session: sessions.get(application.sessionId)!, position: position(application.id) }))
    .sort((a, b) => (a.position ?? 1000) - (b.position ?? 1000) || a.session.title.localeCompare(b.session.title));
  return { on: settings?.on ?? false, version: settings?.version ?? 0, items };
}

export type SaveFailure = { ok: false; code: 'stale' } | { ok: false; code: 'invalid'; field: string; reason: 'duplicate_position' | 'unknown_application' | 'not_listable' | 'too_many' };

/**
 * SEL-13: saves the learner's whole list (and whether the responder is on), or moves one
 * application up or down it, if the page was made from the version saved now (else "stale":
 * another window saved first, and nothing of theirs is lost). Positions name the learner's own
 * applications, in a status a list may hold; any other id is refused, never saved. Under the
 * learner's lock, as the responder's answers are.
 */
export async function savePreferences(
  deps: ApplicationDeps,
  input: { learnerId: string; version: number; positions: Map<string, number | null>; on: boolean; move?: { applicationId: string; direction: 'up' | 'down' } },
): Promise<{ ok: true; version: number } | SaveFailure> {
  const { db, clock } = deps;
  for (const id of [...input.positions.keys(), ...(input.move ? [input.move.applicationId] : [])])
    if (!isUuid(id)) return { ok: false, code: 'invalid', field: 'positions', reason: 'unknown_application' };
  return db.transaction(async (tx) => {
    await lockUser(tx, input.learnerId);
    const settings = await settingsOf(tx, input.learnerId);
    if ((settings?.version ?? 0) !== input.version) return { ok: false as const, code: 'stale' as const };
    const mine = await applicationsByIds(tx, await applicationIdsOf(tx, input.learnerId));
    const ordered = orderFromPositions(input.positions, mine);
    if (!ordered.ok) return { ok: false as const, code: 'invalid' as const, field: ordered.applicationId && ordered.code !== 'unknown_application' ? `rang-${ordered.applicationId}` : 'positions', reason: ordered.code };
    let order = ordered.order;
    if (input.move) {
      if (!mine.some((a) => a.id === input.move!.applicationId)) return { ok: false as const, code: 'invalid' as const, field: 'positions', reason: 'unknown_application' as const };
      order = moveInOrder(order, input.move.applicationId, input.move.direction);
    }
    const now = clock.now();
    const version = (settings?.version ?? 0) + 1;
    await tx.delete(applicationPreferences).where(eq(applicationPreferences.learnerId, input.learnerId));
    if (order.length) await tx.insert(applicationPreferences).values(order.map((applicationId, i) => ({ learnerId: input.learnerId, applicationId, position: i + 1 })));
    await tx
      .insert(responderSettings)
      .values({ learnerId: input.learnerId, on: input.on, changedAt: now, version })
      .onConflictDoUpdate({ target: responderSettings.learnerId, set: { on: input.on, changedAt: now, version } });
    // Turned on (or reordered while on): offers already open and places already held are acted on now, not at the next offer.
    if (input.on) await queueResponder(tx, now, input.learnerId);
    return { ok: true as const, version };
  });
}

/**
 * SEL-13: for the applications pages, each listed application's place in its learner's list
 * while their responder is on, counted among the list as it stands (closed ones are not in it any
 * more). Any number of learners, in three queries.
 */
export async function preferencePositions(db: DbOrTx, applicationIds: string[]): Promise<Map<string, { position: number; of: number }>> {
  if (applicationIds.length === 0) return new Map();
  const learners = await db
    .selectDistinct({ learnerId: applicationPreferences.learnerId })
    .from(applicationPreferences)
    .innerJoin(responderSettings, eq(responderSettings.learnerId, applicationPreferences.learnerId))
    .where(and(inArray(applicationPreferences.applicationId, applicationIds), eq(responderSettings.on, true)));
  if (learners.length === 0) return new Map();
  const rows = await db
    .select()
    .from(applicationPreferences)
    .where(inArray(applicationPreferences.learnerId, learners.map((l) => l.learnerId)))
    .orderBy(asc(applicationPreferences.learnerId), asc(applicationPreferences.position));
  const live = new Map((await applicationsByIds(db, rows.map((r) => r.applicationId))).map((a) => [a.id, a]));
  const lists = new Map<string, string[]>();
  for (const r of rows) {
    const application = live.get(r.applicationId);
    if (application && isListable(application.status)) lists.set(r.learnerId, [...(lists.get(r.learnerId) ?? []), r.applicationId]);
  }
  const asked = new Set(applicationIds);
  return new Map([...lists.values()].flatMap((list) => list.flatMap((id, i) => (asked.has(id) ? [[id, { position: i + 1, of: list.length }] as const] : []))));
}
