/**
 * What other features use of the navigator queue: staff display names, the words for age bands and
 * durations, opening an item (a case opened from a referral) and the queue's refusal.
 */
export { AGE_BAND_NAMES, QueueError, ageInWords, durationInWords } from './rules.ts';
export { countQueue, openItem, staffNames, type QueueContext, type QueueItemDetail } from './service.ts';
export * from './routes.tsx';
