/** What other features may use of notifications. */
export * from './views.tsx';
