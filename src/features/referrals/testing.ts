/**
 * Test support for consents and referrals (synthetic data only): staff of a given organization,
 * consents and referrals written straight into the database, and the cases' helpers.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import type { Role } from '../../platform/access.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import { addOrganization, addStaff, type TestStaff } from '../../../test/staff.ts';
import type { ConsentCategory, ReferralStatus } from '../cases/tables.ts';

export { addCase, ORIGIN, SYNTHETIC_PERSON } from '../tasks/testing.ts';
export { minnesotaCalendar } from '../queue/testing.ts';

/** A signed-up staff member of the organization (password set, so they count as active). */
export const addPerson = (
  deps: { db: Database; keyring: Keyring },
  role: Role,
  organizationId: string,
  regions: string[] = [],
  options: { name?: string; disabled?: boolean } = {},
): Promise<TestStaff> => addStaff(deps, role, regions, { ...options, organizationId });

/** The organizations and people of a referral test (see `addReferralNetwork`). */
export interface ReferralNetwork {
  hostOrg: string;
  shelterOrg: string;
  clinicOrg: string;
  /** A navigator of West Metro, at the host. */
  navigator: TestStaff;
  /** Provider staff of the shelter. */
  shelterStaff: TestStaff;
  /** Provider staff of the clinic. */
  clinicStaff: TestStaff;
  /** A state administrator, at the host. */
  stateAdmin: TestStaff;
}

/**
 * A navigator host, a shelter and a clinic with their people (see `ReferralNetwork`). `names` names
 * the organizations (before their random suffix) and the people, where a test looks for them.
 */
export async function addReferralNetwork(
  deps: { db: Database; keyring: Keyring },
  names: {
    host?: string;
    shelter?: string;
    clinic?: string;
    navigator?: string;
    shelterStaff?: string;
    stateAdmin?: string;
  } = {},
): Promise<ReferralNetwork> {
  const named = (name: string | undefined) => (name === undefined ? {} : { name });
  const hostOrg = await addOrganization(deps.db, names.host ?? 'Synthetic Navigator Host', 'navigator_host');
  const shelterOrg = await addOrganization(deps.db, names.shelter ?? 'Synthetic Shelter', 'shelter_housing');
  const clinicOrg = await addOrganization(deps.db, names.clinic ?? 'Synthetic Clinic');
  return {
    hostOrg,
    shelterOrg,
    clinicOrg,
    navigator: await addPerson(deps, 'navigator', hostOrg, ['west-metro'], named(names.navigator)),
    shelterStaff: await addPerson(deps, 'provider_staff', shelterOrg, [], named(names.shelterStaff)),
    clinicStaff: await addPerson(deps, 'provider_staff', clinicOrg),
    stateAdmin: await addPerson(deps, 'state_admin', hostOrg, [], named(names.stateAdmin)),
  };
}

/** A consent written straight into the database (no witness). */
export async function addConsent(
  db: Database,
  c: {
    caseId: string;
    organizationId: string;
    recordedBy: string;
    categories?: ConsentCategory[];
    startsOn: string;
    expiresOn: string;
    revoked?: boolean;
  },
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('consents')
    .values({
      id,
      case_id: c.caseId,
      organization_id: c.organizationId,
      purpose: 'referral_for_services',
      categories: c.categories ?? ['identity', 'contact'],
      method: 'written',
      starts_on: c.startsOn,
      expires_on: c.expiresOn,
      recorded_by: c.recordedBy,
      revoked_at: c.revoked ? new Date() : null,
      revoked_by: c.revoked ? c.recordedBy : null,
    })
    .execute();
  return id;
}

/** A de-identified referral written straight into the database, at a status (no transitions). */
export async function addReferral(
  db: Database,
  r: {
    caseId: string;
    fromRegionId?: string;
    toOrganizationId: string;
    createdBy: string;
    status?: ReferralStatus;
    sentAt?: Date | null;
    remindAt?: Date | null;
  },
): Promise<string> {
  const id = randomUUID();
  const status = r.status ?? 'sent';
  const sentAt = r.sentAt === undefined ? (status === 'draft' ? null : new Date()) : r.sentAt;
  await db
    .insertInto('referrals')
    .values({
      id,
      case_id: r.caseId,
      from_region_id: r.fromRegionId ?? 'west-metro',
      to_organization_id: r.toOrganizationId,
      service_type: 'emergency_shelter',
      share_identifying: false,
      status,
      sent_at: sentAt,
      remind_at: r.remindAt ?? null,
      created_by: r.createdBy,
    })
    .execute();
  return id;
}
