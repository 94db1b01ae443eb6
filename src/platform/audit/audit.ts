/**
 * The audit log: an append-only, hash-chained record of sign-ins, permission changes, exports and every
 * read or change of a record holding personal data (who, what, which record, when, from where, why).
 *
 * - `recordAudit` appends inside the caller's transaction (the event commits with the change), without
 *   a lock; `chainAudit` (chain.ts) links committed rows into the hash chain in the background
 *   (`startAuditChainer`, every second in each instance; one chains at a time).
 * - `listAudit` browses; `listAuditAs` browses as a person may (narrowed to their organization's
 *   events, record ids withheld, without statewide access); `auditCsv` / `auditCsvStream` / `exportAuditCsv` export.
 * - `withholdRecordIds` (withhold.ts) hides the ids of young people's records from viewers without
 *   statewide access.
 * - `verifyAuditChain` (verify.ts) recomputes the chain; `auditVerifyCommand` is `nwd audit verify`.
 */
export {
  recordAudit,
  recordActorAudit,
  recordReadAudit,
  AuditEventError,
  type RecordedAudit,
} from './record.ts';
export {
  chainAudit,
  startAuditChainer,
  auditChainCommand,
  AUDIT_CHAIN_LOCK_KEY,
  type ChainOptions,
  type ChainRun,
} from './chain.ts';
export { listAudit, listAuditAs, type AuditPage } from './list.ts';
export {
  auditCsv,
  auditCsvLines,
  auditCsvStream,
  exportAuditCsv,
  csvCell,
  type AuditCsvFilters,
  type AuditExportActor,
} from './csv.ts';
export type { AuditEvent } from './rows.ts';
export { withholdRecordIds, WITHHELD } from './withhold.ts';
export { PERSONAL_FIELD_NAMES, type ActorKind, type AuditEventInput, type AuditFilters } from './schema.ts';
export type { AuditTables, AuditEventsTable } from './tables.ts';
export {
  verifyAuditChain,
  auditVerifyCommand,
  type AuditChainResult,
  type AuditChainProblem,
  type AuditHead,
  type VerifyOptions,
} from './verify.ts';
