/** The SQL of administration: member organizations and the people's grant facts. */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { GrantRequest, OrganizationType, Role } from '../../platform/access.ts';

type Db = Database | Transaction<DB>;

export interface OrganizationRow {
  id: string;
  name: string;
  type: OrganizationType;
  disabled: boolean;
  people: number;
}

export async function organizationsWithCounts(db: Db): Promise<OrganizationRow[]> {
  const rows = await db
    .selectFrom('member_organizations as o')
    .leftJoin('staff_users as u', 'u.organization_id', 'o.id')
    .select((eb) => ['o.id', 'o.name', 'o.type', 'o.disabled_at', eb.fn.count<string>('u.id').as('people')])
    .groupBy('o.id')
    .orderBy('o.name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    disabled: r.disabled_at !== null,
    people: Number(r.people),
  }));
}

export async function organizationNames(db: Db): Promise<{ id: string; name: string; disabled: boolean }[]> {
  const rows = await db
    .selectFrom('member_organizations')
    .select(['id', 'name', 'disabled_at'])
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, disabled: r.disabled_at !== null }));
}

export async function organizationName(db: Db, id: string): Promise<string> {
  const row = await db
    .selectFrom('member_organizations')
    .select('name')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.name ?? '';
}

/** An enabled organization, as the grant table needs it. */
export async function enabledOrganization(db: Db, id: string): Promise<GrantRequest['organization'] | null> {
  const row = await db
    .selectFrom('member_organizations')
    .select(['id', 'type', 'disabled_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && !row.disabled_at ? { id: row.id, type: row.type } : null;
}

/** A person's organization, role and regions (no personal data). */
export async function grantFacts(
  db: Db,
  userId: string,
): Promise<{
  organizationId: string;
  type: OrganizationType;
  userId: string;
  role: Role;
  regions: string[];
} | null> {
  const row = await db
    .selectFrom('staff_users as u')
    .innerJoin('member_organizations as o', 'o.id', 'u.organization_id')
    .select(['u.id', 'u.role', 'u.regions', 'o.id as organization_id', 'o.type'])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  return row
    ? {
        organizationId: row.organization_id,
        type: row.type,
        userId: row.id,
        role: row.role,
        regions: row.regions,
      }
    : null;
}

/** The organization's row, locked for a change of its status. */
export async function lockOrganization(
  trx: Transaction<DB>,
  id: string,
): Promise<{ id: string; disabled_at: Date | null } | undefined> {
  return trx
    .selectFrom('member_organizations')
    .select(['id', 'disabled_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function setOrganizationDisabledAt(
  trx: Transaction<DB>,
  id: string,
  at: Date | null,
): Promise<void> {
  await trx.updateTable('member_organizations').set({ disabled_at: at }).where('id', '=', id).execute();
}
