/**
 * Loads a jurisdiction pack into the database in one transaction: either the whole pack is in, or
 * nothing changed. The pack is the seed; after import the database is the truth. A row an administrator
 * edited after the pack's source was read (organizations, regions, memberships, services) is kept, and
 * the import reports it (`skipped`, and one audit event); rows the pack no longer lists are removed
 * unless an administrator edited them; services added by `nwd import-hsds` are left alone.
 */
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { bumpDataVersion, saveService } from '../features/directory/queries.ts';
import { validateHsdsService } from '../features/directory/hsds-validate.ts';
import { countySlug } from '../features/help/names.ts';
import { importPackEvents, loadPackEvents } from '../features/events/index.ts';
import { importTrainingPack } from '../features/training/index.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import { loadPack, PackError, type Pack } from './load.ts';
import {
  editedAt,
  FROM_PACK,
  importStewardedRows,
  keepEdit,
  provenanceColumns,
  upsert,
  type KeptEdit,
} from './stewarded.ts';

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
  /** Rows an administrator edited after the pack's source was read: kept, not overwritten. */
  skipped: KeptEdit[];
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
    return {
      jurisdiction: m.jurisdiction,
      version: m.version,
      imported: false,
      counts: countsOf(pack),
      skipped: [],
    };
  }
  checkDirectory(pack);
  loadPackEvents(dir);
  const j = m.jurisdiction;
  const skipped: KeptEdit[] = [];
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
    await upsert(trx, 'packs', ['jurisdiction'], packRow);

    const countyFips = pack.counties.map((c) => c.fips);
    // Rows that point at counties go first, so counties can be replaced. Organizations, regions and
    // memberships are kept: an administrator may have edited them since (see `applyPackRow`).
    await trx
      .deleteFrom('zip_counties')
      .where('county_fips', 'in', sql<string>`(select fips from counties where jurisdiction = ${j})`)
      .execute();
    await trx.deleteFrom('lines_to_call').where('jurisdiction', '=', j).execute();

    for (const c of pack.counties) {
      const row = {
        fips: c.fips,
        jurisdiction: j,
        name: c.name,
        slug: countySlug(c.name),
        ...provenanceColumns(c),
      };
      await upsert(trx, 'counties', ['fips'], row);
    }
    await importStewardedRows(trx, j, pack, skipped);
    await trx
      .deleteFrom('counties')
      .where('jurisdiction', '=', j)
      .where('fips', 'not in', countyFips)
      .where('fips', 'not in', sql<string>`(select county_fips from region_counties)`)
      .execute();
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
            ...provenanceColumns(l),
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
      .where('origin', '=', 'pack')
      .where('edited_at', 'is', null);
    await (serviceIds.length ? stale.where('id', 'not in', serviceIds) : stale).execute();
    const edited = await editedAt(trx, 'directory_services', serviceIds);
    for (const e of pack.directory) {
      const id = String(e.service.id);
      if (keepEdit(edited.get(id), e.retrieved, 'service', id, skipped)) continue;
      await saveService(trx, {
        jurisdiction: j,
        service: e.service,
        provenance: { source: e.source, retrieved: e.retrieved, verified: e.verified, note: e.note },
        origin: 'pack',
      });
      await trx.updateTable('directory_services').set(FROM_PACK).where('id', '=', id).execute();
    }
    await importPackEvents(trx, dir, m.timezone);
    // The training catalogue and its rules (training.json, when the pack has one); edited rows are kept.
    const training = await importTrainingPack(trx, dir);
    if (skipped.length || training.kept.length)
      await recordAudit(trx, {
        actorKind: 'system',
        action: 'pack.import_kept_edits',
        subjectType: 'pack',
        subjectId: j,
        details: { version: m.version, kept: [...skipped.map((k) => `${k.kind}:${k.id}`), ...training.kept] },
      });
    await bumpDataVersion(trx, 'geography');
    await bumpDataVersion(trx, 'directory');
  });
  return { jurisdiction: j, version: m.version, imported: true, counts: countsOf(pack), skipped };
}
