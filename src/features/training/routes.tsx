/**
 * The training pages: the catalogue and its forms (`/staff/training`, courses, requirements), an
 * organization's people and completions with the roster, completion and region forms, the CSV import,
 * the regional and statewide compliance views, the printable certificate, and the public certificate
 * check (`/certificates`, `/certificates/:code`: no cookie, initials only). Thin: every read and change
 * goes through the service; the pages are in `views/`.
 */
import type { Context } from 'hono';
import type { AppDeps, Feature } from '../../app-types.ts';
import { frameFor } from '../../app-types.ts';
import { mayTake } from '../../platform/access.ts';
import { AccessDenied, ServiceError } from '../../platform/errors.ts';
import { PUBLIC, SIGNED_IN, staffAction } from '../../platform/policy.ts';
import { siteOrigin } from '../../platform/mail/index.ts';
import type { FieldProblem, FormValues } from '../../web/forms.tsx';
import { renderPage } from '../../web/http.ts';
import {
  doneNote,
  fieldProblem,
  formList,
  formText,
  formValues,
  readForm,
  roleRefusal,
  serviceError,
  staffView,
  type Form,
  type Guarded,
} from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { catalogue, courseDetail, saveCourse, saveRequirement, setTrainer } from './catalogue.ts';
import { importCompletions, type ImportOutcome } from './csv-import.ts';
import { courseLink, organizationLink } from './rules.ts';
import {
  addRosterEntry,
  organizationChoices,
  myTraining,
  organizationTraining,
  regionCompliance,
  regionNames,
  removeRosterEntry,
  seesStatewide,
  setOrganizationRegions,
  statewideCompliance,
  trainingContext,
} from './service.ts';
import { certificate, recordCompletionFor, verifyCertificate } from './completions.ts';
import {
  COURSE_FIELDS,
  CoursePage,
  DONE_MESSAGES as CATALOGUE_DONE,
  NewCoursePage,
  REQUIREMENT_FIELDS,
  RequirementPage,
  TrainingHome,
  courseValues,
  requirementValues,
} from './views/catalogue.tsx';
import { CertificateCheckPage, CertificatePage, RegionPage, StatePage } from './views/compliance.tsx';
import {
  COMPLETION_FIELDS,
  DONE_MESSAGES as PEOPLE_DONE,
  ImportPage,
  MyTrainingPage,
  OrganizationPage,
  OrganizationsPage,
  ROSTER_FIELDS,
} from './views/people.tsx';

const pick = (form: Form, fields: readonly string[]): FormValues => formValues(form, fields);
const problem = (thrown: unknown, fields: readonly string[]) => fieldProblem(thrown, fields);

const param = (c: Context, name: string) => c.req.param(name) ?? '';
const EMPTY_ROSTER = { values: {}, errors: [] as FieldProblem[] };

async function home(c: Context, deps: AppDeps, g: Guarded) {
  const ctx = trainingContext(deps);
  const cat = await catalogue(deps.db, g.actor);
  const links: [string, string][] = [];
  if (seesStatewide(g.actor))
    links.push(['/staff/training/state', 'Training statewide: organizations furthest behind']);
  if (g.actor.role === 'navigator') {
    const names = await regionNames(ctx);
    for (const r of g.actor.regions)
      links.push([`/staff/training/regions/${r}`, `Training in ${names.get(r) ?? r}`]);
  }
  if (g.actor.role === 'org_admin')
    links.push([organizationLink(g.actor.organizationId), 'Your organization’s people and their trainings']);
  else if (mayTake(g.actor, 'training.record') || mayTake(g.actor, 'training.compliance'))
    links.push(['/staff/training/organizations', 'Training by organization']);
  return renderPage(
    c,
    <TrainingHome
      {...staffView(deps, g)}
      courses={cat.courses}
      requirements={cat.requirements}
      manages={mayTake(g.actor, 'training.manage')}
      links={links}
      dueDays={ctx.dueDays}
      done={doneNote(c, CATALOGUE_DONE)}
    />,
  );
}

