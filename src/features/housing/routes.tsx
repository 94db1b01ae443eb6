/**
 * The staff pages of housing: the bed board for navigators and state administrators
 * (`/staff/housing/beds`), and for a provider organization its programs (`/staff/housing/programs`),
 * each program's page with its availability form and history, and the form that describes a program.
 * Thin: every read and change goes through `service.ts`; the pages are in `views/`.
 */
import type { Context } from 'hono';
import type { AppDeps, Feature } from '../../app-types.ts';
import { ServiceError } from '../../platform/errors.ts';
import { staffAction } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import {
  doneNote,
  formList,
  formText,
  messagePage,
  readForm,
  roleRefusal,
  serviceError,
  staffView,
  type FieldError,
  type Form,
  type Guarded,
} from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { BoardQuery } from './schema.ts';
import {
  bedBoard,
  boardFilter,
  createProgram,
  housingContext,
  organizationPrograms,
  programDetail,
  updateAvailability,
  updateProgramDetails,
} from './service.ts';
import { BedBoardPage, type BoardValues } from './views/bed-board.tsx';
import {
  DONE_MESSAGES,
  EMPTY_PROGRAM,
  ProgramFormPage,
  ProgramPage,
  ProgramsPage,
  type ProgramFormValues,
} from './views/program-pages.tsx';

const regionsOf = (deps: AppDeps) =>
  [...deps.geography.get().regions.values()]
    .filter((r) => r.effectiveTo === null)
    .map((r) => ({ id: r.id, name: r.name }))
    .sort((a, b) => a.name.localeCompare(b.name));

const countiesOf = (deps: AppDeps) =>
  [...deps.geography.get().counties.values()]
    .map((c) => ({ fips: c.fips, name: c.name }))
    .sort((a, b) => a.name.localeCompare(b.name));

/** The first part of a field path (`bedTypes.0.name` → `bedTypes`): the form's field. */
const fieldOf = (field: string | undefined, fallback: string) => (field ?? fallback).split('.')[0]!;

// ---------------------------------------------------------------------------------------------------
// The bed board

async function boardPage(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const raw = c.req.queries();
  const one = (name: string) => raw[name]?.[0]?.trim() ?? '';
  const values: BoardValues = {
    age: one('age'),
    gender: one('gender'),
    county: one('county'),
    region: one('region'),
    needs: raw.needs ?? [],
    when: one('when'),
  };
  const query = Object.fromEntries(
    Object.entries({ ...values, needs: values.needs.join(',') }).filter(([, v]) => v !== ''),
  );
  const ctx = housingContext(deps);
  const errors: FieldError[] = [];
  let programs = null;
  const parsed = BoardQuery.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    errors.push({
      field: fieldOf(issue?.path.join('.'), 'age'),
      message: issue?.message ?? 'Check the filter.',
    });
  } else {
    try {
      programs = await bedBoard(ctx, g.actor, boardFilter(ctx, parsed.data));
    } catch (thrown) {
      const error = serviceError(thrown);
      if (error.code !== 'invalid') throw error;
      errors.push({ field: fieldOf(error.field, 'county'), message: error.message });
    }
  }
  const geo = deps.geography.get();
  return renderPage(
    c,
    <BedBoardPage
      {...staffView(deps, g)}
      values={values}
      errors={errors}
      programs={programs}
      regions={regionsOf(deps)}
      counties={countiesOf(deps)}
      regionName={(id) => geo.regions.get(id)?.name ?? id}
      staleHours={ctx.staleHours}
    />,
    errors.length ? 400 : 200,
  );
}

// ---------------------------------------------------------------------------------------------------
// Programs

function programValues(form: Form): ProgramFormValues {
  return {
    name: formText(form, 'name'),
    type: formText(form, 'type'),
    minAge: formText(form, 'minAge'),
    maxAge: formText(form, 'maxAge'),
    genders: formList(form, 'genders'),
    serves: formList(form, 'serves'),
    culturallySpecificFor: formText(form, 'culturallySpecificFor'),
    languages: formText(form, 'languages'),
    regionIds: formList(form, 'regionIds'),
    countyFips: formList(form, 'countyFips'),
    address: formText(form, 'address'),
    bedsTotal: formText(form, 'bedsTotal'),
    bedTypes: formText(form, 'bedTypes'),
  };
}

const BED_TYPE_LINE = /^(.+?)\s*:\s*(\d{1,3})$/;

/** The form's values as the service's input; a line of bed types that cannot be read is refused here. */
function programInput(v: ProgramFormValues): Record<string, unknown> {
  const bedTypes = [];
  for (const line of v.bedTypes
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const m = BED_TYPE_LINE.exec(line);
    if (!m)
      throw new ServiceError(
        'invalid',
        'Write each type of bed on its own line as its name, a colon and a number, e.g. “Parenting room: 2”.',
        'bedTypes',
      );
    bedTypes.push({ name: m[1]!, total: Number(m[2]) });
  }
  const bedsTotal =
    v.bedsTotal.trim() || (bedTypes.length ? String(bedTypes.reduce((n, t) => n + t.total, 0)) : undefined);
  return {
    name: v.name,
    type: v.type || undefined,
    minAge: v.minAge.trim() || undefined,
    maxAge: v.maxAge.trim() || undefined,
    genders: v.genders,
    serves: v.serves,
    culturallySpecificFor: v.culturallySpecificFor,
    languages: v.languages
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean),
    regionIds: v.regionIds,
    countyFips: v.countyFips,
    address: v.address,
    bedsTotal,
    bedTypes,
  };
}

