import { eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import type { PersonalColumn, PersonalDataSet, RetentionRule } from '../../platform/personal-data';
import { untilInactive } from './accounts.personal';
import { consentsOf } from './consents.service';
import { consents } from './consents.table';
import { deleteSignInsBefore, deleteSignInsOf, signInsOf } from './sign-ins.service';

/**
 * The personal data of consents and of the sign-in log (ACC-11, ACC-14). Consents are kept while
 * the account lives (an account inactive `inactiveAccountMonths` is closed, and the closure
 * deletes them); sign-ins are deleted `connectionLogMonths` after they happened (the sweep), or
 * with the account.
 */

const connectionLog: RetentionRule = { policy: 'connectionLogMonths', unit: 'months', from: 'consents.from.signIn' };

// GDPR art. 7(1): whoever relies on a consent must be able to show it was given.
const consent: PersonalColumn = { category: 'account', purpose: 'consents.purpose.consents', basis: 'legal_obligation', retention: untilInactive, end: 'delete' };
const signIn: PersonalColumn = { category: 'connection', purpose: 'consents.purpose.signIns', basis: 'public_task', retention: connectionLog, end: 'delete' };

export const consentsDataSet: PersonalDataSet = {
  name: 'accounts.consents',
  tables: [
    {
      table: 'consents',
      personal: { kind: consent, version: consent, given_at: consent, given_how: consent, withdrawn_at: consent, withdrawn_how: consent },
      other: ['id', 'user_id'],
    },
  ],
  async exportOf(db: DbOrTx, userId: string) {
    const rows = await consentsOf(db, userId);
    return [
      {
        key: 'consents',
        title: 'consents.export.consents',
        rows: rows.map((c) => ({ kind: c.kind, version: c.version, givenAt: c.givenAt, givenHow: c.givenHow, withdrawnAt: c.withdrawnAt, withdrawnHow: c.withdrawnHow })),
      },
    ];
  },
  async forget(tx: Tx, userId: string) {
    await tx.delete(consents).where(eq(consents.userId, userId));
  },
};

/** A date `months` before `at` (calendar months, UTC). */
function monthsBefore(at: Date, months: number): Date {
  const cutoff = new Date(at.getTime());
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return cutoff;
}

export const signInsDataSet: PersonalDataSet = {
  name: 'accounts.sign-ins',
  tables: [
    {
      table: 'sign_ins',
      personal: { at: signIn, method: signIn, provider: signIn, ip: signIn, user_agent: signIn },
      other: ['id', 'user_id'],
    },
  ],
  async exportOf(db: DbOrTx, userId: string) {
    const rows = await signInsOf(db, userId);
    return [
      {
        key: 'signIns',
        title: 'consents.export.signIns',
        rows: rows.map((s) => ({ at: s.at, method: s.method, provider: s.provider, ip: s.ip, userAgent: s.userAgent })),
      },
    ];
  },
  async forget(tx: Tx, userId: string) {
    await deleteSignInsOf(tx, userId);
  },
  retention: {
    notice: false,
    sweep: (db, { at, policies, limit }) => deleteSignInsBefore(db, { before: monthsBefore(at, policies.connectionLogMonths), limit }),
  },
};
