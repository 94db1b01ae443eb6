/**
 * The staff pages of data stewardship: the list of public data an administrator may edit, the forms for
 * an organization, a region (its navigator and county memberships) and a directory service, and the
 * data-health page. Each reads the form, calls the use case and shows the page again, with the problem
 * beside its field when the input was refused.
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Feature } from '../../app-types.ts';
import type { Actor } from '../../platform/access.ts';
import { InputError } from '../../platform/errors.ts';
import { staffAction } from '../../platform/policy.ts';
import type { FormValues } from '../../web/forms.tsx';
import { readForm, formText, type Guarded } from '../../web/page.tsx';
import { renderPage } from '../../web/http.ts';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { ORGANIZATION_FIELDS, MEMBERSHIP_FIELDS, REGION_FIELDS, SERVICE_FIELDS } from './schema.ts';
import {
  dataHealth,
  editOrganization,
  editRegion,
  editService,
  organizationForEdit,
  regionForEdit,
  serviceFields,
  serviceForEdit,
  setMembership,
  stewardshipContext,
  stewardshipOverview,
  type RequestOrigin,
  type StewardshipContext,
} from './service.ts';
import { OrganizationPage, RegionPage, ServicePage, type FormState } from './views/forms.tsx';
import { DataPage, HealthPage } from './views/lists.tsx';
import { inEffect } from './rules.ts';

const STEWARD = staffAction('data.steward');
const SAVED = 'Saved. The public pages show the change now.';
const yes = (b: boolean) => (b ? 'yes' : '');

/** Where a record's facts came from, as form values. */
const provenance = (x: { source: string; verified: boolean; note: string | null }): FormValues => ({
  source: x.source,
  verified: yes(x.verified),
  note: x.note ?? '',
});

/** The posted fields, as text (checkboxes as `yes` or nothing). */
async function posted(c: Context, fields: readonly string[]): Promise<FormValues> {
  const form = await readForm(c);
  const out: FormValues = {};
  for (const f of [...fields, 'memberOrganizationId'])
    if (f in form) out[f] = formText(form, f).slice(0, 5000);
  return out;
}

const fresh = (values: FormValues, c: Context): FormState => ({
  values,
  errors: [],
  done: c.req.query('done') ? SAVED : null,
});

/** The page of one record: its heading, the form (fresh or refused) and who checked it last; 400 when refused. */
const recordPage = (
  c: Context,
  frame: Guarded['frame'],
  x: { id: string; name: string; checked_by: string; checked_at: string },
  values: FormValues,
  state: FormState | null,
  page: (props: {
    frame: Guarded['frame'];
    id: string;
    title: string;
    state: FormState;
    checkedBy: string;
    checkedAt: string;
  }) => Child,
) =>
  renderPage(
    c,
    page({
      frame,
      id: x.id,
      title: x.name,
      state: state ?? fresh(values, c),
      checkedBy: x.checked_by,
      checkedAt: x.checked_at,
    }),
    state ? 400 : 200,
  );

/** Runs a change: a redirect on success, the form again with the problem beside its field otherwise. */
async function change(
  c: Context,
  values: FormValues,
  run: () => Promise<unknown>,
  redirect: string,
  again: (state: FormState) => Promise<Response>,
): Promise<Response> {
  try {
    await run();
    return c.redirect(`${redirect}?done=saved`, 303);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return again({
      values,
      errors: [{ field: error.field ?? 'source', message: error.message }],
      done: null,
    });
  }
}