function formPage(
  c: Context,
  deps: AppDeps,
  g: Guarded,
  id: string | null,
  values: ProgramFormValues,
  errors: FieldError[] = [],
) {
  return renderPage(
    c,
    <ProgramFormPage
      {...staffView(deps, g)}
      programId={id}
      values={values}
      errors={errors}
      regions={regionsOf(deps)}
      counties={countiesOf(deps)}
    />,
    errors.length ? 400 : 200,
  );
}

async function saveProgram(c: Context, deps: AppDeps, g: Guarded, id: string | null): Promise<Response> {
  const values = programValues(await readForm(c));
  const ctx = housingContext(deps);
  let programId = id;
  try {
    if (id) await updateProgramDetails(ctx, g.actor, id, programInput(values), requestOrigin(c));
    else programId = await createProgram(ctx, g.actor, programInput(values), requestOrigin(c));
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code !== 'invalid') throw error;
    return formPage(c, deps, g, id, values, [
      { field: fieldOf(error.field, 'name'), message: error.message },
    ]);
  }
  return c.redirect(`/staff/housing/programs/${programId}?done=${id ? 'changed' : 'added'}`, 303);
}

async function editPage(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const { program: p, address } = await programDetail(
    housingContext(deps),
    g.actor,
    c.req.param('id') ?? '',
    requestOrigin(c),
  );
  return formPage(c, deps, g, p.id, {
    name: p.name,
    type: p.type,
    minAge: String(p.minAge),
    maxAge: String(p.maxAge),
    genders: p.genders,
    serves: p.serves,
    culturallySpecificFor: p.culturallySpecificFor ?? '',
    languages: p.languages.join(', '),
    regionIds: p.regionIds,
    countyFips: p.countyFips,
    address: address ?? '',
    bedsTotal: String(p.bedsTotal),
    bedTypes: p.bedTypes.map((t) => `${t.name}: ${t.total}`).join('\n'),
  });
}

async function programPage(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const detail = await programDetail(
    housingContext(deps),
    g.actor,
    c.req.param('id') ?? '',
    requestOrigin(c),
  );
  const geo = deps.geography.get();
  return renderPage(
    c,
    <ProgramPage
      {...staffView(deps, g)}
      detail={detail}
      regionNames={detail.program.regionIds.map((id) => geo.regions.get(id)?.name ?? id)}
      countyNames={detail.program.countyFips.map((f) => geo.counties.get(f)?.name ?? f)}
      done={doneNote(c, DONE_MESSAGES)}
    />,
  );
}

/** The compact form's post: the number tapped (or typed), the beds in all, or the beds of each type. */
async function availabilityPost(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const form = await readForm(c);
  const id = c.req.param('id') ?? '';
  const back =
    formText(form, 'back') === 'list' ? '/staff/housing/programs' : `/staff/housing/programs/${id}`;
  const types = [];
  for (let i = 0; formText(form, `typeName${i}`) !== ''; i++)
    types.push({
      name: formText(form, `typeName${i}`),
      total: formText(form, `typeTotal${i}`),
      available: formText(form, `typeAvailable${i}`).trim() || undefined,
    });
  const number = (name: string) => formText(form, name).trim() || undefined;
  const input = types.length
    ? { bedTypes: types }
    : { available: number('available'), total: number('total') };
  try {
    await updateAvailability(housingContext(deps), g.actor, id, input, 'page', requestOrigin(c));
  } catch (thrown) {
    const error = serviceError(thrown);
    if (error.code !== 'invalid') throw error;
    return messagePage(c, g.frame, 400, 'The beds were not saved', error.message, {
      href: back,
      text: 'Go back and try again',
    });
  }
  return c.redirect(`${back}?done=updated`, 303);
}

export const housingPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const read = staffAction('housing.read');
  const manage = staffAction('housing.manage');
  const managers = roleRefusal(
    'Provider staff and organization administrators describe their housing programs.',
  );
  r.staff('get', '/staff/housing/beds', read, (c, g) => boardPage(c, deps, g), {
    ...roleRefusal('Regional navigators and state administrators use the bed board.'),
  });
  r.staff(
    'get',
    '/staff/housing/programs',
    manage,
    async (c, g) =>
      renderPage(
        c,
        <ProgramsPage
          {...staffView(deps, g)}
          programs={await organizationPrograms(housingContext(deps), g.actor)}
          done={doneNote(c, DONE_MESSAGES)}
        />,
      ),
    managers,
  );
  r.staff(
    'get',
    '/staff/housing/programs/new',
    manage,
    (c, g) => formPage(c, deps, g, null, EMPTY_PROGRAM),
    managers,
  );
  r.staff('post', '/staff/housing/programs', manage, (c, g) => saveProgram(c, deps, g, null), managers);
  r.staff('get', '/staff/housing/programs/:id', manage, (c, g) => programPage(c, deps, g), managers);
  r.staff('get', '/staff/housing/programs/:id/edit', manage, (c, g) => editPage(c, deps, g), managers);
  r.staff(
    'post',
    '/staff/housing/programs/:id/edit',
    manage,
    (c, g) => saveProgram(c, deps, g, c.req.param('id') ?? ''),
    managers,
  );
  r.staff(
    'post',
    '/staff/housing/programs/:id/availability',
    manage,
    (c, g) => availabilityPost(c, deps, g),
    managers,
  );
};
