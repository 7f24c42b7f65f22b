export * from '../platform/platform.table';
export * from '../modules/accounts/accounts.table';
