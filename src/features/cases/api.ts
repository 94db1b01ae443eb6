/**
 * Cases over the staff API (`Authorization: Bearer …` from `nwd tokens create`, or a staff session):
 * `POST /api/v1/cases` opens a case (directly, or from a referral with `intakeItemId`), `GET
 * /api/v1/cases/{id}` reads one (audited, exactly as the page reads it). The same policies as the
 * pages: another region's case answers 404, like a missing one. Errors are problem details naming the
 * field at fault.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { badRequest, jsonBodyLimit, problem, readJsonBody } from '../../platform/problem.ts';
import { problemResponse } from '../../platform/problem.ts';
import { apiCaller, refusalProblem } from '../../web/api.ts';
import { requestOrigin } from '../../web/session.ts';
import { CaseError, CasePersonalSchema, caseScopeOf } from './core.ts';
import {
  CONTACT_METHODS,
  CaseInputError,
  DEFAULT_CASE_RETENTION_DAYS,
  SURVEY_ANSWERS,
  getCase,
  openCase,
  type CaseDetail,
  type CaseServiceContext,
  type OpenCaseInput,
} from './service.ts';
import { codesOf, type Vocabularies } from './vocabularies.ts';

const MAX_BODY_BYTES = 64 * 1024;

/** Where each of the service's fields sits in the API's body. */
const FIELD_PATHS: Record<string, string> = {
  chosenName: 'personal.chosenName',
  legalName: 'personal.legalName',
  dateOfBirth: 'personal.dateOfBirth',
  age: 'personal.age',
  pronouns: 'personal.pronouns',
  genderIdentity: 'personal.genderIdentity',
  raceEthnicity: 'personal.raceEthnicity',
  sexualOrientation: 'personal.sexualOrientation',
  languages: 'personal.languages',
  tribalAffiliation: 'personal.tribalAffiliation',
  contactMethod: 'personal.safeContact.method',
  contactValue: 'personal.safeContact.value',
  contactTimes: 'personal.safeContact.times',
  codeWord: 'personal.safeContact.codeWord',
};

const text = (max: number) => z.string().max(max);

/** The body of `POST /api/v1/cases`, with the pack's answer lists as enums. */
export function openCaseBodySchema(v: Vocabularies) {
  return z
    .object({
      regionId: z
        .string()
        .max(64)
        .optional()
        .openapi({ description: 'One of the caller’s regions; may be left out when they have one.' }),
      intakeItemId: z.string().uuid().optional().openapi({
        description:
          'Open the case from this referral: personal fields left out are taken from it, the case is linked to it and the referral is closed as connected to services.',
      }),
      countyFips: z
        .string()
        .regex(/^\d{5}$/, 'a county FIPS code, e.g. 27053')
        .nullable()
        .optional(),
      personal: z
        .object({
          chosenName: text(100).openapi({ description: 'The name the young person chooses to be called.' }),
          legalName: text(200).nullable(),
          dateOfBirth: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
            .nullable(),
          age: z.number().int().min(0).max(120).nullable().openapi({
            description: 'Age in years when the date of birth is not known (ignored with a date of birth).',
          }),
          pronouns: text(50).nullable(),
          genderIdentity: z.array(z.enum(codesOf(v, 'genderIdentity'))).max(10),
          raceEthnicity: z
            .array(z.enum(codesOf(v, 'raceEthnicity')))
            .max(20)
            .openapi({ description: 'Multi-select, the categories the Safe Harbor evaluation reports.' }),
          sexualOrientation: z.enum(codesOf(v, 'sexualOrientation')).nullable(),
          languages: z.array(text(50)).max(10),
          tribalAffiliation: text(200).nullable(),
          safeContact: z
            .object({
              method: z.enum(CONTACT_METHODS).nullable(),
              value: text(200).nullable(),
              times: text(200).nullable(),
              codeWord: text(100).nullable(),
            })
            .partial()
            .strict(),
        })
        .partial()
        .strict()
        .optional(),
    })
    .strict()
    .openapi('CaseOpen');
}
type OpenCaseBody = z.infer<ReturnType<typeof openCaseBodySchema>>;

const PersonRefSchema = z.object({ userId: z.string().uuid(), name: z.string() });
const SurveyAnswerSchema = z.enum(SURVEY_ANSWERS).nullable();

