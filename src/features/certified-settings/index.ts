/**
 * What other parts of the app use of certified settings: the pages and API (src/app.ts) and the expiry
 * reminder job (src/server.ts).
 */
export { settingsPages } from './routes.tsx';
export { settingsApi } from './api.ts';
export { settingRemindersJob, remindExpiringSettings, SETTING_REMINDERS_JOB } from './jobs.ts';
