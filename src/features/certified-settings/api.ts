/**
 * Certified settings over the staff API (`Authorization: Bearer …` from `nwd tokens create`, or a staff
 * session), for a setting's organization (`housing.manage`, its own settings) and state administrators
 * (`housing.certify`, every setting):
 *
 * - `GET /api/v1/housing/settings` — the settings the caller may see: certification, status (expired
 *   follows from the expiry date), days to expiry, and how many direct-contact staff are trained.
 * - `GET /api/v1/housing/settings/{id}` — one setting with its notes and its direct-contact staff (names,
 *   roles, start and training dates). Reading it is audited.
 */
import { z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { mayTake, type Actor } from '../../platform/access.ts';
import { staffAction } from '../../platform/policy.ts';
import { callerOf, jsonAnswer, recordRequest, recordRoute, staffRoute } from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { SettingDetailSchema, SettingSummarySchema } from './schema.ts';
import { listSettings, settingDetail, settingsContext, type SettingView } from './service.ts';

const listRoute = staffRoute({
  method: 'get',
  path: '/api/v1/housing/settings',
  tags: ['Housing'],
  summary:
    'Certified specialized residential settings: every one for a state administrator, otherwise those of the caller’s organization. Status, expiry, days to expiry, and how many direct-contact staff are trained.',
  forbidden: 'The role or token may not see certified settings',
  responses: {
    200: jsonAnswer('The settings', z.object({ settings: z.array(SettingSummarySchema) })),
  },
});

const oneRoute = recordRoute({
  method: 'get',
  path: '/api/v1/housing/settings/{id}',
  tags: ['Housing'],
  summary:
    'One certified setting with its notes and its direct-contact staff and their training. Another organization’s setting is answered 404.',
  responses: { 200: jsonAnswer('The setting', SettingDetailSchema) },
});

export const settingJson = (s: SettingView) => ({
  id: s.id,
  name: s.name,
  organizationId: s.organizationId,
  organizationName: s.organizationName,
  programId: s.programId,
  programName: s.programName,
  licenseNumber: s.licenseNumber,
  certificationNumber: s.certificationNumber,
  certifiedOn: s.certifiedOn,
  expiresOn: s.expiresOn,
  daysToExpiry: s.daysToExpiry,
  status: s.status,
  staff: s.staff,
});

const seesSettings = (actor: Actor) => mayTake(actor, 'housing.manage') || mayTake(actor, 'housing.certify');

export const settingsApi: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const see = staffAction('housing.manage', 'housing.certify');
  r.api(
    listRoute,
    see,
    async (c) => {
      const settings = await listSettings(settingsContext(deps), callerOf(c));
      return c.json({ settings: settings.map(settingJson) }, 200);
    },
    { allowed: seesSettings },
  );
  r.api(
    oneRoute,
    see,
    async (c) => {
      const { actor, id, origin } = recordRequest(c);
      const d = await settingDetail(settingsContext(deps), actor, id, origin);
      return c.json(
        {
          ...settingJson(d.setting),
          notes: d.notes,
          trainingDays: d.trainingDays,
          staffMembers: d.staffMembers,
        },
        200,
      );
    },
    { allowed: seesSettings },
  );
};
