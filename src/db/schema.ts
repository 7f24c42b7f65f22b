export * from '../platform/platform.table';
export * from '../modules/accounts/accounts.table';
export * from '../modules/catalogue/catalogue.table';
export * from '../modules/applications/applications.table';
export * from '../modules/scopes/scopes.table';
export * from '../modules/selection/selection.table';
