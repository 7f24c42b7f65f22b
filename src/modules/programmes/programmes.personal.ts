import { and, asc, eq, isNotNull, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx, Tx } from '../../db/database';
import { cutoffOf } from '../../platform/periods';
import type { PersonalColumn, PersonalDataSet, RetentionRule } from '../../platform/personal-data';
import { untilInactive } from '../accounts';
import { forgetDiplomaRequests } from './diplomas.service';
import { diplomaRequests, programmeFollowers, programmes } from './programmes.table';

/**
 * ACC-11, ACC-14: the programmes module holds about a learner the programmes they chose to
 * follow, kept as long as the account, and their requests for a diploma or a duplicate. The
 * diplomas granted are the academic record (decision 029): a closure keeps them, pseudonymous
 * under the account's tombstone, for `issuedDocumentRetentionYears` from the decision, as the
 * units earned they rest on; the requests pending or refused and the staff's reasons go with the
 * account, a duplicate's proof file at the decision already. The programmes themselves are the
 * offer (`updated_by` is a staff account's id, the service's work record).
 */
const academicRecord: RetentionRule = { policy: 'issuedDocumentRetentionYears', unit: 'years', from: 'privacy.from.diplomaDecided' };
const request = (rule: RetentionRule, category: PersonalColumn['category'] = 'result'): PersonalColumn => ({ category, purpose: 'privacy.purpose.programmes.diploma', basis: 'public_task', retention: rule, end: 'delete' });

export const programmesDataSet: PersonalDataSet = {
  name: 'programmes',
  tables: [
    { table: 'programmes', personal: {}, other: ['id', 'code', 'title', 'kind', 'required_credits', 'updated_by', 'updated_at'] },
    { table: 'programme_lists', personal: {}, other: ['id', 'programme_id', 'position', 'choose'] },
    { table: 'programme_list_units', personal: {}, other: ['list_id', 'course_id'] },
    {
      table: 'programme_followers',
      personal: { learner_id: { category: 'result', purpose: 'privacy.purpose.programmes.follow', basis: 'public_task', retention: untilInactive, end: 'delete' } },
      other: ['programme_id', 'followed_at'],
    },
    {
      table: 'diploma_requests',
      personal: {
        learner_id: request(academicRecord),
        kind: request(academicRecord),
        status: request(academicRecord),
        credits_earned: request(academicRecord),
        reason: request(untilInactive, 'message'),
        decision_reason: request(untilInactive, 'message'),
      },
      other: ['id', 'programme_id', 'original_id', 'proof_file_id', 'requested_at', 'decided_by', 'decided_at', 'document_id'],
    },
  ],
  exportOf: async (db: DbOrTx, userId: string) => {
    const rows = await db
      .select({ code: programmes.code, title: programmes.title, followedAt: programmeFollowers.followedAt })
      .from(programmeFollowers)
      .innerJoin(programmes, eq(programmes.id, programmeFollowers.programmeId))
      .where(eq(programmeFollowers.learnerId, userId))
      .orderBy(asc(programmeFollowers.followedAt));
    const requests = await db
      .select({
        programme: programmes.code,
        kind: diplomaRequests.kind,
        reason: diplomaRequests.reason,
        status: diplomaRequests.status,
        creditsEarned: diplomaRequests.creditsEarned,
        requestedAt: diplomaRequests.requestedAt,
        decidedAt: diplomaRequests.decidedAt,
        decisionReason: diplomaRequests.decisionReason,
      })
      .from(diplomaRequests)
      .innerJoin(programmes, eq(programmes.id, diplomaRequests.programmeId))
      .where(eq(diplomaRequests.learnerId, userId))
      .orderBy(asc(diplomaRequests.requestedAt), asc(diplomaRequests.id));
    return [
      { key: 'programmesFollowed', title: 'privacy.section.programmes.followed', rows },
      { key: 'diplomaRequests', title: 'privacy.section.programmes.diplomas', rows: requests },
    ];
  },
  /** ACC-11: a request waiting for the staff's decision stops the closure (its answer would reach nobody). */
  blocksClosure: async (db: DbOrTx, userId: string) => {
    const [pending] = await db
      .select({ id: diplomaRequests.id })
      .from(diplomaRequests)
      .where(and(eq(diplomaRequests.learnerId, userId), eq(diplomaRequests.status, 'pending')))
      .limit(1);
    return pending ? ['privacy.block.programmes.diploma'] : [];
  },
  forget: async (tx: Tx, userId: string) => {
    await tx.delete(programmeFollowers).where(eq(programmeFollowers.learnerId, userId));
    await forgetDiplomaRequests(tx, userId);
  },
  retention: {
    notice: false,
    /** CRED-4: the diplomas decided longer ago than the academic record's period: duplicates first, then the originals no duplicate still points at. */
    async sweep(db, { at, policies, limit }) {
      const cutoff = cutoffOf(academicRecord, policies, at);
      const duplicates = await db
        .delete(diplomaRequests)
        .where(
          and(
            isNotNull(diplomaRequests.originalId),
            lte(diplomaRequests.decidedAt, cutoff),
            sql`${diplomaRequests.id} in (select id from diploma_requests where original_id is not null and decided_at <= ${cutoff} limit ${limit})`,
          ),
        )
        .returning({ id: diplomaRequests.id });
      if (duplicates.length >= limit) return duplicates.length;
      const later = alias(diplomaRequests, 'later');
      const originals = await db
        .select({ id: diplomaRequests.id })
        .from(diplomaRequests)
        .where(and(eq(diplomaRequests.kind, 'original'), lte(diplomaRequests.decidedAt, cutoff), notExists(db.select({ one: sql`1` }).from(later).where(eq(later.originalId, diplomaRequests.id)))))
        .limit(limit - duplicates.length);
      for (const o of originals) await db.delete(diplomaRequests).where(eq(diplomaRequests.id, o.id));
      return duplicates.length + originals.length;
    },
  },
};