async function coursePage(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  shown?: { values?: FormValues; errors: FieldProblem[] },
) {
  const d = await courseDetail(deps.db, deps.keyring, g.actor, param(c, 'code'));
  return renderPage(
    c,
    <CoursePage
      {...staffView(deps, g)}
      {...d}
      manages={mayTake(g.actor, 'training.manage')}
      values={shown?.values ?? courseValues(d.course)}
      errors={shown?.errors ?? []}
      done={shown ? null : doneNote(c, CATALOGUE_DONE)}
    />,
    shown?.errors.length ? 400 : 200,
  );
}

async function postCourse(c: Context, deps: AppDeps, g: Guarded, code: string | null) {
  const values = { ...pick(await readForm(c), COURSE_FIELDS), ...(code === null ? {} : { code }) };
  let saved: string;
  try {
    saved = await saveCourse(deps.db, g.actor, code, values, requestOrigin(c));
  } catch (thrown) {
    const errors = [problem(thrown, COURSE_FIELDS)];
    return code === null
      ? renderPage(c, <NewCoursePage {...staffView(deps, g)} values={values} errors={errors} />, 400)
      : coursePage(c, deps, g, { values, errors });
  }
  return c.redirect(`${courseLink(saved)}?done=course`, 303);
}

async function postRequirement(c: Context, deps: AppDeps, g: Guarded, id: string | null) {
  const form = await readForm(c);
  const values = pick(form, REQUIREMENT_FIELDS);
  const input = {
    ...values,
    roles: formList(form, 'roles'),
    organizationTypes: formList(form, 'organizationTypes'),
  };
  try {
    await saveRequirement(deps.db, g.actor, id, input, requestOrigin(c));
  } catch (thrown) {
    const errors = [problem(thrown, REQUIREMENT_FIELDS)];
    const shown = {
      ...values,
      roles: input.roles.join(' '),
      organizationTypes: input.organizationTypes.join(' '),
    };
    return renderPage(
      c,
      <RequirementPage {...staffView(deps, g)} id={id} values={shown} errors={errors} />,
      400,
    );
  }
  return c.redirect('/staff/training?done=requirement', 303);
}

async function organizationPage(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  shown: {
    roster?: { values: FormValues; errors: FieldProblem[] };
    completion?: { values: FormValues; errors: FieldProblem[] };
  } = {},
) {
  const training = await organizationTraining(
    trainingContext(deps),
    g.actor,
    param(c, 'id'),
    requestOrigin(c),
  );
  const failed = Boolean(shown.roster?.errors.length || shown.completion?.errors.length);
  return renderPage(
    c,
    <OrganizationPage
      {...staffView(deps, g)}
      training={training}
      roster={shown.roster ?? EMPTY_ROSTER}
      completion={shown.completion ?? EMPTY_ROSTER}
      done={failed ? null : doneNote(c, PEOPLE_DONE)}
    />,
    failed ? 400 : 200,
  );
}

async function importPage(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  csv = '',
  outcome?: ImportOutcome,
  error: string | null = null,
) {
  const training = await organizationTraining(
    trainingContext(deps),
    g.actor,
    param(c, 'id'),
    requestOrigin(c),
  );
  if (!training.keepsRoster)
    throw new AccessDenied(
      'The organization’s administrators and state administrators import its completions.',
      true,
    );
  return renderPage(
    c,
    <ImportPage
      {...staffView(deps, g)}
      organization={training.organization}
      csv={outcome?.ok ? '' : csv}
      error={error}
      problems={outcome && !outcome.ok ? outcome.problems : []}
      result={outcome?.ok ? outcome : null}
    />,
    error || (outcome && !outcome.ok) ? 400 : 200,
  );
}

async function postImport(c: Context, deps: AppDeps, g: Guarded) {
  const form = await readForm(c);
  const file = Array.isArray(form.file) ? form.file[0] : form.file;
  const text = file instanceof File && file.size > 0 ? await file.text() : formText(form, 'csv');
  try {
    const outcome = await importCompletions(
      trainingContext(deps),
      g.actor,
      param(c, 'id'),
      text,
      requestOrigin(c),
    );
    return importPage(c, deps, g, text.length > 200_000 ? '' : text, outcome);
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code !== 'invalid') throw error;
    return importPage(c, deps, g, text.length > 200_000 ? '' : text, undefined, error.message);
  }
}

