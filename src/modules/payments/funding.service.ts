import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { readTogether } from '../../db/statements';
import type { DbOrTx } from '../../db/database';
import type { Profile } from '../../domain/profile';
import { fundingSources, type FundingSource, type PriceBasis } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import { translator, type Locale, type MessageKey, type Translator } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import { getPolicies } from '../../platform/policies';
import { money } from '../../ui/format';
import { learnerNames, parisDay } from '../accounts';
import { applicationById, enrolInUnit as enrolApplication, inGroup, refusal, sessionsHeldBy, unitEnrolmentFacts, type AssistingActor, type Application } from '../applications';
import { sessionsForApplications, unitEnrolments, unitsOf, type SessionForApplication, type Unit } from '../catalogue';
import { currentDocument, issueDocument, lockDocumentSubject, type IssuedDocument } from '../documents';
import { fundingAttestationPdf } from './funding.pdf';
import { feeFor, payerOf, priceList, semesterLoad, type Fee, type PriceLine } from './funding.rules';
import { enrolmentFundings, fundingPrices } from './funding.table';
import { openPayment, signingOf, type PaymentFailure, type SchoolDeps, type Staff } from './payments.service';
import { enrolmentAttendance } from './ports';

/**
 * CRED-2, CRED-5 (docs/decisions/027): enrolment all year in a unit, with its funding. The
 * applications module writes the enrolment (the lifecycle's `enrolUnit`, under the session's and
 * the learner's locks); this module, in the same transaction, records the funding with its fee
 * (the price list's line for the source, `feeFor`), and then either the amount due by the learner
 * (`personal`: the payment path of PAY-2, as a validated enrolment's) or the funder's attestation
 * (a document of the register, PAY-10): every other source is a funder, invoiced, the learner
 * enrolled at once.
 */

export interface FundingDeps extends SchoolDeps {
  profile: Profile;
}

const failure = (code: PaymentFailure['code'], message: MessageKey, params?: PaymentFailure['params']): PaymentFailure => ({ ok: false, code, message, ...(params ? { params } : {}) });

/** CRED-5: the price list as it stands (the defaults for the sources never set). */
export async function currentPriceList(db: DbOrTx): Promise<Record<FundingSource, PriceLine>> {
  const rows = await db.select({ source: fundingPrices.source, basis: fundingPrices.basis, amountCents: fundingPrices.amountCents }).from(fundingPrices);
  return priceList(rows);
}

/** CRED-5: the administrator sets a source's line (admin only, in the route and here); audited. */
export async function setPrice(deps: Pick<SchoolDeps, 'db' | 'clock'>, staff: Staff, line: { source: FundingSource; basis: PriceBasis; amountCents: number }): Promise<{ ok: true } | PaymentFailure> {
  if (staff.role !== 'admin') return failure('forbidden', 'error.forbidden.message');
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(fundingPrices)
      .values({ ...line, updatedAt: now, updatedBy: staff.id })
      .onConflictDoUpdate({ target: fundingPrices.source, set: { basis: line.basis, amountCents: line.amountCents, updatedAt: now, updatedBy: staff.id } });
    await audit(tx, deps.clock, { action: 'funding.price', actorId: staff.id, subjectId: null, data: line });
  });
  return { ok: true };
}

/** What a unit's session offers a learner: every source with its fee, or why it cannot be enrolled in now. */
export interface UnitOffer {
  session: SessionForApplication;
  unit: Unit;
  fees: Fee[];
  /** The lifecycle's refusal of `enrolUnit` now (null: it may be enrolled in). */
  refusal: MessageKey | null;
}

/**
 * CRED-2, CRED-5: for these sessions, what `enrolUnit` says now (the credits profile, a unit,
 * not ended, a free place, not cancelled) and the fee of each source: what the sheet and the
 * confirmation page show (they never decide it again; the enrolment decides under the locks).
 */
export async function unitOffers(db: DbOrTx, deps: { clock: FundingDeps['clock']; profile: Profile }, sessions: readonly SessionForApplication[]): Promise<Map<number, UnitOffer>> {
  const offers = new Map<number, UnitOffer>();
  if (sessions.length === 0) return offers;
  const [facts, units, prices] = await readTogether(db, [async () => unitEnrolmentFacts(db, deps, sessions), async () => unitsOf(db, { ids: [...new Set(sessions.map((s) => s.courseId))] }), async () => currentPriceList(db)]);
  const unitOf = new Map(units.map((u) => [u.id, u]));
  for (const session of sessions) {
    const unit = unitOf.get(session.courseId);
    if (!unit) continue;
    const no = refusal('enrolUnit', { ...facts.get(session.id)!, status: 'accepted', period: session.period }, { role: 'learner', now: deps.clock.now() });
    offers.set(session.id, { session, unit, fees: fundingSources.map((source) => feeFor(prices[source], unit)), refusal: no?.message ?? null });
  }
  return offers;
}

