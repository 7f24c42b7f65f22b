import { and, asc, eq, gt, inArray, isNotNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import { parisInstant, systemClock } from '../../platform/clock';
import { deleteStoredFile, storedFileInfo } from '../../platform/files';
import { cutoffOf, endOf } from '../../platform/periods';
import type { DueItem, PersonalColumn, PersonalDataSet, RetentionRule } from '../../platform/personal-data';
import type { Policies } from '../../platform/policies';
import { lockUser, parisDay, untilInactive } from '../accounts';
import { sessionsForApplications } from '../catalogue';
import { applicationEvents, applications } from './applications.table';
import { countsTowardCap, statusIn } from './lifecycle';
import { rateProofs } from './proofs.table';

/**
 * The applications module's personal data (ACC-11, ACC-14): the applications, their history and
 * the half-rate proofs uploaded with them.
 *
 * At the closure the applications stay (payments, attendance and certificates point at them; the
 * account is a tombstone, so they are anonymous) but lose what the learner wrote or revealed: the
 * motivations (free text), the allowance (AAH tells a disability), and a preselection's answers
 * altogether; the proofs and their files are deleted. The events keep their codes (`reason` is a
 * code of `eventReasons`, never free text). A proof goes `proofRetentionMonths` after its
 * application closed, or after the last meeting of the session it enrolled in; never while the
 * application is live.
 */

export const proofRule: RetentionRule = { policy: 'proofRetentionMonths', unit: 'months', from: 'privacy.from.applicationClosed' };

const answer = (category: PersonalColumn['category']): PersonalColumn => ({
  category,
  purpose: 'privacy.purpose.application',
  basis: 'public_task',
  retention: untilInactive,
  end: 'anonymise',
});
const proof = (category: PersonalColumn['category']): PersonalColumn => ({
  category,
  purpose: 'privacy.purpose.rateProof',
  basis: 'public_task',
  retention: proofRule,
  end: 'delete',
});

/** The ids of a learner's applications: what the documents issued about them name. */
export async function applicationIdsOf(db: DbOrTx, learnerId: string): Promise<string[]> {
  const rows = await db.select({ id: applications.id }).from(applications).where(eq(applications.learnerId, learnerId));
  return rows.map((r) => r.id);
}

interface ProofCandidate {
  proofId: string;
  fileId: string;
  learnerId: string;
  status: (typeof applications.$inferSelect)['status'];
  closedAt: Date | null;
  sessionId: number;
}

/**
 * When each proof falls due: closed applications from their closing; enrolments from their
 * session's last meeting (while it runs, `countsTowardCap` says the enrolment is live); a live
 * application's proof never.
 */
async function dueDates(db: DbOrTx, candidates: ProofCandidate[], policies: Policies): Promise<Map<string, Date>> {
  const enrolled = candidates.filter((c) => c.status === 'enrolled');
  const sessions = new Map((await sessionsForApplications(db, { ids: [...new Set(enrolled.map((c) => c.sessionId))] })).map((s) => [s.id, s]));
  const due = new Map<string, Date>();
  for (const c of candidates) {
    if (c.status === 'enrolled') {
      const lastMeeting = sessions.get(c.sessionId)?.lastMeeting;
      if (lastMeeting) due.set(c.proofId, endOf(proofRule, policies, parisInstant(lastMeeting, '23:59')));
    } else if (c.closedAt) due.set(c.proofId, endOf(proofRule, policies, c.closedAt));
  }
  return due;
}

const candidateColumns = {
  proofId: rateProofs.id,
  fileId: rateProofs.fileId,
  learnerId: applications.learnerId,
  status: applications.status,
  closedAt: applications.closedAt,
  sessionId: applications.sessionId,
};

/** Proofs that may be due at `at`: of closed applications closed before the cutoff, and of enrolments (their session decides). */
const mayBeDue = (cutoff: Date) =>
  or(and(statusIn(applications.status, 'closed'), isNotNull(applications.closedAt), lte(applications.closedAt, cutoff)), eq(applications.status, 'enrolled'));

async function deleteProofs(tx: DbOrTx, rows: { proofId: string; fileId: string }[]): Promise<number> {
  if (rows.length === 0) return 0;
  await tx.delete(rateProofs).where(inArray(rateProofs.id, rows.map((r) => r.proofId)));
  for (const row of rows) await deleteStoredFile(tx, row.fileId);
  return rows.length;
}

export const applicationsDataSet: PersonalDataSet = {
  name: 'applications',
  tables: [
    {
      table: 'applications',
      personal: {
        situation: answer('situation'),
        allowance: answer('situation'),
        objective: answer('application'),
        motivations: answer('application'),
      },
      other: ['id', 'learner_id', 'session_id', 'course_id', 'status', 'rules_accepted_at', 'created_at', 'confirmed_at', 'closed_at', 'waiting_rank', 'assisted_by', 'direct'],
    },
    {
      // `reason` is a code (reasons.ts), `actor_id` an account's id, `details` SVC-5's codes (assisted, consent in person): nothing personal in themselves.
      table: 'application_events',
      personal: {},
      other: ['id', 'application_id', 'at', 'actor_id', 'from_status', 'to_status', 'reason', 'details'],
    },
    {
      table: 'rate_proofs',
      personal: {
        allowance: proof('situation'),
        proof_date: proof('situation'),
        file_id: proof('situation'),
        reason: proof('situation'),
      },
      other: ['id', 'application_id', 'status', 'uploaded_at', 'decided_by', 'decided_at'],
    },
  ],
  async exportOf(db, userId) {
    const apps = await db.select().from(applications).where(eq(applications.learnerId, userId)).orderBy(asc(applications.createdAt), asc(applications.id));
    const ids = apps.map((a) => a.id);
    const sessions = new Map((await sessionsForApplications(db, { ids: [...new Set(apps.map((a) => a.sessionId))] })).map((s) => [s.id, s]));
    const events = ids.length
      ? await db.select().from(applicationEvents).where(inArray(applicationEvents.applicationId, ids)).orderBy(asc(applicationEvents.at), asc(applicationEvents.id))
      : [];
    const proofs = ids.length ? await db.select().from(rateProofs).where(inArray(rateProofs.applicationId, ids)).orderBy(asc(rateProofs.uploadedAt)) : [];
    const files = await storedFileInfo(db, proofs.map((p) => p.fileId));
    return [
      {
        key: 'applications',
        title: 'privacy.section.applications',
        rows: apps.map((a) => {
          const session = sessions.get(a.sessionId);
          return {
            id: a.id,
            session: session?.code ?? null,
            course: session?.title ?? null,
            school: session?.schoolName ?? null,
            status: a.status,
            situation: a.situation,
            allowance: a.allowance,
            objective: a.objective,
            motivations: a.motivations,
            rulesAcceptedAt: a.rulesAcceptedAt,
            createdAt: a.createdAt,
            confirmedAt: a.confirmedAt,
            closedAt: a.closedAt,
            waitingRank: a.waitingRank,
            assisted: a.assistedBy !== null,
          };
        }),
      },
      {
        key: 'applicationEvents',
        title: 'privacy.section.applicationEvents',
        // Who: the learner, a staff member or the service (the staff's names are in the audit section).
        rows: events.map((e) => ({
          application: e.applicationId,
          at: e.at,
          by: e.actorId === null ? 'system' : e.actorId === userId ? 'learner' : 'staff',
          from: e.fromStatus,
          to: e.toStatus,
          reason: e.reason,
          ...(e.details ? { assisted: e.details.assisted, consent: e.details.consent } : {}),
        })),
      },
      {
        key: 'rateProofs',
        title: 'privacy.section.rateProofs',
        // The file's description, not its bytes (the learner downloads it from the application's page).
        rows: proofs.map((p) => {
          const file = files.get(p.fileId);
          return {
            application: p.applicationId,
            allowance: p.allowance,
            proofDate: p.proofDate,
            status: p.status,
            reason: p.reason,
            uploadedAt: p.uploadedAt,
            decidedAt: p.decidedAt,
            file: file ? { name: file.originalName, mediaType: file.mediaType, size: file.size } : null,
          };
        }),
      },
    ];
  },
  async blocksClosure(db, userId, clock = systemClock) {
    const apps = await db.select({ status: applications.status, sessionId: applications.sessionId }).from(applications).where(eq(applications.learnerId, userId));
    const sessions = new Map((await sessionsForApplications(db, { ids: [...new Set(apps.map((a) => a.sessionId))] })).map((s) => [s.id, s]));
    const today = parisDay(clock.now());
    // APP-5's live applications: being processed, given a place, or enrolled in a session still running.
    const live = apps.some((a) => countsTowardCap({ status: a.status, lastMeeting: sessions.get(a.sessionId)?.lastMeeting ?? today }, today));
    return live ? ['privacy.block.applicationInProgress'] : [];
  },
  async forget(tx: Tx, userId: string) {
    const ids = await applicationIdsOf(tx, userId);
    if (ids.length === 0) return;
    const proofs = await tx.select({ proofId: rateProofs.id, fileId: rateProofs.fileId }).from(rateProofs).where(inArray(rateProofs.applicationId, ids));
    await deleteProofs(tx, proofs);
    // APP-4's check wants the answers of a validated application: its free text becomes empty.
    await tx
      .update(applications)
      .set({
        allowance: null,
        motivations: sql`case when ${statusIn(applications.status, 'unvalidated')} or ${applications.motivations} is null then null else '' end`,
        situation: sql`case when ${statusIn(applications.status, 'unvalidated')} then null else ${applications.situation} end`,
        objective: sql`case when ${statusIn(applications.status, 'unvalidated')} then null else ${applications.objective} end`,
      })
      .where(eq(applications.learnerId, userId));
  },
  retention: {
    notice: true,
    async due(db, { at, policies, limit, afterUserId }) {
      const cutoff = cutoffOf(proofRule, policies, at);
      const items = new Map<string, DueItem>();
      let after: { learnerId: string; proofId: string } | undefined = afterUserId ? { learnerId: afterUserId, proofId: 'ffffffff-ffff-ffff-ffff-ffffffffffff' } : undefined;
      for (;;) {
        const page = await db
          .select(candidateColumns)
          .from(rateProofs)
          .innerJoin(applications, eq(applications.id, rateProofs.applicationId))
          .where(
            and(
              mayBeDue(cutoff),
              after
                ? or(gt(applications.learnerId, after.learnerId), and(eq(applications.learnerId, after.learnerId), gt(rateProofs.id, after.proofId)))
                : undefined,
            ),
          )
          .orderBy(asc(applications.learnerId), asc(rateProofs.id))
          .limit(500);
        const due = await dueDates(db, page, policies);
        for (const c of page) {
          const dueAt = due.get(c.proofId);
          if (!dueAt || dueAt > at) continue;
          const known = items.get(c.learnerId);
          if (known) {
            if (dueAt < known.dueAt) known.dueAt = dueAt;
          } else {
            // A learner past the limit is left whole for the next batch.
            if (items.size === limit) return [...items.values()];
            items.set(c.learnerId, { userId: c.learnerId, what: 'privacy.due.rateProofs', dueAt });
          }
        }
        if (page.length < 500) return [...items.values()];
        const last = page[page.length - 1];
        after = { learnerId: last.learnerId, proofId: last.proofId };
      }
    },
    async expire(tx, { userId, at, policies }) {
      await lockUser(tx, userId); // re-checked under the learner's lock: nothing changes meanwhile
      const cutoff = cutoffOf(proofRule, policies, at);
      const candidates = await tx
        .select(candidateColumns)
        .from(rateProofs)
        .innerJoin(applications, eq(applications.id, rateProofs.applicationId))
        .where(and(eq(applications.learnerId, userId), mayBeDue(cutoff)));
      const due = await dueDates(tx, candidates, policies);
      return deleteProofs(
        tx,
        candidates.filter((c) => {
          const dueAt = due.get(c.proofId);
          return dueAt !== undefined && dueAt <= at;
        }),
      );
    },
  },
};
