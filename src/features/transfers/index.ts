/** What other features use of transfers: the counts of the staff home page. */
export { countTransfersToDecide } from './service.ts';
