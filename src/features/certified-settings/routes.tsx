/**
 * The staff pages of certified settings (`/staff/housing/settings`): the list, one setting's page with
 * its certification and its direct-contact staff, the form that adds a setting and the one that changes
 * its certification (state administrators), and the forms that add, change and remove a staff member
 * (the setting's organization). Thin: every read and change goes through `service.ts`; the pages are in
 * `views/`.
 */
import type { Context } from 'hono';
import type { AppDeps, Feature } from '../../app-types.ts';
import { ServiceError } from '../../platform/errors.ts';
import { staffAction } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import {
  doneNote,
  fieldProblem,
  formValues,
  readForm,
  roleRefusal,
  staffView,
  type FieldError,
  type Guarded,
} from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import {
  addStaffMember,
  createSetting,
  listSettings,
  removeStaffMember,
  seesEverySetting,
  settingChoices,
  settingDetail,
  settingLink,
  settingsContext,
  updateCertification,
  updateStaffMember,
  type SettingDetail,
} from './service.ts';
import {
  CERTIFICATION_FIELDS,
  EMPTY_CERTIFICATION,
  EMPTY_STAFF,
  NewSettingPage,
  STAFF_FIELDS,
  StaffMemberPage,
  type CertificationValues,
  type StaffValues,
} from './views/setting-forms.tsx';
import { DONE_MESSAGES, SettingPage, SettingsPage } from './views/setting-pages.tsx';

const pick = formValues;
const inputProblem = (thrown: unknown, fields: readonly string[], rename: Record<string, string> = {}) =>
  fieldProblem(thrown, fields, { rename });

const certificationInput = (v: CertificationValues) => ({ ...v, notes: v.notes });
const staffInput = (v: StaffValues) => ({
  name: v.staffName,
  roleTitle: v.roleTitle,
  startedOn: v.startedOn,
  trainedOn: v.trainedOn,
});
const STAFF_RENAME = { name: 'staffName' };

function certificationValues(d: SettingDetail): CertificationValues {
  const s = d.setting;
  return {
    organizationId: s.organizationId,
    name: s.name,
    programId: s.programId ?? '',
    licenseNumber: s.licenseNumber,
    certificationNumber: s.certificationNumber,
    certifiedOn: s.certifiedOn,
    expiresOn: s.expiresOn,
    status: s.recordedStatus,
    notes: d.notes ?? '',
  };
}

async function settingPage(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  shown: {
    certification?: { values: CertificationValues; errors: FieldError[] };
    staff?: { values: StaffValues; errors: FieldError[] };
  } = {},
): Promise<Response> {
  const ctx = settingsContext(deps);
  const detail = await settingDetail(ctx, g.actor, c.req.param('id') ?? '', requestOrigin(c));
  const canCertify = seesEverySetting(g.actor);
  const failed = Boolean(shown.certification?.errors.length || shown.staff?.errors.length);
  return renderPage(
    c,
    <SettingPage
      {...staffView(deps, g)}
      detail={detail}
      canCertify={canCertify}
      keepsStaff={!canCertify}
      certification={shown.certification ?? { values: certificationValues(detail), errors: [] }}
      staff={shown.staff ?? { values: EMPTY_STAFF, errors: [] }}
      programs={canCertify ? (await settingChoices(ctx, g.actor)).programs : []}
      done={failed ? null : doneNote(c, DONE_MESSAGES)}
    />,
    failed ? 400 : 200,
  );
}

async function newSettingPage(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  values: CertificationValues,
  errors: FieldError[] = [],
): Promise<Response> {
  const choices = await settingChoices(settingsContext(deps), g.actor);
  return renderPage(
    c,
    <NewSettingPage
      {...staffView(deps, g)}
      values={values}
      errors={errors}
      organizations={choices.organizations}
      programs={choices.programs}
    />,
    errors.length ? 400 : 200,
  );
}

async function addSetting(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const values = pick(await readForm(c), CERTIFICATION_FIELDS);
  let id: string;
  try {
    id = await createSetting(settingsContext(deps), g.actor, certificationInput(values), requestOrigin(c));
  } catch (thrown) {
    return newSettingPage(c, deps, g, values, [inputProblem(thrown, CERTIFICATION_FIELDS)]);
  }
  return c.redirect(`${settingLink(id)}?done=added`, 303);
}

async function changeCertification(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const id = c.req.param('id') ?? '';
  const values = { ...pick(await readForm(c), CERTIFICATION_FIELDS), organizationId: '' };
  try {
    await updateCertification(
      settingsContext(deps),
      g.actor,
      id,
      certificationInput(values),
      requestOrigin(c),
    );
  } catch (thrown) {
    const fields = CERTIFICATION_FIELDS.filter((f) => f !== 'organizationId');
    return settingPage(c, deps, g, {
      certification: { values, errors: [inputProblem(thrown, fields)] },
    });
  }
  return c.redirect(`${settingLink(id)}?done=certification`, 303);
}

