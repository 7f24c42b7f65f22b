import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { fundingSources, priceBases } from '../../domain/vocabulary';
import { applications } from '../applications/applications.table';
import { courseSessions } from '../catalogue/catalogue.table';

/**
 * CRED-5: the institution's price list, one line per funding source: an amount per ECTS credit
 * or per unit. A source without a line costs what `funding.rules.ts`'s defaults say. A change
 * applies to enrolments made after it: each enrolment keeps the fee it was given.
 */
export const fundingPrices = pgTable(
  'funding_prices',
  {
    source: text('source', { enum: fundingSources }).primaryKey(),
    basis: text('basis', { enum: priceBases }).notNull(),
    amountCents: integer('amount_cents').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [check('funding_prices_amount', sql`${t.amountCents} between 0 and 500000`)],
);

/**
 * CRED-5: the funding of an enrolment in a unit (CRED-2), recorded with it: the source, the
 * price line as it was, the credits, the fee and who pays it (the learner for `personal`, else
 * the funder, invoiced; the learner then pays nothing).
 */
export const enrolmentFundings = pgTable(
  'enrolment_fundings',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id),
    learnerId: uuid('learner_id').notNull(),
    /** For the staff lists of a session, without asking another module per row. */
    sessionId: integer('session_id')
      .notNull()
      .references(() => courseSessions.id),
    source: text('source', { enum: fundingSources }).notNull(),
    basis: text('basis', { enum: priceBases }).notNull(),
    unitPriceCents: integer('unit_price_cents').notNull(),
    credits: integer('credits').notNull(),
    feeCents: integer('fee_cents').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('enrolment_fundings_session_idx').on(t.sessionId), check('enrolment_fundings_fee', sql`${t.feeCents} between 0 and 10000000`)],
);
