import { eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import type { DocumentKind } from '../../domain/vocabulary';
import { translator, type Locale } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import { getUsers, learnerNames, lockUser } from '../accounts';
import { applicationById, refusal, type Action } from '../applications';
import { sessionsForApplications, sessionsInScope, type SessionForApplication } from '../catalogue';
import { currentDocument, issueDocument, lockDocumentSubject, type IssuedDocument } from '../documents';
import { scopeOf } from '../scopes';
import { costAttestationPdf, enrolleeCardPdf, paymentAttestationPdf, receiptPdf } from './documents.pdf';
import { issueCard, learnerPayment, livePayment, refundGranted, signingOf, type PaymentFailure, type SchoolDeps, type Staff } from './payments.service';
import { payments } from './payments.table';
import { cardStamps } from './ports';

/**
 * The PDFs of enrolment and payment (PAY-3, PAY-4, PAY-8), each a document of the register
 * (PAY-10): issued once and downloaded again as issued (its code and signature do not change),
 * re-issued only when replaced. The learner gets their own; staff in scope, the receipts and a
 * new card.
 */

export type LearnerPdf = 'card' | 'cost' | 'payment';
const pdfAction: Record<LearnerPdf, Action> = { card: 'paymentDocuments', cost: 'costAttestation', payment: 'paymentDocuments' };
const pdfKind: Record<LearnerPdf, DocumentKind> = { card: 'enrollee_card', cost: 'cost_attestation', payment: 'payment_attestation' };

/** "2026-2027": the school year of a session (from August). */
export function schoolYear(firstMeeting: string): string {
  const year = Number(firstMeeting.slice(0, 4));
  return Number(firstMeeting.slice(5, 7)) >= 8 ? `${year}-${year + 1}` : `${year - 1}-${year}`;
}

/**
 * A document of this kind about this subject: the valid one, or a new one. In the caller's
 * transaction, under the register's lock of that kind and subject, so that two first downloads
 * at once make one document.
 */
async function documentFor(tx: Tx, deps: SchoolDeps, kind: DocumentKind, subjectId: string, make: () => Promise<IssuedDocument>): Promise<IssuedDocument> {
  await lockDocumentSubject(tx, kind, subjectId);
  const current = await currentDocument(tx, signingOf(deps), kind, subjectId);
  return current?.status === 'valid' ? current : make();
}

const subjectOf = (session: SessionForApplication, holderName: string, locale: Locale) => ({
  locale,
  holderName,
  sessionTitle: session.title,
  sessionCode: session.code,
  schoolName: session.schoolName,
});

/**
 * The learner's own PDF, if the lifecycle allows it now (the cost attestation while awaiting
 * payment; the card and the payment attestation once paid); null for someone else's (404).
 */
export async function learnerPdf(deps: SchoolDeps, learner: { id: string; locale: Locale }, applicationId: string, which: LearnerPdf): Promise<{ pdf: Buffer; name: string } | null> {
  const page = await learnerPayment(deps, learner.id, applicationId);
  if (!page || !page.payment || !page.actions.has(pdfAction[which])) return null;
  const { application, session, payment } = page;
  const holderName = (await learnerNames(deps.db, [learner.id])).get(learner.id) ?? '';
  const subject = subjectOf(session, holderName, learner.locale);
  const serviceName = translator(learner.locale)('service.name');
  const doc = await deps.db.transaction((tx) =>
    documentFor(tx, deps, pdfKind[which], application.id, () =>
      which === 'card'
        ? issueCard(tx, deps, { application, session, replace: false })
        : issueDocument(tx, signingOf(deps), {
            kind: pdfKind[which],
            subjectId: application.id,
            holderName,
            title: session.title,
            issuerName: serviceName,
            validFrom: session.firstMeeting,
            validUntil: which === 'cost' ? payment.dueOn : null,
            scopeSessionId: session.id,
            details: { session: session.code, amount: String(payment.amountCents) },
          }),
    ),
  );
  const proof = { code: doc.displayCode, verifyUrl: doc.verifyUrl };
  const costs = { firstMeeting: session.firstMeeting, lastMeeting: session.lastMeeting, hours: session.hourlyVolume, rate: payment.rate, amountCents: payment.amountCents, serviceName };
  if (which === 'card')
    return {
      name: `carte-${session.code}.pdf`,
      pdf: await enrolleeCardPdf({ ...subject, ...proof, year: schoolYear(session.firstMeeting), cardNumber: doc.displayCode, issuedAt: doc.issuedAt, stamps: await cardStamps.ask(deps.db, application.id), serviceName }),
    };
  if (which === 'cost') return { name: `attestation-cout-${session.code}.pdf`, pdf: await costAttestationPdf({ ...subject, ...proof, ...costs, issuedAt: doc.issuedAt }) };
  return {
    name: `attestation-paiement-${session.code}.pdf`,
    pdf: await paymentAttestationPdf({ ...subject, ...proof, ...costs, issuedAt: doc.issuedAt, paidAt: payment.paidAt!, method: payment.method!, payerName: payment.payerName }),
  };
}

/** The session of a payment, if it is in the staff member's scope. */
async function paymentInScope(db: DbOrTx, staff: Staff, paymentId: string) {
  if (!isUuid(paymentId)) return null;
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
  if (!payment) return null;
  const [session] = await sessionsForApplications(db, { ids: [payment.sessionId] });
  const [inScope] = await sessionsInScope(db, await scopeOf(db, staff), { code: session.code });
  return inScope ? { payment, session } : null;
}

/** PAY-3: the receipt of a payment recorded at the school, for staff in scope; null otherwise (404). */
export async function receipt(deps: SchoolDeps, staff: Staff & { locale: Locale }, paymentId: string): Promise<{ pdf: Buffer; name: string } | null> {
  const found = await paymentInScope(deps.db, staff, paymentId);
  if (!found || found.payment.status !== 'paid' || (found.payment.method !== 'cheque' && found.payment.method !== 'cash')) return null;
  const { payment, session } = found;
  const holderName = (await learnerNames(deps.db, [payment.learnerId])).get(payment.learnerId) ?? '';
  const recorder = payment.recordedBy ? (await getUsers(deps.db, [payment.recordedBy])).get(payment.recordedBy) : undefined;
  const doc = await deps.db.transaction((tx) =>
    documentFor(tx, deps, 'receipt', payment.id, () =>
      issueDocument(tx, signingOf(deps), {
        kind: 'receipt',
        subjectId: payment.id,
        holderName,
        title: session.title,
        issuerName: session.schoolName,
        scopeSessionId: session.id,
        details: { session: session.code, amount: String(payment.amountCents), method: payment.method! },
      }),
    ),
  );
  return {
    name: `recu-${payment.reference}.pdf`,
    pdf: await receiptPdf({
      ...subjectOf(session, holderName, staff.locale),
      code: doc.displayCode,
      verifyUrl: doc.verifyUrl,
      method: payment.method as 'cheque' | 'cash',
      amountCents: payment.amountCents,
      chequeNumber: payment.chequeNumber ?? undefined,
      bank: payment.chequeBank ?? undefined,
      payerName: payment.payerName ?? holderName,
      cashTenderedCents: payment.cashTenderedCents ?? undefined,
      recordedBy: recorder?.displayName ?? recorder?.email ?? '',
      recordedAt: payment.paidAt!,
      cashOffice: deps.cashOffice,
    }),
  };
}

/**
 * PAY-4: the school head replaces a lost card: a new card, the old one "replaced" on the public
 * page (no longer valid). In scope only; the lifecycle's `replaceCard` row says who and when.
 */
export async function replaceCard(deps: SchoolDeps, staff: Staff, applicationId: string): Promise<{ ok: true; code: string } | PaymentFailure> {
  const application = await applicationById(deps.db, applicationId);
  if (!application) return { ok: false, code: 'not_found', message: 'error.notFound.message' };
  const [session] = await sessionsForApplications(deps.db, { ids: [application.sessionId] });
  const [inScope] = await sessionsInScope(deps.db, await scopeOf(deps.db, staff), { code: session.code });
  if (!inScope) return { ok: false, code: 'not_found', message: 'error.notFound.message' };
  // Decided under the locks of every change of an enrolment (learner → application → payment): a refund granted meanwhile wins.
  return deps.db.transaction(async (tx) => {
    await lockUser(tx, application.learnerId);
    const current = (await applicationById(tx, applicationId, { lock: true }))!;
    const payment = await livePayment(tx, applicationId, { lock: true });
    const facts = { status: current.status, period: session.period, paid: payment?.status === 'paid' && !(await refundGranted(tx, payment.id)) };
    const no = refusal('replaceCard', facts, { role: staff.role, now: deps.clock.now() });
    if (no) return { ok: false as const, code: no.code === 'role' ? ('forbidden' as const) : ('refused' as const), message: no.message };
    const card = await issueCard(tx, deps, { application: current, session, replace: true });
    return { ok: true as const, code: card.displayCode };
  });
}
