/**
 * The payments module's facade (SPEC PAY): enrolment validation, amounts due, online payment
 * through a provider (PayFiP, or its simulation), payment at the school, third-party links.
 * Its tables (payments, payment_attempts, payment_links, refunds, statements) are its own.
 */
import './payments.messages'; // registers the module's messages
import './pdf.messages';
import './statements.messages';
import './funding.messages';
import './funding.service'; // answers the catalogue's `unitEnrolments`

export {
  createPaymentLink,
  issueCard,
  signingOf,
  learnerPayment,
  livePayment,
  paymentByLink,
  paymentJobs,
  paymentReceived,
  paymentSweep,
  payByLink,
  payOwn,
  recordSchoolPayment,
  releaseUnpaid,
  remindUnpaid,
  settleAttempt,
  startAttempt,
  sweepAttempts,
  validateEnrolment,
  type Attempt,
  type LearnerPayment,
  type Payment,
  type PaymentDeps,
  type PaymentFailure,
  type SchoolDeps,
} from './payments.service';
export type { PaymentProvider } from './provider';
export { paymentRoutes } from './payments.routes';
export { mayReadStatements } from './statements.rules';
export { statementRoutes } from './statements.routes';
export { paymentStaffRoutes } from './staff.routes';
export { daysInOrder, filterDay, filterId } from './staff.schema';
export { refundRoutes } from './refunds.routes';
export { settleCancelledApplication, type CancellationMoney } from './refunds.service';
export { paymentProvider } from './providers';
export { paymentJobKinds } from './payments.service';
export { cardStamps, type CardStamps } from './ports';
export { certificatePdf, type CertificatePdfInput, type DocumentProof, type DocumentSubject } from './documents.pdf';
export { paymentsDataSets } from './payments.personal';
export { paymentFigures, refundFigures, type PaymentFigures, type RefundFigures } from './figures';
export { currentPriceList, enrolInUnit, fundingAttestation, fundingsOf, setPrice, unitOffers, type FundingDeps } from './funding.service';
export { feeFor, payerOf, priceList, semesterLoad, type Fee, type PriceLine } from './funding.rules';
export { enrolmentAttendance } from './ports';