async function addStaff(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const id = c.req.param('id') ?? '';
  const values = pick(await readForm(c), STAFF_FIELDS);
  try {
    await addStaffMember(settingsContext(deps), g.actor, id, staffInput(values), requestOrigin(c));
  } catch (thrown) {
    return settingPage(c, deps, g, {
      staff: { values, errors: [inputProblem(thrown, STAFF_FIELDS, STAFF_RENAME)] },
    });
  }
  return c.redirect(`${settingLink(id)}?done=staff-added#staff`, 303);
}

async function staffMemberPage(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  shown?: { values: StaffValues; errors: FieldError[] },
): Promise<Response> {
  const staffId = c.req.param('staffId') ?? '';
  const detail = await settingDetail(
    settingsContext(deps),
    g.actor,
    c.req.param('id') ?? '',
    requestOrigin(c),
  );
  const member = detail.staffMembers.find((m) => m.id === staffId);
  if (!member) throw new ServiceError('not_found', 'There is no such person on this setting’s staff list.');
  return renderPage(
    c,
    <StaffMemberPage
      {...staffView(deps, g)}
      settingId={detail.setting.id}
      settingName={detail.setting.name}
      staffId={member.id}
      values={
        shown?.values ?? {
          staffName: member.name,
          roleTitle: member.roleTitle,
          startedOn: member.startedOn,
          trainedOn: member.trainedOn ?? '',
        }
      }
      errors={shown?.errors ?? []}
    />,
    shown?.errors.length ? 400 : 200,
  );
}

async function changeStaff(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const id = c.req.param('id') ?? '';
  const values = pick(await readForm(c), STAFF_FIELDS);
  try {
    await updateStaffMember(
      settingsContext(deps),
      g.actor,
      id,
      c.req.param('staffId') ?? '',
      staffInput(values),
      requestOrigin(c),
    );
  } catch (thrown) {
    return staffMemberPage(c, deps, g, {
      values,
      errors: [inputProblem(thrown, STAFF_FIELDS, STAFF_RENAME)],
    });
  }
  return c.redirect(`${settingLink(id)}?done=staff-changed#staff`, 303);
}

async function removeStaff(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const id = c.req.param('id') ?? '';
  await removeStaffMember(settingsContext(deps), g.actor, id, c.req.param('staffId') ?? '', requestOrigin(c));
  return c.redirect(`${settingLink(id)}?done=staff-removed#staff`, 303);
}

export const settingsPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const see = staffAction('housing.manage', 'housing.certify');
  const certify = staffAction('housing.certify');
  const keep = staffAction('housing.manage');
  const seers = roleRefusal(
    'A certified setting’s organization (administrators and provider staff) and state administrators see it.',
  );
  const certifiers = roleRefusal('State administrators record and change certifications.');
  const keepers = roleRefusal('The setting’s organization keeps its list of direct-contact staff.');
  r.staff(
    'get',
    '/staff/housing/settings',
    see,
    async (c, g) =>
      renderPage(
        c,
        <SettingsPage
          {...staffView(deps, g)}
          settings={await listSettings(settingsContext(deps), g.actor)}
          everyOrganization={seesEverySetting(g.actor)}
          canAdd={seesEverySetting(g.actor)}
          done={doneNote(c, DONE_MESSAGES)}
        />,
      ),
    seers,
  );
  r.staff(
    'get',
    '/staff/housing/settings/new',
    certify,
    (c, g) => newSettingPage(c, deps, g, EMPTY_CERTIFICATION),
    certifiers,
  );
  r.staff('post', '/staff/housing/settings', certify, (c, g) => addSetting(c, deps, g), certifiers);
  r.staff('get', '/staff/housing/settings/:id', see, (c, g) => settingPage(c, deps, g), seers);
  r.staff(
    'post',
    '/staff/housing/settings/:id/certification',
    certify,
    (c, g) => changeCertification(c, deps, g),
    certifiers,
  );
  r.staff('post', '/staff/housing/settings/:id/staff', keep, (c, g) => addStaff(c, deps, g), keepers);
  r.staff(
    'get',
    '/staff/housing/settings/:id/staff/:staffId',
    keep,
    (c, g) => staffMemberPage(c, deps, g),
    keepers,
  );
  r.staff(
    'post',
    '/staff/housing/settings/:id/staff/:staffId',
    keep,
    (c, g) => changeStaff(c, deps, g),
    keepers,
  );
  r.staff(
    'post',
    '/staff/housing/settings/:id/staff/:staffId/remove',
    keep,
    (c, g) => removeStaff(c, deps, g),
    keepers,
  );
};
