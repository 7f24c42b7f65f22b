import type { PersonalDataSet } from '../../platform/personal-data';
import { accountsDataSets } from '../accounts';
import { applicationsDataSet } from '../applications';
import { catalogueDataSet } from '../catalogue';
import { documentsDataSet } from '../documents';
import { scopesDataSet } from '../scopes';
import { platformDataSets } from './platform.set';

/**
 * Every data set of personal data, from every module and the platform (ACC-11, ACC-14): the
 * registry, the download, the closure and the retention job read this list and nothing else.
 *
 * The closure forgets them in this order, in one transaction:
 * - the platform's sets first: they find the learner's emails, SMS and audit rows by the address
 *   and phones of the account, which the accounts set forgets last;
 * - then the modules from the highest to the lowest (MODULE_ORDER reversed): a higher module's
 *   rows point at a lower one's, so they are forgotten while what they point at is still whole;
 * - the accounts' sets last: the connections (found by the address too), then the account itself,
 *   which stays as a tombstone (status `closed`) so that every row pointing at it stays valid.
 */
export const personalDataSets: readonly PersonalDataSet[] = [
  ...platformDataSets,
  // staff, admin, home, certification, legacy, attendance, payments, selection: their sets here (highest first).
  applicationsDataSet,
  documentsDataSet,
  scopesDataSet,
  catalogueDataSet,
  ...accountsDataSets,
];
