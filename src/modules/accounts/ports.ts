import type { DbOrTx } from '../../db/database';
import type { Profile } from '../../domain/profile';
import type { MessageKey } from '../../platform/i18n';
import { createPort } from '../../platform/hooks';

/** A link of the learner's account page that a higher module offers. */
export interface AccountLink {
  href: string;
  label: MessageKey;
}

/**
 * Issue 18: the links a higher module adds to the learner's account page, for this learner in
 * this profile (the attendance module: « Mes heures de connexion » in the credits profile when
 * they follow a remote or hybrid unit). Without an answer, none.
 */
export const accountLinks = createPort<(db: DbOrTx, input: { learnerId: string; profile: Profile }) => Promise<AccountLink[]>>(async () => []);
