/**
 * Cases over the staff API (`Authorization: Bearer …` from `nwd tokens create`, or a staff session):
 * `POST /api/v1/cases` opens a case (directly, or from a referral with `intakeItemId`), `GET
 * /api/v1/cases/{id}` reads one (audited, exactly as the page reads it). The same policies as the
 * pages: another region's case answers 404, like a missing one. Errors are problem details naming the
 * field at fault.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppDeps, Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { badRequest, jsonBodyLimit, problem, problemResponse, readJsonBody } from '../../platform/problem.ts';
import {
  callerOf,
  idParam,
  isoOrNull,
  jsonAnswer,
  jsonBody,
  recordRequest,
  refusalProblem,
  staffRoute,
} from '../../web/api.ts';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { CaseError, CasePersonalSchema, caseContext } from './core.ts';
import { AGE_BANDS, CASE_PAGE_SIZE, DEFAULT_CASE_RETENTION_DAYS, SURVEY_ANSWERS } from './rules.ts';
import { CaseInputError, FIELD_PATHS, openCaseBodySchema, openInputOf } from './schema.ts';
import {
  getCase,
  listCases,
  openCase,
  type CaseDetail,
  type CaseList,
  type CaseServiceContext,
} from './service.ts';
import type { Vocabularies } from '../../pack/vocabularies.ts';

// The API's answers (and the list's query), as the OpenAPI document shows them.

const PersonRefSchema = z.object({ userId: z.string().uuid(), name: z.string() });
const SurveyAnswerSchema = z.enum(SURVEY_ANSWERS).nullable();

export const CaseSchema = z
  .object({
    id: z.string().uuid(),
    caseNumber: z.string().openapi({
      description: 'The case number: the region’s short code, the year opened and its place in that year.',
      example: 'WM-2026-0042',
    }),
    status: z.enum(['open', 'closed']),
    regionId: z.string(),
    regionName: z.string(),
    countyFips: z.string().nullable(),
    countyName: z.string().nullable(),
    ageBand: z.enum(['under18', '18to24', '25plus', 'unknown']),
    intakeItemId: z.string().uuid().nullable(),
    intakeItemVisible: z.boolean().openapi({
      description: 'Whether the caller may open the referral the case was opened from in the queue.',
    }),
    openedAt: z.string(),
    openedBy: PersonRefSchema.nullable(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
    closedBy: PersonRefSchema.nullable(),
    closeReason: z.string().nullable(),
    exitHousing: z.string().nullable(),
    survey: z.object({
      feelsSafer: SurveyAnswerSchema,
      moreHopeful: SurveyAnswerSchema,
      knowsWhereHelp: SurveyAnswerSchema,
    }),
    purgeAfter: z.string().nullable().openapi({
      description: 'When a closed case’s personal data is erased (its data key destroyed).',
    }),
    personal: CasePersonalSchema,
    assigned: z.array(PersonRefSchema.extend({ assignedAt: z.string() })),
    notes: z.array(
      z.object({
        id: z.string().uuid(),
        category: z.string(),
        body: z.string(),
        author: PersonRefSchema,
        createdAt: z.string(),
      }),
    ),
    notesTotal: z.number().int(),
    services: z.array(
      z.object({
        id: z.string().uuid(),
        serviceCode: z.string(),
        deliveredOn: z.string(),
        recordedBy: PersonRefSchema,
        createdAt: z.string(),
      }),
    ),
    timeline: z.array(
      z.object({
        id: z.string(),
        at: z.string(),
        event: z.string(),
        actor: PersonRefSchema.nullable(),
        detail: z.record(z.string(), z.unknown()),
      }),
    ),
    timelineNext: z.string().nullable(),
    possibleDuplicateRegions: z.array(z.string()).openapi({
      description:
        'Other regions holding a case with the same normalised chosen name and date of birth: "a possible match exists in region X — request a consult". Nothing else about them.',
    }),
  })
  .openapi('Case');

export const OpenedSchema = z
  .object({
    id: z.string().uuid(),
    caseNumber: z.string(),
    regionId: z.string(),
    possibleDuplicateRegions: z.array(z.string()),
  })
  .openapi('CaseOpened');

/** The query of `GET /api/v1/cases`: the page's filters (checked again, with the caller's regions, by the service). */
export const CaseListQuery = z
  .object({
    q: z.string().max(200).optional().openapi({
      description:
        'A case number (WM-2026-0042), a date of birth (2009-04-12 or 04/12/2009), or an exact chosen or legal name (capitals, accents and spacing do not matter). Matched through blind indexes; never recorded.',
    }),
    view: z.enum(['mine', 'open', 'closed']).optional().openapi({
      description:
        'A preset for status and assigned when they are left out: mine (the default for navigators), open (for state administrators), closed',
    }),
    status: z.enum(['open', 'closed', 'all']).optional(),
    assigned: z.enum(['all', 'me', 'anyone', 'nobody']).optional(),
    region: z.string().max(64).optional().openapi({ description: 'One of the caller’s regions' }),
    county: z
      .string()
      .regex(/^\d{5}$/, 'a county FIPS code (5 digits)')
      .optional(),
    ageBand: z.enum(AGE_BANDS).optional(),
    activity: z.enum(['7', '30', '90']).optional().openapi({ description: 'Changed within so many days' }),
    sort: z.enum(['activity', 'opened', 'closed', 'number']).optional().openapi({
      description: 'Newest first. Default: opened (closed for closed cases). closed needs status=closed.',
    }),
    after: z
      .string()
      .max(400)
      .optional()
      .openapi({ description: 'The `next` cursor of the previous answer' }),
    before: z
      .string()
      .max(400)
      .optional()
      .openapi({ description: 'The `previous` cursor of the previous answer' }),
    limit: z.coerce.number().int().min(1).max(100).default(CASE_PAGE_SIZE),
  })
  .strict();

