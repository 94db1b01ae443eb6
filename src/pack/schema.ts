/**
 * The shape of a jurisdiction pack: the files under `data/<jurisdiction>/`.
 *
 * Every row carries its provenance (`source`, `retrieved`, `verified`) so that the product can show
 * what is confirmed and what still needs an administrator's check. A pack holds data only; adding a
 * state means adding a folder, not code.
 */
import { z } from 'zod';

/** ISO calendar date, `YYYY-MM-DD`. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/**
 * Where one published value of a row (a phone number, a website, hours…) was read, when the row's
 * values come from different sources. `field` names the value, for example `phones[0]` or `website`.
 */
export const factSource = z.object({
  field: z.string().min(1),
  value: z.string().min(1),
  source: z.string().url(),
  retrieved: isoDate,
  /** False until the organization itself has confirmed the value. */
  verified: z.boolean(),
  /** The words of the source that show the value. */
  quote: z.string().optional(),
});
export type FactSource = z.infer<typeof factSource>;

/** Where a fact came from and whether a person has checked it against that source. */
export const provenance = z.object({
  /** A citation a person can follow: a URL, a statute, or a seed document name. */
  source: z.string().min(1),
  /** The date the source was read. */
  retrieved: isoDate,
  /** True only when the fact was confirmed in the cited source. */
  verified: z.boolean(),
  /** Optional remark for administrators (what is uncertain, what to check). */
  note: z.string().optional(),
  /** Optional: a source and date for each published value of the row (see `factSource`). */
  sources: z.array(factSource).optional(),
});
export type Provenance = z.infer<typeof provenance>;

export const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case words joined by hyphens');
export const fips = z.string().regex(/^\d{5}$/, 'a five-digit county FIPS code');
export const zip5 = z.string().regex(/^\d{5}$/, 'a five-digit ZIP code');

/** A phone number written as digits for `tel:`/`sms:` links, plus how people say it. */
export const phoneNumber = z.object({
  /** E.164 or short code digits, used in links, for example `+18662231111` or `233733`. */
  dial: z.string().regex(/^\+?\d{3,15}$/),
  /** How it is shown, for example `1-866-223-1111`. */
  display: z.string().min(3),
});

export const packManifest = z
  .object({
    jurisdiction: slug,
    name: z.string().min(1),
    /** IANA time zone used for dates and business days. */
    timezone: z.string().min(1),
    /** Id of the line shown first when a region is unknown or unverified. */
    statewideLineId: slug,
    /** Id of the emergency line (911). */
    emergencyLineId: slug,
    /** Bumped whenever a file changes; the import records it. */
    version: z.string().min(1),
  })
  .merge(provenance);
export type PackManifest = z.infer<typeof packManifest>;

export const county = z
  .object({
    fips,
    name: z.string().min(1),
  })
  .merge(provenance);
export type County = z.infer<typeof county>;

export const lineToCall = z
  .object({
    id: slug,
    name: z.string().min(1),
    /** One plain sentence: who answers and what for. */
    description: z.string().min(1),
    scope: z.enum(['emergency', 'statewide', 'national']),
    call: phoneNumber.nullable(),
    text: phoneNumber.extend({ body: z.string().optional() }).nullable(),
    url: z.string().url().nullable(),
    hours: z.string().nullable(),
    /** Display order, lowest first. */
    order: z.number().int(),
  })
  .merge(provenance);
export type LineToCall = z.infer<typeof lineToCall>;

export const organization = z
  .object({
    id: slug,
    name: z.string().min(1),
    description: z.string().min(1),
    /** City the organization is based in, when known. */
    city: z.string().nullable(),
    website: z.string().url().nullable(),
    email: z.string().email().nullable(),
    phones: z.array(phoneNumber.extend({ description: z.string().nullable() })),
  })
  .merge(provenance);
export type Organization = z.infer<typeof organization>;

export const regionMembership = z
  .object({
    fips,
    effectiveFrom: isoDate,
    effectiveTo: isoDate.nullable(),
  })
  .merge(provenance);

export const region = z
  .object({
    id: slug,
    name: z.string().min(1),
    /** Organization that hosts the region's navigator, or null when unknown. */
    navigatorOrganizationId: slug.nullable(),
    effectiveFrom: isoDate,
    effectiveTo: isoDate.nullable(),
    counties: z.array(regionMembership),
  })
  .merge(provenance);
export type Region = z.infer<typeof region>;

export const zipCrosswalk = provenance.extend({
  generatedBy: z.string().min(1),
  /** ZIP → the place name and every county it touches, with the share of its addresses (0–100). */
  zips: z.record(
    zip5,
    z.object({
      city: z.string().min(1),
      counties: z.array(z.tuple([fips, z.number().min(0).max(100)])).min(1),
    }),
  ),
});
export type ZipCrosswalk = z.infer<typeof zipCrosswalk>;

/** The starter directory: HSDS 3.1 services, each with its provenance beside it. */
export const directoryEntry = provenance.extend({
  /** A complete HSDS 3.1 service object with its `organization` nested. */
  service: z.record(z.string(), z.unknown()),
});
export const directoryFile = z.object({ entries: z.array(directoryEntry) });
export type DirectoryEntry = z.infer<typeof directoryEntry>;
