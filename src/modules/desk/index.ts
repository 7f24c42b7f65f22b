/**
 * SVC-5: assisted registration at the help desks. A counsellor creates the account, the learner
 * record and the application with the learner present; the learner takes the account over.
 */
import './desk.messages';
import './help-desks.messages';
import { accountTakenOver } from '../accounts';
import { markTakenOver } from './desk.service';

export { addHelpDesk, desksOf, type HelpDesk } from './desk.service';
export { addCounsellorToDesk, assignCounsellor, findHelpDesk, setDeskServes } from './help-desks.service';
export { deskDataSet } from './desk.personal';
export { deskRoutes } from './desk.routes';

// The desk's row says when its learner took the account over, in the takeover's transaction.
accountTakenOver.subscribe(markTakenOver);
