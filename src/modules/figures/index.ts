/**
 * SVC-6: figures per period for staff in their scope and the central service, as charts with
 * their data tables, and as CSV and Excel exports.
 */
export {};
