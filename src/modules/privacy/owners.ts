import type { PersonalDataSet } from '../../platform/personal-data';
import { consentsDataSet, signInsDataSet } from '../accounts';

/**
 * Every data set of personal data, from every module and the platform (ACC-11, ACC-14): the
 * registry, the download, the closure and the retention job read this list and nothing else.
 * The closure forgets them in this order, so list a module's sets after those of the modules
 * above it (a higher module's rows point at a lower one's).
 */
export const personalDataSets: readonly PersonalDataSet[] = [
  consentsDataSet,
  signInsDataSet,
];