/** CRED-2: the confirmation page's facts: the offer, and the units the learner would follow that semester with this one. */
export async function enrolmentPreview(deps: FundingDeps, learnerId: string, sessionCode: string): Promise<(UnitOffer & { load: { units: number; beyondAdvice: boolean } }) | null> {
  const [session] = await sessionsForApplications(deps.db, { codes: [sessionCode] });
  if (!session) return null;
  const offer = (await unitOffers(deps.db, deps, [session])).get(session.id);
  if (!offer) return null;
  return { ...offer, load: await loadWith(deps.db, learnerId, { semester: offer.unit.semester, firstMeeting: session.firstMeeting, sessionId: session.id }) };
}

/** CRED-2: the units the learner holds a place in (accepted, awaiting payment, enrolled) in the candidate's semester, with it. */
async function loadWith(db: DbOrTx, learnerId: string, candidate: { semester: 1 | 2; firstMeeting: string; sessionId: number }) {
  const held = await heldUnitRuns(db, learnerId, candidate.sessionId);
  return semesterLoad(candidate, held);
}

async function heldUnitRuns(db: DbOrTx, learnerId: string, exceptSessionId: number) {
  const ids = await sessionsHeldBy(db, learnerId);
  const sessions = await sessionsForApplications(db, { ids: ids.filter((id) => id !== exceptSessionId) });
  const units = new Map((await unitsOf(db, { ids: [...new Set(sessions.map((s) => s.courseId))] })).map((u) => [u.id, u]));
  return sessions.flatMap((s) => (units.has(s.courseId) ? [{ semester: units.get(s.courseId)!.semester, firstMeeting: s.firstMeeting }] : []));
}

export type EnrolOutcome = { ok: true; applicationId: string; source: FundingSource; status: Application['status']; already: boolean } | PaymentFailure;

/**
 * CRED-2, CRED-5: enrols the learner in a unit's session (the lifecycle's `enrolUnit` is the learner's
 * own; `actor` stays for a help desk's route to come, which the row would have to allow first)
 * with this funding source, in one transaction: the enrolment (applications' `enrolInUnit`: the
 * locks, places and caps), the funding with its fee, then the amount due (personal: due by the
 * session's second meeting, reminded the day after, PAY-1) or the funder's attestation. Twice
 * in the same session (a double click) answers as the first time, with its first source.
 */
export async function enrolInUnit(deps: FundingDeps, input: { learnerId: string; sessionCode: string; source: FundingSource; actor?: AssistingActor }): Promise<EnrolOutcome> {
  const [found] = await sessionsForApplications(deps.db, { codes: [input.sessionCode] });
  if (!found) return failure('not_found', 'error.notFound.message');
  const [unit] = await unitsOf(deps.db, { ids: [found.courseId] });
  const policies = await getPolicies(deps.db);
  const prices = await currentPriceList(deps.db);
  const fee = unit ? feeFor(prices[input.source], unit) : null;
  const next = (t: Translator) =>
    !fee ? '' : fee.payer === 'learner' ? t('cred.email.next.personal', { amount: money(t, fee.learnerCents) }) : t('cred.email.next.funder', { amount: money(t, fee.funderCents), funder: t(`cred.funding.source.${input.source}`) });
  return deps.db.transaction(async (tx) => {
    const made = await enrolApplication(tx, deps, { learnerId: input.learnerId, sessionId: found.id, funding: input.source, maxActive: policies.maxActiveApplications, actor: input.actor, extra: { next } });
    // APP-2, APP-3, APP-5's messages name the other course and the cap.
    if (!made.ok) {
      const other = 'conflictWith' in made && made.conflictWith ? made.conflictWith.title : undefined;
      const params: Record<string, string | number> | undefined = other !== undefined ? { title: other } : made.message === 'app.refused.cap' ? { max: policies.maxActiveApplications } : undefined;
      return failure(made.code === 'not_found' ? 'not_found' : 'refused', made.message, params);
    }
    const { application, session } = made;
    if (made.already) {
      const [funding] = await tx.select().from(enrolmentFundings).where(eq(enrolmentFundings.applicationId, application.id));
      return { ok: true as const, applicationId: application.id, source: funding?.source ?? input.source, status: application.status, already: true };
    }
    // The row's guard refused anything but a unit: `fee` is known here.
    const now = deps.clock.now();
    await tx.insert(enrolmentFundings).values({
      applicationId: application.id,
      learnerId: input.learnerId,
      sessionId: session.id,
      source: input.source,
      basis: fee!.basis,
      unitPriceCents: fee!.unitPriceCents,
      credits: fee!.credits,
      feeCents: fee!.feeCents,
      createdAt: now,
    });
    if (fee!.payer === 'learner') {
      await openPayment(tx, now, { applicationId: application.id, learnerId: input.learnerId, session, amountCents: fee!.learnerCents, rate: 'full' });
    } else {
      await issueFundingAttestation(tx, deps, application, session, unit!, input.source);
    }
    await audit(tx, deps.clock, { action: 'funding.enrolled', actorId: input.actor?.id ?? input.learnerId, subjectId: application.id, data: { source: input.source, feeCents: fee!.feeCents, payer: fee!.payer } });
    return { ok: true as const, applicationId: application.id, source: input.source, status: application.status, already: false };
  });
}