export const CaseSummarySchema = z
  .object({
    id: z.string().uuid(),
    caseNumber: z.string().openapi({ example: 'WM-2026-0042' }),
    chosenName: z.string().nullable().openapi({ description: 'Decrypted; null when it cannot be read' }),
    status: z.enum(['open', 'closed']),
    regionId: z.string(),
    regionName: z.string(),
    countyName: z.string().nullable(),
    ageBand: z.enum(AGE_BANDS),
    openedAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
    assigned: z.array(z.object({ userId: z.string().uuid(), name: z.string() })),
  })
  .openapi('CaseSummary');

export const CaseListSchema = z
  .object({
    cases: z.array(CaseSummarySchema),
    total: z
      .number()
      .int()
      .openapi({ description: 'How many cases match in all, counted up to 1,000 (see totalCapped)' }),
    totalCapped: z
      .boolean()
      .openapi({ description: 'More than 1,000 cases match: total is 1,000, and the true number is larger' }),
    next: z.string().nullable().openapi({ description: 'Pass as `after` for the next page' }),
    previous: z.string().nullable().openapi({ description: 'Pass as `before` for the previous page' }),
  })
  .openapi('CaseList');

const MAX_BODY_BYTES = 64 * 1024;

const openRoute = (v: Vocabularies) =>
  staffRoute({
    method: 'post',
    path: '/api/v1/cases',
    tags: ['Cases'],
    summary: 'Open a case (regional navigators; every personal field is encrypted)',
    description:
      'Opens a case in one of the caller’s regions, directly or from a referral (`intakeItemId`). The opener is assigned. ' +
      'Unknown fields, wrong types and codes outside the answer lists are refused with the field named. ' +
      'Consent is never a condition of service: every personal field but the chosen name is optional.',
    forbidden: 'The role or token may not open cases',
    request: {
      body: jsonBody(openCaseBodySchema(v)),
    },
    responses: {
      201: jsonAnswer('The case is open', OpenedSchema),
      400: problemResponse('The body is not valid: the problem names the field'),
      409: problemResponse('A case was already opened from this referral, or someone else claimed it'),
      413: problemResponse('The body is too large'),
    },
  });

const oneRoute = staffRoute({
  method: 'get',
  path: '/api/v1/cases/{id}',
  tags: ['Cases'],
  summary:
    'Read one case: personal details, navigators, notes, services, the latest timeline entries and possible duplicates in other regions (recorded in the audit log)',
  forbidden: 'The role or token may not read cases',
  request: { params: idParam },
  responses: {
    200: jsonAnswer('The case', CaseSchema),
    404: problemResponse('No such case, or not in the caller’s regions'),
  },
});

