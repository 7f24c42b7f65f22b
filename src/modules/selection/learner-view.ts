import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { selectionViews, type SelectionView } from '../applications';
import { sessionsForApplications } from '../catalogue';
import { convocations, offers, prerequisiteRefusals } from './selection.table';
import { preferencePositions } from './responder.service';

/**
 * What the learner's page shows of selection for each application: the place offered and not
 * yet answered (SEL-7, SEL-8), the convocation (SEL-3), the reason of a refusal (SEL-1). The
 * applications module asks; this answers.
 */
export async function learnerSelectionViews(db: DbOrTx, applicationIds: string[]): Promise<Map<string, SelectionView>> {
  if (applicationIds.length === 0) return new Map();
  const [openOffers, convocationRows, refusals, preferences] = await Promise.all([
    db.select().from(offers).where(and(inArray(offers.applicationId, applicationIds), eq(offers.status, 'open'))),
    db.select().from(convocations).where(inArray(convocations.applicationId, applicationIds)),
    db.select().from(prerequisiteRefusals).where(inArray(prerequisiteRefusals.applicationId, applicationIds)),
    // SEL-13: the application's place in the learner's list, while the responder is on.
    preferencePositions(db, applicationIds),
  ]);
  const sessions = new Map((await sessionsForApplications(db, { ids: [...new Set(openOffers.map((o) => o.sessionId))] })).map((s) => [s.id, s]));
  return new Map(
    applicationIds.map((id) => {
      const offer = openOffers.find((o) => o.applicationId === id);
      const convocation = convocationRows.find((c) => c.applicationId === id);
      return [
        id,
        {
          offer: offer ? { id: offer.id, kind: offer.kind, expiresAt: offer.expiresAt, session: sessions.get(offer.sessionId)! } : null,
          convocation: convocation ? { kind: convocation.kind, at: convocation.at, place: convocation.place, token: convocation.token, attendance: convocation.attendance } : null,
          refusalReason: refusals.find((r) => r.applicationId === id)?.reason ?? null,
          preference: preferences.get(id) ?? null,
        },
      ];
    }),
  );
}

selectionViews.provide(learnerSelectionViews);
