import { asc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import type { PersonalColumn, PersonalDataSet, TableDeclaration } from '../../platform/personal-data';
import { untilInactive } from '../accounts';
import { applicationPreferences, responderSettings } from './responder.table';

/**
 * ACC-11, ACC-14: SEL-13's order of preference and responder setting: the learner's own choices,
 * kept as long as the account and deleted at its closure.
 */
const untilClosure: PersonalColumn = { category: 'application', purpose: 'privacy.purpose.selection.responder', basis: 'public_task', retention: untilInactive, end: 'delete' };

const tables: readonly TableDeclaration[] = [
  { table: 'application_preferences', personal: { position: untilClosure }, other: ['learner_id', 'application_id'] },
  { table: 'responder_settings', personal: { on: untilClosure, changed_at: untilClosure }, other: ['learner_id', 'version'] },
];

async function exportOf(db: DbOrTx, userId: string) {
  const [list, settings] = await Promise.all([
    db.select().from(applicationPreferences).where(eq(applicationPreferences.learnerId, userId)).orderBy(asc(applicationPreferences.position)),
    db.select().from(responderSettings).where(eq(responderSettings.learnerId, userId)),
  ]);
  if (list.length === 0 && settings.length === 0) return [];
  return [
    {
      key: 'responder',
      title: 'privacy.section.selection.responder',
      rows: [...settings.map((s) => ({ responderOn: s.on, changedAt: s.changedAt })), ...list.map((p) => ({ applicationId: p.applicationId, position: p.position }))],
    },
  ];
}

async function forget(tx: Tx, userId: string): Promise<void> {
  await tx.delete(applicationPreferences).where(eq(applicationPreferences.learnerId, userId));
  await tx.delete(responderSettings).where(eq(responderSettings.learnerId, userId));
}

export const responderDataSet: PersonalDataSet = { name: 'selection.responder', tables, exportOf, forget };
