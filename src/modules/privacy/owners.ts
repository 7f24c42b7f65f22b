import type { PersonalDataSet } from '../../platform/personal-data';
import { attendanceDataSets } from '../attendance';
import { certificationDataSets } from '../certification';
import { legacyDataSet } from '../legacy';
import { paymentsDataSets } from '../payments';
import { selectionDataSets } from '../selection';
import { privacyDataSet } from './privacy.set';
import { retentionDataSet } from './retention.personal';

/**
 * Every data set of personal data, from every module and the platform (ACC-11, ACC-14): the
 * registry, the download, the closure and the retention job read this list and nothing else.
 * The closure forgets them in this order, so list a module's sets after those of the modules
 * above it (a higher module's rows point at a lower one's).
 */
export const personalDataSets: readonly PersonalDataSet[] = [
  // The privacy module's own (its notices and downloads point at the learner).
  retentionDataSet,
  privacyDataSet,
  // staff, admin and home hold no table of their own: no set.
  ...certificationDataSets,
  legacyDataSet,
  ...attendanceDataSets,
  ...paymentsDataSets,
  ...selectionDataSets,
];
