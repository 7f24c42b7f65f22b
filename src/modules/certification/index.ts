/**
 * The certification module's facade (ATT-4, CERT-1 to CERT-6, ACC-10): end-of-course tests and
 * results, the attendance certificate and the certificate of skills, repeats, exemptions, marks,
 * the next level and the learner's history. Its tables are its own; others ask through these.
 */
export {};
