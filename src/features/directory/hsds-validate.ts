/**
 * Checks a directory service against the official Open Referral HSDS 3.1 JSON Schema.
 *
 * The schema is the copy in `data/hsds-3.1/` (so the product needs nothing outside the repository at
 * run time). It carries Open Referral's own extra keywords (`name`, `core`, `constraints`, …), so the
 * validator runs in non-strict mode; formats (`uuid`, `uri`, `email`, `date-time`) are checked.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';

/** Where the copied HSDS 3.1 service schema lives. */
export const HSDS_SERVICE_SCHEMA_URL = new URL(
  '../../../data/hsds-3.1/compiled_service_with_definitions.json',
  import.meta.url,
);

export type HsdsValidation = { valid: true } | { valid: false; errors: string[] };

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: its function is both the module and its `default`.
  formatsPlugin.default(ajv);
  // HSDS marks some tabular fields with a `csv` format that has no JSON meaning.
  ajv.addFormat('csv', true);
  const schema = JSON.parse(readFileSync(HSDS_SERVICE_SCHEMA_URL, 'utf8')) as object;
  compiled = ajv.compile(schema);
  return compiled;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '/' : error.instancePath;
  const extra =
    error.keyword === 'enum' && Array.isArray(error.params.allowedValues)
      ? ` (${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`
      : '';
  return `${where}: ${error.message ?? error.keyword}${extra}`;
}

/**
 * Validates one HSDS 3.1 service (with its nested organization, locations, attributes, …).
 *
 * @example
 * validateHsdsService({ id: 'not-a-uuid', name: 'Shelter', status: 'active' })
 * // → { valid: false, errors: ['/id: must match format "uuid"'] }
 */
export function validateHsdsService(service: unknown): HsdsValidation {
  const validate = validator();
  if (validate(service)) return { valid: true };
  return { valid: false, errors: [...new Set((validate.errors ?? []).map(describe))] };
}
