/**
 * SVC-1: the contact form, routed to the staff who handle its subject, followed in the learner's
 * account and answered from a queue in the staff's scope. Its tables are its own.
 */
import './contact.messages'; // registers the module's messages

export { contactRoutes } from './contact.routes';
export { contactDataSet } from './contact.personal';
export { contactStaffRoles, mayAnswerContact, routeFor, subjectTakesFile } from './contact.rules';
export { answerMessage, learnerMessages, sendMessage, staffQueue, type ContactMessage } from './contact.service';
