/**
 * Events (trainings and community events) as other parts of the product use them: the staff and public
 * pages, the reminder job, the pack import of shipped events, and — for the training completions — the
 * attendance of each registration (`event_registrations.attended`, `attendance_by`, `attendance_at`;
 * see docs/events.md).
 */
export { eventsPages } from './routes.tsx';
export { eventsPublicPages } from './public-routes.tsx';
export { eventRemindersJob, remindTomorrow, EVENT_REMINDERS_JOB } from './jobs.ts';
export { importPackEvents, loadPackEvents } from './pack.ts';
export { eventsContext, type EventsContext } from './service.ts';
export type { EventTables } from './tables.ts';
