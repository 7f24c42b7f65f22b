import type { DbOrTx } from '../../db/database';
import { createPort } from '../../platform/hooks';

/** PAY-4, ATT-4, CERT-2: the stamps an enrollee card prints. */
export interface CardStamps {
  attendance: boolean;
  skills: boolean;
}

/**
 * PAY-4: which end-of-course stamps an enrolment's card prints: "attendance" once the attendance
 * certificate is issued (ATT-4), "acquired skills" once the certificate of skills is (CERT-2).
 * The certification module, above payments, answers; without it, none.
 */
export const cardStamps = createPort<(db: DbOrTx, applicationId: string) => Promise<CardStamps>>(async () => ({ attendance: false, skills: false }));

/**
 * CRED-5: an enrolment's attendance so far (minutes attended of the minutes held, by the
 * attendance module's count: registers and remote connection hours), for the funder's
 * attestation. The attendance module, above payments, answers; without it, none is printed.
 */
export const enrolmentAttendance = createPort<(db: DbOrTx, now: Date, application: { id: string; sessionId: number }) => Promise<{ attendedMinutes: number; heldMinutes: number; soFarPercent: number | null } | null>>(
  async () => null,
);