const listRoute = staffRoute({
  method: 'get',
  path: '/api/v1/cases',
  tags: ['Cases'],
  summary:
    'Find cases: search by case number, name or date of birth, filter and sort, a page at a time (only the caller’s regions; recorded in the audit log, without the search text)',
  forbidden: 'The role or token may not read cases',
  request: { query: CaseListQuery },
  responses: {
    200: jsonAnswer('A page of cases', CaseListSchema),
    400: problemResponse('A query parameter is not valid (the field is named)'),
  },
});

/** A page of cases as the API returns it. */
export const caseListJson = (list: CaseList): z.infer<typeof CaseListSchema> => ({
  cases: list.cases.map((s) => ({
    id: s.id,
    caseNumber: s.caseNumber,
    chosenName: s.chosenName,
    status: s.status,
    regionId: s.regionId,
    regionName: s.regionName,
    countyName: s.countyName,
    ageBand: s.ageBand,
    openedAt: s.openedAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    closedAt: isoOrNull(s.closedAt),
    assigned: s.assigned.map((a) => ({ userId: a.userId, name: a.name })),
  })),
  total: list.total,
  totalCapped: list.totalCapped ?? false,
  next: list.next,
  previous: list.previous ?? null,
});

/** A case as the API returns it. */
export function caseJson(d: CaseDetail): z.infer<typeof CaseSchema> {
  return {
    ...d,
    openedAt: d.openedAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    closedAt: isoOrNull(d.closedAt),
    purgeAfter: isoOrNull(d.purgeAfter),
    assigned: d.assigned.map((a) => ({ ...a, assignedAt: a.assignedAt.toISOString() })),
    notes: d.notes.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })),
    services: d.services.map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
    timeline: d.timeline.map((e) => ({ ...e, at: e.at.toISOString() })),
  };
}

export const caseServiceContext = (deps: AppDeps): CaseServiceContext => ({
  ...caseContext(deps),
  retentionDays: deps.config.caseRetentionDays ?? DEFAULT_CASE_RETENTION_DAYS,
  pathway: deps.rules.pathway,
});

/** A refusal of the open route: every problem of the input, each at its place in the body. */
function openRefusal(c: Context, error: unknown): Response {
  if (error instanceof CaseInputError) {
    const problems = error.problems.map((p) => ({
      field: FIELD_PATHS[p.field] ?? p.field,
      detail: p.message,
    }));
    return problem(c, {
      title: 'The request is not valid',
      status: 400,
      field: problems[0]?.field ?? 'body',
      detail: problems[0]?.detail ?? error.message,
      problems,
    });
  }
  if (error instanceof CaseError) return refusalProblem(c, error, (field) => FIELD_PATHS[field] ?? field);
  throw error;
}

export const casesApi: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const route = openRoute(deps.rules.vocabularies);
  const bodySchema = openCaseBodySchema(deps.rules.vocabularies);

  // The body is read here rather than by the route's schema, so that each problem names its field in
  // the body (an unknown key included) and a body too large is refused before it is read.
  app.openAPIRegistry.registerPath(route);
  app.post(route.path, jsonBodyLimit(MAX_BODY_BYTES));
  const { request: _documented, ...handled } = route;
  r.api({ ...handled, hide: true }, staffAction('cases.write'), async (c) => {
    // A cookie from another site was refused before this (sameSiteWrites, for every API write).
    const body = await readJsonBody(c, 'the case');
    if (body instanceof Response) return body as never;
    const parsed = bodySchema.safeParse(body.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const field = [...issue.path, ...keys.slice(0, 1)].join('.') || 'body';
      return badRequest(c, field, `${field}: ${issue.message}`) as never;
    }
    try {
      const opened = await openCase(
        caseServiceContext(deps),
        callerOf(c),
        openInputOf(parsed.data),
        requestOrigin(c),
      );
      c.header('Location', `/api/v1/cases/${opened.id}`);
      return c.json(opened, 201);
    } catch (error) {
      return openRefusal(c, error) as never;
    }
  });

  r.api(listRoute, staffAction('cases.read'), async (c) => {
    const { limit, ...filters } = c.req.valid('query');
    const list = await listCases(
      caseServiceContext(deps),
      callerOf(c),
      { ...filters, limit },
      requestOrigin(c),
    );
    return c.json(caseListJson(list), 200);
  });

  r.api(oneRoute, staffAction('cases.read'), async (c) => {
    const { actor, id, origin } = recordRequest(c);
    return c.json(caseJson(await getCase(caseServiceContext(deps), actor, id, origin)), 200);
  });
};
