/**
 * SVC-2: the service cancels a session (too few learners) or moves it to remote. Every learner
 * concerned is told, paid fees of a cancelled session are refunded, waiting lists close and
 * applications close with their own status.
 */
export {};
