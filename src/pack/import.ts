/**
 * Loads a jurisdiction pack into the database in one transaction: either the whole pack is in, or
 * nothing changed. The pack is the source of truth for its rows: rows it no longer lists are removed;
 * services added by `nwd import-hsds` are left alone.
 */
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { bumpDataVersion, saveService } from '../features/directory/queries.ts';
import { validateHsdsService } from '../features/directory/hsds-validate.ts';
import { countySlug } from '../features/help/names.ts';
import { loadPack, PackError, type Pack } from './load.ts';

export interface ImportResult {
  jurisdiction: string;
  version: string;
  imported: boolean;
  counts: {
    counties: number;
    regions: number;
    organizations: number;
    lines: number;
    zips: number;
    services: number;
  };
}

function countsOf(pack: Pack): ImportResult['counts'] {
  return {
    counties: pack.counties.length,
    regions: pack.regions.length,
    organizations: pack.organizations.length,
    lines: pack.lines.length,
    zips: Object.keys(pack.zips.zips).length,
    services: pack.directory.length,
  };
}

export function checkDirectory(pack: Pack): void {
  const problems: string[] = [];
  pack.directory.forEach((entry, i) => {
    const result = validateHsdsService(entry.service);
    if (!result.valid)
      problems.push(
        ...result.errors.map((e) => `directory.json entry ${i} (${String(entry.service.id)}): ${e}`),
      );
  });
  if (problems.length)
    throw new PackError('directory.json holds services that are not valid HSDS 3.1:', problems);
}

/**
 * Imports the pack in `dir`. With `force` false (at start), an unchanged pack is skipped.
 *
 * @example
 * await importPack(db, './data/mn', { force: true });
 */
export async function importPack(
  db: Database,
  dir: string,
  options: { force: boolean },
): Promise<ImportResult> {
  const pack = loadPack(dir);
  const m = pack.manifest;
  const existing = await db
    .selectFrom('packs')
    .select('checksum')
    .where('jurisdiction', '=', m.jurisdiction)
    .executeTakeFirst();
  if (!options.force && existing?.checksum === pack.checksum) {
    return { jurisdiction: m.jurisdiction, version: m.version, imported: false, counts: countsOf(pack) };
  }
  checkDirectory(pack);
  const j = m.jurisdiction;
  await db.transaction().execute(async (trx) => {
    // Serialise concurrent imports (several instances starting at once).
    await sql`select pg_advisory_xact_lock(727002)`.execute(trx);
    const packRow = {
      jurisdiction: j,
      name: m.name,
      timezone: m.timezone,
      statewide_line_id: m.statewideLineId,
      emergency_line_id: m.emergencyLineId,
      version: m.version,
      checksum: pack.checksum,
      source: m.source,
      retrieved: m.retrieved,
      verified: m.verified,
      imported_at: new Date(),
    };
    const { jurisdiction: _j, ...packUpdate } = packRow;
    await trx
      .insertInto('packs')
      .values(packRow)
      .onConflict((oc) => oc.column('jurisdiction').doUpdateSet(packUpdate))
      .execute();

    const countyFips = pack.counties.map((c) => c.fips);
    // Rows that point at counties go first, so counties can be replaced.
    await trx
      .deleteFrom('zip_counties')
      .where('county_fips', 'in', sql<string>`(select fips from counties where jurisdiction = ${j})`)
      .execute();
    await trx
      .deleteFrom('region_counties')
      .where('region_id', 'in', sql<string>`(select id from regions where jurisdiction = ${j})`)
      .execute();
    await trx.deleteFrom('regions').where('jurisdiction', '=', j).execute();
    await trx.deleteFrom('organizations').where('jurisdiction', '=', j).execute();
    await trx.deleteFrom('lines_to_call').where('jurisdiction', '=', j).execute();
    await trx
      .deleteFrom('counties')
      .where('jurisdiction', '=', j)
      .where('fips', 'not in', countyFips)
      .execute();

    for (const c of pack.counties) {
      const row = {
        fips: c.fips,
        jurisdiction: j,
        name: c.name,
        slug: countySlug(c.name),
        source: c.source,
        retrieved: c.retrieved,
        verified: c.verified,
        note: c.note ?? null,
      };
      const { fips: _f, ...update } = row;
      await trx
        .insertInto('counties')
        .values(row)
        .onConflict((oc) => oc.column('fips').doUpdateSet(update))
        .execute();
    }
    if (pack.organizations.length) {
      await trx
        .insertInto('organizations')
        .values(
          pack.organizations.map((o) => ({
            id: o.id,
            jurisdiction: j,
            name: o.name,
            description: o.description,
            city: o.city,
            website: o.website,
            email: o.email,
            phones: JSON.stringify(o.phones),
            source: o.source,
            retrieved: o.retrieved,
            verified: o.verified,
            note: o.note ?? null,
          })),
        )
        .execute();
    }
    for (const r of pack.regions) {
      await trx
        .insertInto('regions')
        .values({
          id: r.id,
          jurisdiction: j,
          name: r.name,
          navigator_organization_id: r.navigatorOrganizationId,
          effective_from: r.effectiveFrom,
          effective_to: r.effectiveTo,
          source: r.source,
          retrieved: r.retrieved,
          verified: r.verified,
          note: r.note ?? null,
        })
        .execute();
      if (r.counties.length) {
        await trx
          .insertInto('region_counties')
          .values(
            r.counties.map((m) => ({
              region_id: r.id,
              county_fips: m.fips,
              effective_from: m.effectiveFrom,
              effective_to: m.effectiveTo,
              source: m.source,
              retrieved: m.retrieved,
              verified: m.verified,
              note: m.note ?? null,
            })),
          )
          .execute();
      }
    }
    if (pack.lines.length) {
      await trx
        .insertInto('lines_to_call')
        .values(
          pack.lines.map((l) => ({
            id: l.id,
            jurisdiction: j,
            name: l.name,
            description: l.description,
            scope: l.scope,
            call_dial: l.call?.dial ?? null,
            call_display: l.call?.display ?? null,
            text_dial: l.text?.dial ?? null,
            text_display: l.text?.display ?? null,
            text_body: l.text?.body ?? null,
            url: l.url,
            hours: l.hours,
            sort_order: l.order,
            source: l.source,
            retrieved: l.retrieved,
            verified: l.verified,
            note: l.note ?? null,
          })),
        )
        .execute();
    }
    const z = pack.zips;
    const zipRows = Object.entries(z.zips).flatMap(([zip, e]) =>
      e.counties.map(([fips, share]) => ({
        zip,
        county_fips: fips,
        city: e.city,
        share,
        source: z.source,
        retrieved: z.retrieved,
        verified: z.verified,
      })),
    );
    for (let i = 0; i < zipRows.length; i += 1000) {
      await trx
        .insertInto('zip_counties')
        .values(zipRows.slice(i, i + 1000))
        .execute();
    }

    const serviceIds = pack.directory.map((e) => String(e.service.id));
    const stale = trx
      .deleteFrom('directory_services')
      .where('jurisdiction', '=', j)
      .where('origin', '=', 'pack');
    await (serviceIds.length ? stale.where('id', 'not in', serviceIds) : stale).execute();
    for (const e of pack.directory) {
      await saveService(trx, {
        jurisdiction: j,
        service: e.service,
        provenance: { source: e.source, retrieved: e.retrieved, verified: e.verified, note: e.note },
        origin: 'pack',
      });
    }
    await bumpDataVersion(trx, 'geography');
    await bumpDataVersion(trx, 'directory');
  });
  return { jurisdiction: j, version: m.version, imported: true, counts: countsOf(pack) };
}
