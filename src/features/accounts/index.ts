/** What other features may use of accounts. */
export * from './secrets.ts';
