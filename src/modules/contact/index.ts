/**
 * SVC-1: the contact form, routed to the staff who handle its subject, followed in the learner's
 * account and answered from a queue in the staff's scope.
 */
export {};
