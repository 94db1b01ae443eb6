/**
 * What other parts of the app use of required trainings: the pages (src/app.ts), the reminder job
 * (src/server.ts), the pack step (src/pack/import.ts), the CSV import command (src/main.ts), and for
 * events `recordCompletion`, which records an attendance as a completion inside the caller's transaction.
 */
export { importTrainingPack, type TrainingPackResult } from './catalogue.ts';
export {
  courseExists,
  organizationOfPerson,
  recordCompletion,
  verifyCertificate,
  withdrawEventCompletion,
  type CompletionRecord,
} from './completions.ts';
export { trainingPages } from './routes.tsx';
export { remindTrainings, trainingRemindersJob, TRAINING_REMINDERS_JOB } from './jobs.ts';
export { trainingCommand, TRAINING_USAGE } from './cli.ts';
