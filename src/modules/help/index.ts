/**
 * The help pages (SVC-1, SVC-4): the FAQ of the service in plain words, in French and English,
 * searchable, and the links other pages give to the question that arises there. The lowest
 * module: every other may link to an article (`helpLink`).
 */
export {};
