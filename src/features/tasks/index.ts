/** What other features use of tasks: the counts of the staff home page. */
export { countTasks } from './service.ts';
