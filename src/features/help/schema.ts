/**
 * API schemas for the navigator lookup: one definition gives validation, types and the OpenAPI text.
 */
import { z } from '@hono/zod-openapi';

export const ProvenanceSchema = z
  .object({
    source: z.string(),
    retrieved: z.string(),
    verified: z.boolean(),
    note: z.string().nullable(),
  })
  .openapi('Provenance');

export const LineSchema = ProvenanceSchema.extend({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  scope: z.enum(['emergency', 'statewide', 'national']),
  call: z.object({ dial: z.string(), display: z.string() }).nullable(),
  text: z.object({ dial: z.string(), display: z.string(), body: z.string().nullable() }).nullable(),
  url: z.string().nullable(),
  hours: z.string().nullable(),
}).openapi('LineToCall');

export const OrganizationSchema = ProvenanceSchema.extend({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  city: z.string().nullable(),
  website: z.string().nullable(),
  email: z.string().nullable(),
  phones: z.array(z.object({ dial: z.string(), display: z.string(), description: z.string().nullable() })),
}).openapi('Organization');

export const NavigatorAnswerSchema = z
  .object({
    county: z.object({ fips: z.string(), name: z.string(), slug: z.string() }),
    region: ProvenanceSchema.extend({
      id: z.string(),
      name: z.string(),
      effectiveFrom: z.string(),
      effectiveTo: z.string().nullable(),
      membership: ProvenanceSchema,
    }).nullable(),
    navigator: OrganizationSchema.nullable(),
    confirmed: z.boolean().openapi({
      description:
        'True only when the county membership, region and navigator are all verified in a source and the navigator can be reached.',
    }),
    contactFirst: z.enum(['navigator', 'statewide']).openapi({
      description: 'Whom to contact first: the statewide line whenever `confirmed` is false.',
    }),
    share: z
      .number()
      .nullable()
      .openapi({ description: 'For a ZIP lookup: the share of the ZIP in this county (0–100).' }),
  })
  .openapi('NavigatorAnswer');

export const NavigatorLookupSchema = z
  .object({
    query: z.object({ county: z.string().optional(), zip: z.string().optional() }),
    asOf: z.string(),
    ambiguous: z
      .boolean()
      .openapi({ description: 'True when a ZIP code lies in several counties: ask which one.' }),
    results: z.array(NavigatorAnswerSchema),
    statewide: LineSchema,
    emergency: LineSchema,
  })
  .openapi('NavigatorLookup');

export const NavigatorQuerySchema = z.object({
  county: z
    .string()
    .optional()
    .openapi({
      param: { name: 'county', in: 'query' },
      description: 'County name (e.g. "St. Louis") or five-digit FIPS code (e.g. 27137).',
      example: 'Hennepin',
    }),
  zip: z
    .string()
    .optional()
    .openapi({ param: { name: 'zip', in: 'query' }, description: 'Five-digit ZIP code.', example: '55401' }),
  asOf: z
    .string()
    .optional()
    .openapi({
      param: { name: 'asOf', in: 'query' },
      description: 'Date (YYYY-MM-DD) for region boundaries; default today in Minnesota.',
    }),
});

/** A pack's places.json: every city, township and unorganized territory, with its counties. */
export const PlacesFileSchema = z.object({
  source: z.union([z.string(), z.array(z.string())]),
  retrieved: z.string(),
  places: z.array(
    z.object({
      name: z.string().min(1),
      kind: z.enum(['city', 'township', 'unorganized']),
      counties: z.array(z.string().regex(/^\d{5}$/)),
      geoid: z.string(),
    }),
  ),
});
