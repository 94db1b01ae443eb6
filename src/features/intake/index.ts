/**
 * What other features use of intake: the age band of an age, the item's sealed payload (a case opened
 * from a referral reads it; retention erases it) and the table types.
 */
export { ageBandOf } from './rules.ts';
export { IntakePayloadSchema, intakeScope, openPayload, type IntakePayload } from './payload.ts';
export type { AgeBand, IntakeKind, IntakeStatus, Urgency } from './tables.ts';
export * from './tables.ts';
export * from './payload.ts';
/** The public forms' defences against abuse (time token, honeypot, rate limits), for other public forms. */
export {
  FORM_TOKEN_FIELD,
  HONEYPOT_FIELD,
  checkFormToken,
  clientAddress,
  firstUseOfToken,
  honeypotFilled,
  issueFormToken,
  postedFromAnotherSite,
  type FormTokenCheck,
} from './anti-abuse.ts';
/** The hidden guard fields (time token and honeypot) of a public form, for other public forms. */
export { Guards as FormGuards } from './views/shared.tsx';
