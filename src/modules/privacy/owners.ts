import type { PersonalDataSet } from '../../platform/personal-data';
import { accountsDataSets, consentsDataSet, identityDataSet, signInsDataSet, takeoverDataSet } from '../accounts';
import { applicationsDataSet } from '../applications';
import { attendanceDataSets } from '../attendance';
import { cancellationsDataSet } from '../cancellations';
import { catalogueDataSet } from '../catalogue';
import { certificationDataSets } from '../certification';
import { contactDataSet } from '../contact';
import { deskDataSet } from '../desk';
import { documentsDataSet } from '../documents';
import { legacyDataSet } from '../legacy';
import { paymentsDataSets } from '../payments';
import { programmesDataSet } from '../programmes';
import { examsDataSet } from '../exams';
import { scopesDataSet } from '../scopes';
import { selectionDataSets } from '../selection';
import { webhooksDataSet } from '../webhooks';
import { platformDataSets } from './platform.set';
import { privacyDataSet } from './privacy.set';
import { retentionDataSet } from './retention.personal';

/**
 * Every data set of personal data, from every module and the platform (ACC-11, ACC-14): the
 * registry, the download, the closure and the retention job read this list and nothing else.
 *
 * The closure forgets them in this order, in one transaction:
 * - the platform's sets first: they find the learner's emails, SMS and audit rows by the address
 *   and phones of the account, which the accounts set forgets last;
 * - then the modules from the highest to the lowest (MODULE_ORDER reversed): a higher module's
 *   rows point at a lower one's, so they are forgotten while what they point at is still whole
 *   (staff, admin and home hold no table of their own: no set);
 * - the accounts' sets last: the connections (found by the address too), then the account itself,
 *   which stays as a tombstone (status `closed`) so that every row pointing at it stays valid.
 */
const sets: PersonalDataSet[] = [
  ...platformDataSets,
  retentionDataSet,
  privacyDataSet,
  webhooksDataSet,
  contactDataSet,
  deskDataSet,
  cancellationsDataSet,
  examsDataSet,
  programmesDataSet,
  ...certificationDataSets,
  legacyDataSet,
  ...attendanceDataSets,
  ...paymentsDataSets,
  ...selectionDataSets,
  applicationsDataSet,
  documentsDataSet,
  scopesDataSet,
  catalogueDataSet,
  identityDataSet,
  consentsDataSet,
  signInsDataSet,
  takeoverDataSet,
  ...accountsDataSets,
];
export const personalDataSets: readonly PersonalDataSet[] = sets;

/**
 * A module above privacy (which cannot be imported from here) declares its set when its facade
 * is loaded, as a port's provider does (SVC-8's open-data snapshots): it goes first among the
 * modules', the highest. Declaring a set twice is harmless.
 */
export function declareDataSet(set: PersonalDataSet): void {
  if (sets.some((s) => s.name === set.name)) return;
  sets.splice(platformDataSets.length, 0, set);
}
