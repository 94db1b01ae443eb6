/**
 * The SQL of safety plans: the versions of a case's plan, one version's sealed content, and a new
 * version. The content arrives and leaves sealed: the service encrypts it.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';

type Trx = Transaction<DB>;

/** Every version of the case's plan, newest first (no content). */
export const planVersions = (trx: Trx, caseId: string) =>
  trx
    .selectFrom('safety_plans')
    .select(['id', 'version', 'created_at', 'created_by'])
    .where('case_id', '=', caseId)
    .orderBy('version', 'desc')
    .execute();

export async function sealedContent(trx: Trx, planId: string): Promise<Buffer> {
  const row = await trx
    .selectFrom('safety_plans')
    .select('content_encrypted')
    .where('id', '=', planId)
    .executeTakeFirstOrThrow();
  return row.content_encrypted;
}

/** The number the next version of the case's plan takes. */
export async function nextVersion(trx: Trx, caseId: string): Promise<number> {
  const last = await trx
    .selectFrom('safety_plans')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return Number(last?.v ?? 0) + 1;
}

export async function insertPlan(
  trx: Trx,
  plan: { id: string; caseId: string; version: number; content: Buffer; by: string; at: Date },
): Promise<void> {
  await trx
    .insertInto('safety_plans')
    .values({
      id: plan.id,
      case_id: plan.caseId,
      version: plan.version,
      content_encrypted: plan.content,
      created_by: plan.by,
      created_at: plan.at,
    })
    .execute();
}
