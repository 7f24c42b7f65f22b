import type { PersonalDataSet } from '../../platform/personal-data';

/**
 * The cancellations module's data (ACC-14): a session's changes by the service (what, why, the
 * message sent to every learner of the session, who decided — a staff member's id —, how many
 * were told). Nothing about one learner: what each learner was told is in the outbox, and their
 * application's history says why it closed.
 */
export const cancellationsDataSet: PersonalDataSet = {
  name: 'cancellations',
  tables: [{ table: 'session_changes', personal: {}, other: ['id', 'session_id', 'kind', 'reason', 'message', 'decided_by', 'decided_at', 'told', 'closed', 'refunded'] }],
  exportOf: async () => [],
  forget: async () => {},
};