async function issueFundingAttestation(tx: DbOrTx, deps: FundingDeps, application: Application, session: SessionForApplication, unit: Unit, source: FundingSource): Promise<IssuedDocument> {
  await lockDocumentSubject(tx, 'funding_attestation', application.id);
  const current = await currentDocument(tx, signingOf(deps), 'funding_attestation', application.id);
  if (current?.status === 'valid') return current;
  const names = await learnerNames(tx, [application.learnerId]);
  return issueDocument(tx, signingOf(deps), {
    kind: 'funding_attestation',
    subjectId: application.id,
    holderName: names.get(application.learnerId) ?? '',
    title: `${unit.code} ${session.title}`,
    issuerName: translator('fr')('service.name'),
    validFrom: session.firstMeeting,
    validUntil: session.lastMeeting,
    scopeSessionId: session.id,
    details: { session: session.code, funder: source, credits: String(unit.credits) },
  });
}

/** CRED-5: the funding of these enrolments, by application id (staff lists, the learner's page). */
export async function fundingsOf(db: DbOrTx, applicationIds: string[]): Promise<Map<string, typeof enrolmentFundings.$inferSelect>> {
  const ids = applicationIds.filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(enrolmentFundings).where(inArray(enrolmentFundings.applicationId, ids)).orderBy(asc(enrolmentFundings.createdAt));
  return new Map(rows.map((r) => [r.applicationId, r]));
}

/** CRED-5: the learner's own enrolment in a unit with its funding (null: not theirs, or not one). */
export async function learnerEnrolment(deps: Pick<SchoolDeps, 'db'>, learnerId: string, applicationId: string) {
  const application = await applicationById(deps.db, applicationId);
  if (!application || application.learnerId !== learnerId) return null;
  const funding = (await fundingsOf(deps.db, [application.id])).get(application.id);
  if (!funding) return null;
  const [session] = await sessionsForApplications(deps.db, { ids: [application.sessionId] });
  const [unit] = await unitsOf(deps.db, { ids: [application.courseId] });
  return { application, funding, session, unit: unit ?? null, payer: payerOf(funding.source) };
}

/**
 * CRED-5: the funder's attestation, for the learner (to send to their funder: the FAQ's
 * "justificatifs transmis à l'organisme qui finance"): learner, unit, credits, hours, dates, fee,
 * funder, and the attendance so far once the unit has started (the attendance module's count,
 * remote connection hours included). The same document (code, signature) at every download;
 * the attendance is read at the download. Null when not theirs, personal, or no longer live.
 */
export async function fundingAttestation(deps: FundingDeps, learner: { id: string; locale: Locale }, applicationId: string): Promise<{ pdf: Buffer; name: string } | null> {
  const found = await learnerEnrolment(deps, learner.id, applicationId);
  if (!found || found.payer !== 'funder' || !found.unit || !inGroup('holdsPlace', found.application.status)) return null;
  const { application, funding, session, unit } = found;
  const doc = await deps.db.transaction((tx) => issueFundingAttestation(tx, deps, application, session, unit, funding.source));
  const today = parisDay(deps.clock.now());
  const attendance = session.firstMeeting <= today ? await enrolmentAttendance.ask(deps.db, deps.clock.now(), { id: application.id, sessionId: session.id }) : null;
  const holderName = (await learnerNames(deps.db, [learner.id])).get(learner.id) ?? '';
  const pdf = await fundingAttestationPdf({
    locale: learner.locale,
    holderName,
    sessionTitle: session.title,
    sessionCode: session.code,
    schoolName: session.schoolName,
    unitCode: unit.code,
    credits: unit.credits,
    hours: unit.hourlyVolume,
    firstMeeting: session.firstMeeting,
    lastMeeting: session.lastMeeting,
    feeCents: funding.feeCents,
    source: funding.source,
    attendance: attendance ? { ...attendance, on: today } : null,
    issuedAt: doc.issuedAt,
    code: doc.displayCode,
    verifyUrl: doc.verifyUrl,
    serviceName: translator(learner.locale)('service.name'),
  });
  return { pdf, name: `attestation-financement-${unit.code}.pdf` };
}

// CRED-2: the unit's sheet asks which sessions take an enrolment now, with each source's fee.
unitEnrolments.provide(async (db, input) => {
  const sessions = await sessionsForApplications(db, { codes: input.sessionCodes });
  const offers = await unitOffers(db, { clock: { now: () => input.now }, profile: input.profile }, sessions);
  return new Map([...offers.values()].filter((o) => o.refusal === null).map((o) => [o.session.code, { fees: o.fees.map((f) => ({ source: f.source, feeCents: f.feeCents, payer: f.payer })) }]));
});