export const stewardshipPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const ctx = stewardshipContext(deps);

  /** A form's post: the use case, then the page again (done) or with the problem beside its field. */
  const save = (
    path: string,
    fields: readonly string[],
    run: (
      ctx: StewardshipContext,
      actor: Actor,
      id: string,
      values: FormValues,
      origin: RequestOrigin,
    ) => Promise<unknown>,
    kind: 'organizations' | 'regions' | 'services',
    again: (c: Context, g: Guarded, state: FormState) => Promise<Response>,
  ) =>
    r.staff('post', path, STEWARD, async (c, g) => {
      const id = c.req.param('id') ?? '';
      const values = await posted(c, fields);
      return change(
        c,
        values,
        () => run(ctx, g.actor, id, values, requestOrigin(c)),
        `/staff/data/${kind}/${id}`,
        (state) => again(c, g, state),
      );
    });

  r.staff('get', '/staff/data', STEWARD, async (c, { actor, frame }) => {
    const o = await stewardshipOverview(ctx, actor);
    return renderPage(
      c,
      <DataPage
        frame={frame}
        state={o.state}
        organizations={o.organizations.map((x) => ({
          href: `/staff/data/organizations/${x.id}`,
          label: x.name,
          verified: x.verified,
          checkedAt: x.checked_at,
        }))}
        regions={o.regions.map((x) => ({
          href: `/staff/data/regions/${x.id}`,
          label: x.name,
          verified: x.verified,
          checkedAt: x.checked_at,
        }))}
        services={o.services.map((x) => ({
          href: `/staff/data/services/${x.id}`,
          label: x.name,
          verified: x.verified,
          checkedAt: x.checked_at,
        }))}
      />,
    );
  });

  const organizationPage = async (c: Context, { actor, frame }: Guarded, state: FormState | null) => {
    const { organization: o, members } = await organizationForEdit(ctx, actor, c.req.param('id') ?? '');
    const values: FormValues = {
      name: o.name,
      type: o.type,
      phone: o.phones[0]?.display ?? '',
      phone2: o.phones[1]?.display ?? '',
      textNumber: o.text_display ?? '',
      email: o.email ?? '',
      website: o.website ?? '',
      hours: o.hours ?? '',
      languages: o.languages.join(', '),
      addressConfidential: yes(o.address_confidential),
      memberOrganizationId: o.member_organization_id ?? '',
      ...provenance(o),
    };
    return recordPage(c, frame, o, values, state, (props) => (
      <OrganizationPage {...props} members={members} />
    ));
  };
  r.staff('get', '/staff/data/organizations/:id', STEWARD, (c, g) => organizationPage(c, g, null));
  save(
    '/staff/data/organizations/:id',
    ORGANIZATION_FIELDS,
    editOrganization,
    'organizations',
    organizationPage,
  );

  const regionPage = async (
    c: Context,
    { actor, frame }: Guarded,
    failed: { region?: FormState; membership?: FormState },
  ) => {
    const d = await regionForEdit(ctx, actor, c.req.param('id') ?? '');
    const chosen = d.memberships.find(
      (m) => m.county_fips === c.req.query('county') && m.effective_from === c.req.query('from'),
    );
    const done = c.req.query('done') ? SAVED : null;
    return renderPage(
      c,
      <RegionPage
        frame={frame}
        id={d.region.id}
        title={d.region.name}
        region={
          failed.region ?? {
            values: {
              navigatorOrganizationId: d.region.navigator_organization_id ?? '',
              ...provenance(d.region),
            },
            errors: [],
            done,
          }
        }
        membership={
          failed.membership ?? {
            values: chosen
              ? {
                  county: chosen.county_fips,
                  effectiveFrom: chosen.effective_from,
                  effectiveTo: chosen.effective_to ?? '',
                  ...provenance(chosen),
                }
              : {},
            errors: [],
            done: null,
          }
        }
        organizations={d.organizations}
        counties={d.counties}
        memberships={d.memberships.map((m) => ({
          county: m.county_fips,
          countyName: m.county_name,
          from: m.effective_from,
          to: m.effective_to,
          verified: m.verified,
          checkedAt: m.checked_at,
          current: inEffect({ effectiveFrom: m.effective_from, effectiveTo: m.effective_to }, d.today),
        }))}
        checkedBy={d.region.checked_by}
        checkedAt={d.region.checked_at}
      />,
      failed.region || failed.membership ? 400 : 200,
    );
  };
  r.staff('get', '/staff/data/regions/:id', STEWARD, (c, g) => regionPage(c, g, {}));
  save('/staff/data/regions/:id', REGION_FIELDS, editRegion, 'regions', (c, g, state) =>
    regionPage(c, g, { region: state }),
  );
  save('/staff/data/regions/:id/memberships', MEMBERSHIP_FIELDS, setMembership, 'regions', (c, g, state) =>
    regionPage(c, g, { membership: state }),
  );

  const servicePage = async (c: Context, { actor, frame }: Guarded, state: FormState | null) => {
    const s = await serviceForEdit(ctx, actor, c.req.param('id') ?? '');
    const values: FormValues = {
      ...serviceFields(s.hsds),
      ...provenance(s),
    };
    return recordPage(c, frame, s, values, state, (props) => <ServicePage {...props} />);
  };
  r.staff('get', '/staff/data/services/:id', STEWARD, (c, g) => servicePage(c, g, null));
  save('/staff/data/services/:id', SERVICE_FIELDS, editService, 'services', servicePage);

  r.staff('get', '/staff/data-health', staffAction('data.health'), async (c, { actor, frame }) => {
    const h = await dataHealth(ctx, actor);
    return renderPage(c, <HealthPage frame={frame} items={h.items} staleMonths={h.staleMonths} />);
  });
};
