/**
 * The directory's filters, read the same way by the page and the API.
 */
import { z } from '@hono/zod-openapi';
import { GENDERS_SERVED, PROGRAM_TYPES } from './taxonomy.ts';

const flag = z
  .enum(['true', 'false', '1', '0', 'on', 'yes', 'no'])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'on' || v === 'yes');

const programTypes = Object.keys(PROGRAM_TYPES) as [
  keyof typeof PROGRAM_TYPES,
  ...(keyof typeof PROGRAM_TYPES)[],
];
const genders = Object.keys(GENDERS_SERVED) as [
  keyof typeof GENDERS_SERVED,
  ...(keyof typeof GENDERS_SERVED)[],
];

export const ServiceFiltersSchema = z.object({
  type: z.enum(programTypes).optional().openapi({ description: 'Program type.' }),
  county: z
    .string()
    .max(40)
    .optional()
    .openapi({ description: 'County name or five-digit FIPS code served.', example: 'Ramsey' }),
  region: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'a region id such as west-metro')
    .optional()
    .openapi({
      description: 'Region id (see /api/v1/navigators): services serving any county of the region.',
    }),
  age: z.coerce
    .number()
    .int()
    .min(0)
    .max(120)
    .optional()
    .openapi({ description: 'Age of the young person: services whose age range includes it.' }),
  gender: z
    .enum(genders)
    .optional()
    .openapi({ description: 'Gender served. Services open to all genders always match.' }),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'a two- or three-letter language code such as so or hmn')
    .optional()
    .openapi({ description: 'ISO 639 language code.' }),
  culturallySpecific: flag.openapi({ description: 'Only culturally specific services.' }),
  lgbtqAffirming: flag.openapi({ description: 'Only LGBTQ+ affirming services.' }),
  q: z.string().max(100).optional().openapi({ description: 'Words in the name or description.' }),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  perPage: z.coerce.number().int().min(1).max(100).default(20),
});
export type ServiceFilters = z.infer<typeof ServiceFiltersSchema>;
