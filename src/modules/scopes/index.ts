/**
 * The scopes module: what each staff member may see and act on (schools, domains, sessions).
 * Other modules call these; its table is its own.
 */
export { assignScope, scopeCodes, scopeOf } from './scopes.service';
export { scopesDataSet } from './scopes.personal';
