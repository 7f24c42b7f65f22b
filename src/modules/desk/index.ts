/**
 * SVC-5: assisted registration at the help desks. A counsellor creates the account, the learner
 * record and the application with the learner present; the learner takes the account over.
 */
export {};