export const CaseSchema = z
  .object({
    id: z.string().uuid(),
    status: z.enum(['open', 'closed']),
    regionId: z.string(),
    regionName: z.string(),
    countyFips: z.string().nullable(),
    countyName: z.string().nullable(),
    ageBand: z.enum(['under18', '18to24', '25plus', 'unknown']),
    intakeItemId: z.string().uuid().nullable(),
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

const OpenedSchema = z
  .object({
    id: z.string().uuid(),
    regionId: z.string(),
    possibleDuplicateRegions: z.array(z.string()),
  })
  .openapi('CaseOpened');

const openRoute = (v: Vocabularies) =>
  createRoute({
    method: 'post',
    path: '/api/v1/cases',
    tags: ['Cases'],
    summary: 'Open a case (regional navigators; every personal field is encrypted)',
    description:
      'Opens a case in one of the caller’s regions, directly or from a referral (`intakeItemId`). The opener is assigned. ' +
      'Unknown fields, wrong types and codes outside the answer lists are refused with the field named. ' +
      'Consent is never a condition of service: every personal field but the chosen name is optional.',
    security: [{ bearer: [] }],
    request: {
      body: { required: true, content: { 'application/json': { schema: openCaseBodySchema(v) } } },
    },
    responses: {
      201: { description: 'The case is open', content: { 'application/json': { schema: OpenedSchema } } },
      400: problemResponse('The body is not valid: the problem names the field'),
      401: problemResponse('No valid token or session'),
      403: problemResponse('The role or token may not open cases'),
      409: problemResponse('A case was already opened from this referral, or someone else claimed it'),
      413: problemResponse('The body is too large'),
    },
  });

const oneRoute = createRoute({
  method: 'get',
  path: '/api/v1/cases/{id}',
  tags: ['Cases'],
  summary:
    'Read one case: personal details, navigators, notes, services, the latest timeline entries and possible duplicates in other regions (recorded in the audit log)',
  security: [{ bearer: [] }],
  request: {
    params: z.object({
      id: z
        .string()
        .max(100)
        .openapi({ param: { name: 'id', in: 'path' } }),
    }),
  },
  responses: {
    200: { description: 'The case', content: { 'application/json': { schema: CaseSchema } } },
    401: problemResponse('No valid token or session'),
    403: problemResponse('The role or token may not read cases'),
    404: problemResponse('No such case, or not in the caller’s regions'),
  },
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A case as the API returns it. */
export function caseJson(d: CaseDetail): z.infer<typeof CaseSchema> {
  return {
    ...d,
    openedAt: d.openedAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    closedAt: iso(d.closedAt),
    purgeAfter: iso(d.purgeAfter),
    assigned: d.assigned.map((a) => ({ ...a, assignedAt: a.assignedAt.toISOString() })),
    notes: d.notes.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })),
    services: d.services.map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
    timeline: d.timeline.map((e) => ({ ...e, at: e.at.toISOString() })),
  };
}

/** The API's body as the service's input: a field left out stays `undefined` (filled from a referral). */
function inputOf(body: OpenCaseBody): OpenCaseInput {
  const p = body.personal ?? {};
  const contact = p.safeContact;
  return {
    regionId: body.regionId,
    intakeItemId: body.intakeItemId,
    countyFips: body.countyFips,
    chosenName: p.chosenName,
    legalName: p.legalName,
    dateOfBirth: p.dateOfBirth,
    age: p.age,
    pronouns: p.pronouns,
    genderIdentity: p.genderIdentity,
    raceEthnicity: p.raceEthnicity,
    sexualOrientation: p.sexualOrientation,
    languages: p.languages,
    tribalAffiliation: p.tribalAffiliation,
    contactMethod: contact?.method,
    contactValue: contact?.value,
    contactTimes: contact?.times,
    codeWord: contact?.codeWord,
  };
}

export const casesApi: Feature = (app, deps, policies) => {
  const ctx = (): CaseServiceContext => ({
    db: deps.db,
    keyring: deps.keyring,
    calendar: deps.rules.calendar,
    vocabularies: deps.rules.vocabularies,
    retentionDays: deps.config.caseRetentionDays ?? DEFAULT_CASE_RETENTION_DAYS,
  });
  const route = openRoute(deps.rules.vocabularies);
  const bodySchema = openCaseBodySchema(deps.rules.vocabularies);

  policies.declare('POST', route.path, staffAction('cases.write'));
  // Documented from the route; handled in order: who is asking, then the body, then the service.
  app.openAPIRegistry.registerPath(route);
  app.post(route.path, jsonBodyLimit(MAX_BODY_BYTES), async (c) => {
    const actor = await apiCaller(c, deps, 'cases.write', (a) => caseScopeOf(a, 'cases.write') !== null);
    if (actor instanceof Response) return actor;
    // A cookie from another site was refused before this (sameSiteWrites, for every API write).
    const body = await readJsonBody(c, 'the case');
    if (body instanceof Response) return body;
    const parsed = bodySchema.safeParse(body.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const field = [...issue.path, ...keys.slice(0, 1)].join('.') || 'body';
      return badRequest(c, field, `${field}: ${issue.message}`);
    }
    try {
      const opened = await openCase(ctx(), actor, inputOf(parsed.data), requestOrigin(c));
      c.header('Location', `/api/v1/cases/${opened.id}`);
      return c.json(opened, 201);
    } catch (error) {
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
  });

  policies.declare('GET', '/api/v1/cases/:id', staffAction('cases.read'));
  app.openapi(oneRoute, async (c) => {
    const actor = await apiCaller(c, deps, 'cases.read', (a) => caseScopeOf(a, 'cases.read') !== null);
    if (actor instanceof Response) return actor as never;
    try {
      const detail = await getCase(ctx(), actor, c.req.valid('param').id, requestOrigin(c));
      return c.json(caseJson(detail), 200);
    } catch (error) {
      if (error instanceof CaseError && error.code === 'not_found') return refusalProblem(c, error) as never;
      throw error;
    }
  });
};
