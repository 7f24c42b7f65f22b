/**
 * Loads every module's message catalogue (each registers itself with the platform's i18n), so the
 * translators know every key before the first page, email or CLI message. Imported by the
 * composition root (app.ts, main.ts) and the test helpers; a new module's messages file is added
 * here (src/messages.unit.test.ts checks none is missing).
 */
import './modules/help/help.messages';
import './modules/accounts/accounts.messages';
import './modules/accounts/consents.messages';
import './modules/accounts/oidc.messages';
import './modules/accounts/takeover.messages';
import './modules/accounts/notify.messages';
import './modules/catalogue/catalogue.messages';
import './modules/catalogue/credits.messages';
import './modules/catalogue/enrol.messages';
import './modules/documents/documents.messages';
import './modules/applications/applications.messages';
import './modules/applications/enrolment.messages';
import './modules/applications/units.messages';
import './modules/applications/attendance.messages';
import './modules/applications/cancellations.messages';
import './modules/payments/payments.messages';
import './modules/applications/proofs.messages';
import './modules/payments/staff.messages';
import './modules/payments/refunds.messages';
import './modules/payments/funding.messages';
import './modules/selection/selection.messages';
import './modules/selection/draw.messages';
import './modules/selection/responder.messages';
import './modules/staff/staff.messages';
import './modules/admin/admin.messages';
import './modules/home/home.messages';
import './modules/payments/pdf.messages';
import './modules/payments/statements.messages';
import './modules/attendance/connections.messages';
import './modules/attendance/incidents.messages';
import './modules/attendance/attendance.messages';
import './modules/attendance/registers.messages';
import './modules/attendance/calendar.messages';
import './modules/certification/certification.messages';
import './modules/certification/history.messages';
import './modules/certification/outcomes.messages';
import './modules/certification/levels.messages';
import './modules/certification/credits.messages';
import './modules/programmes/programmes.messages';
import './modules/exams/exams.messages';
import './modules/programmes/diplomas.messages';
import './modules/cancellations/cancellations.messages';
import './modules/legacy/legacy.messages';
import './modules/contact/contact.messages';
import './modules/desk/desk.messages';
import './modules/desk/help-desks.messages';
import './modules/webhooks/webhooks.messages';
import './modules/privacy/privacy.messages';
import './modules/privacy/registry-b.messages';
import './modules/privacy/retention.messages';
import './modules/privacy/register.messages';
import './modules/privacy/export.messages';
import './modules/privacy/closure.messages';
import './modules/privacy/registry-a.messages';
import './modules/figures/figures.messages';
import './modules/opendata/opendata.messages';
import './modules/opendata/csv.messages';