export const trainingPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const see = staffAction('training.compliance', 'training.record', 'training.manage');
  const manage = staffAction('training.manage');
  const record = staffAction('training.record');
  const compliance = staffAction('training.compliance');
  const seers = roleRefusal(
    'State administrators, trainers, organization administrators and navigators see training.',
  );
  const managers = roleRefusal('State administrators and trainers keep the training catalogue.');
  const recorders = roleRefusal(
    'State administrators, trainers and organization administrators record completions.',
  );
  const viewers = roleRefusal(
    'State administrators and navigators see training by region; state administrators statewide.',
  );
  const ctx = () => trainingContext(deps);

  r.staff('get', '/staff/training', see, (c, g) => home(c, deps, g), seers);
  r.staff('get', '/staff/training/mine', SIGNED_IN, async (c, g) =>
    renderPage(c, <MyTrainingPage {...staffView(deps, g)} mine={await myTraining(ctx(), g.actor)} />),
  );
  r.staff(
    'get',
    '/staff/training/courses/new',
    manage,
    (c, g) =>
      renderPage(c, <NewCoursePage {...staffView(deps, g)} values={{ verified: 'no' }} errors={[]} />),
    managers,
  );
  r.staff('post', '/staff/training/courses', manage, (c, g) => postCourse(c, deps, g, null), managers);
  r.staff('get', '/staff/training/courses/:code', see, (c, g) => coursePage(c, deps, g), seers);
  r.staff(
    'post',
    '/staff/training/courses/:code',
    manage,
    (c, g) => postCourse(c, deps, g, param(c, 'code')),
    managers,
  );
  r.staff(
    'post',
    '/staff/training/courses/:code/trainers',
    manage,
    async (c, g) => {
      const form = await readForm(c);
      const code = param(c, 'code');
      try {
        await setTrainer(
          deps.db,
          g.actor,
          code,
          { userId: formText(form, 'userId') },
          formText(form, 'teaches') === 'yes',
          requestOrigin(c),
        );
      } catch (thrown) {
        return coursePage(c, deps, g, { errors: [problem(thrown, ['userId'])] });
      }
      return c.redirect(`${courseLink(code)}?done=trainer#trainers`, 303);
    },
    managers,
  );
  r.staff(
    'get',
    '/staff/training/requirements/new',
    manage,
    (c, g) =>
      renderPage(
        c,
        <RequirementPage {...staffView(deps, g)} id={null} values={{ verified: 'no' }} errors={[]} />,
      ),
    managers,
  );
  r.staff(
    'post',
    '/staff/training/requirements',
    manage,
    (c, g) => postRequirement(c, deps, g, null),
    managers,
  );
  r.staff(
    'get',
    '/staff/training/requirements/:id',
    manage,
    async (c, g) => {
      const cat = await catalogue(deps.db, g.actor);
      const row = cat.requirements.find((x) => x.id === param(c, 'id'));
      if (!row) throw new ServiceError('not_found', 'There is no such requirement.');
      return renderPage(
        c,
        <RequirementPage {...staffView(deps, g)} id={row.id} values={requirementValues(row)} errors={[]} />,
      );
    },
    managers,
  );
  r.staff(
    'post',
    '/staff/training/requirements/:id',
    manage,
    (c, g) => postRequirement(c, deps, g, param(c, 'id')),
    managers,
  );

  r.staff(
    'get',
    '/staff/training/organizations',
    see,
    async (c, g) =>
      renderPage(
        c,
        <OrganizationsPage
          {...staffView(deps, g)}
          organizations={await organizationChoices(ctx(), g.actor)}
        />,
      ),
    seers,
  );
  r.staff('get', '/staff/training/organizations/:id', see, (c, g) => organizationPage(c, deps, g), seers);
  r.staff(
    'post',
    '/staff/training/organizations/:id/roster',
    record,
    async (c, g) => {
      const values = pick(await readForm(c), ROSTER_FIELDS);
      try {
        await addRosterEntry(ctx(), g.actor, param(c, 'id'), values, requestOrigin(c));
      } catch (thrown) {
        return organizationPage(c, deps, g, { roster: { values, errors: [problem(thrown, ROSTER_FIELDS)] } });
      }
      return c.redirect(`${organizationLink(param(c, 'id'))}?done=roster#people`, 303);
    },
    recorders,
  );
  r.staff(
    'post',
    '/staff/training/organizations/:id/roster/:rosterId/remove',
    record,
    async (c, g) => {
      await removeRosterEntry(ctx(), g.actor, param(c, 'id'), param(c, 'rosterId'), requestOrigin(c));
      return c.redirect(`${organizationLink(param(c, 'id'))}?done=removed#people`, 303);
    },
    recorders,
  );
  r.staff(
    'post',
    '/staff/training/organizations/:id/completions',
    record,
    async (c, g) => {
      const values = pick(await readForm(c), COMPLETION_FIELDS);
      try {
        await recordCompletionFor(ctx(), g.actor, param(c, 'id'), values, requestOrigin(c));
      } catch (thrown) {
        return organizationPage(c, deps, g, {
          completion: { values, errors: [problem(thrown, COMPLETION_FIELDS)] },
        });
      }
      return c.redirect(`${organizationLink(param(c, 'id'))}?done=completion#people`, 303);
    },
    recorders,
  );
  r.staff(
    'post',
    '/staff/training/organizations/:id/regions',
    compliance,
    async (c, g) => {
      await setOrganizationRegions(
        ctx(),
        g.actor,
        param(c, 'id'),
        { regionIds: formList(await readForm(c), 'regionIds') },
        requestOrigin(c),
      );
      return c.redirect(`${organizationLink(param(c, 'id'))}?done=regions#regions`, 303);
    },
    viewers,
  );
  r.staff(
    'get',
    '/staff/training/organizations/:id/import',
    record,
    (c, g) => importPage(c, deps, g),
    recorders,
  );
  r.staff(
    'post',
    '/staff/training/organizations/:id/import',
    record,
    (c, g) => postImport(c, deps, g),
    recorders,
  );

  r.staff(
    'get',
    '/staff/training/state',
    compliance,
    async (c, g) => {
      // Organization administrators and navigators see their own part of it.
      if (!seesStatewide(g.actor))
        return c.redirect(
          g.actor.role === 'navigator' && g.actor.regions[0]
            ? `/staff/training/regions/${g.actor.regions[0]}`
            : organizationLink(g.actor.organizationId),
          303,
        );
      return renderPage(
        c,
        <StatePage {...staffView(deps, g)} {...await statewideCompliance(ctx(), g.actor)} />,
      );
    },
    viewers,
  );
  r.staff(
    'get',
    '/staff/training/regions/:id',
    compliance,
    async (c, g) =>
      renderPage(
        c,
        <RegionPage {...staffView(deps, g)} {...await regionCompliance(ctx(), g.actor, param(c, 'id'))} />,
      ),
    viewers,
  );
  r.staff(
    'get',
    '/staff/training/completions/:id/certificate',
    see,
    async (c, g) =>
      renderPage(
        c,
        <CertificatePage
          {...staffView(deps, g)}
          certificate={await certificate(ctx(), g.actor, param(c, 'id'), requestOrigin(c))}
          origin={siteOrigin(deps.site)}
        />,
      ),
    seers,
  );

  const verifyPage = async (c: Context, code: string) => {
    const found = code ? await verifyCertificate(deps.db, code) : null;
    return renderPage(
      c,
      <CertificateCheckPage frame={frameFor(c, deps)} code={code} found={found} />,
      code && !found ? 404 : 200,
    );
  };
  r.open('get', '/certificates', PUBLIC, (c) =>
    verifyPage(c, (c.req.query('code') ?? '').slice(0, 40).trim()),
  );
  r.open('get', '/certificates/:code', PUBLIC, (c) => verifyPage(c, param(c, 'code').slice(0, 40).trim()));
};
