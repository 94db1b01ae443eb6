/**
 * Re-importing a pack over administrators' edits: a row edited after the pack's source was read is
 * kept and reported (result and audit), a row the pack has newer facts for is overwritten, and a
 * membership an administrator added that the pack does not list stays.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../test/app.ts';
import { importPack } from './import.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const PHONES = JSON.stringify([{ dial: '+12185550100', display: '218-555-0100', description: null }]);

describe('importPack over administrators’ edits', () => {
  it('keeps a newer edit and reports it; overwrites an older one; keeps an added membership', async () => {
    const db = t.deps.db;
    await db
      .updateTable('organizations')
      .set({ phones: PHONES, edited_at: new Date(), checked_by: 'State administrator, Synthetic' })
      .where('id', '=', 'pavsa')
      .execute();
    await db
      .updateTable('organizations')
      .set({ phones: PHONES, edited_at: new Date('2001-01-01T00:00:00Z') })
      .where('id', '=', 'breaking-free')
      .execute();
    const aitkin = await db
      .selectFrom('region_counties')
      .selectAll()
      .where('county_fips', '=', '27001')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('region_counties')
      .set({ effective_to: '2030-01-01', edited_at: new Date() })
      .where('county_fips', '=', '27001')
      .execute();
    await db
      .insertInto('region_counties')
      .values({
        region_id: 'central',
        county_fips: '27001',
        effective_from: '2030-01-01',
        effective_to: null,
        source: 'https://example.org/synthetic-map',
        retrieved: '2026-12-01',
        verified: false,
        note: null,
        edited_at: new Date(),
      })
      .execute();

    const result = await importPack(db, resolve('data/mn'), { force: true });
    expect(result.imported).toBe(true);
    const kept = result.skipped.map((k) => `${k.kind}:${k.id}`);
    expect(kept).toContain('organization:pavsa');
    expect(kept).toContain(`membership:${aitkin.region_id}/27001/${aitkin.effective_from}`);
    expect(kept).not.toContain('organization:breaking-free');

    const org = (id: string) =>
      db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect((await org('pavsa')).phones).toHaveLength(1);
    expect((await org('pavsa')).checked_by).toBe('State administrator, Synthetic');
    const overwritten = await org('breaking-free');
    expect(overwritten.phones).toEqual([]);
    expect(overwritten.edited_at).toBeNull();
    expect(overwritten.checked_by).toBe('Jurisdiction pack');

    const memberships = await db
      .selectFrom('region_counties')
      .selectAll()
      .where('county_fips', '=', '27001')
      .orderBy('effective_from')
      .execute();
    expect(memberships.map((m) => [m.region_id, m.effective_to])).toEqual([
      [aitkin.region_id, '2030-01-01'],
      ['central', null],
    ]);
    const audit = await db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'pack.import_kept_edits')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect((audit.details as { kept: string[] }).kept).toContain('organization:pavsa');

    // Nothing edited: nothing reported.
    await db.updateTable('organizations').set({ edited_at: null }).execute();
    await db.updateTable('region_counties').set({ edited_at: null }).execute();
    await db
      .deleteFrom('region_counties')
      .where('region_id', '=', 'central')
      .where('county_fips', '=', '27001')
      .execute();
    const again = await importPack(db, resolve('data/mn'), { force: true });
    expect(again.skipped).toEqual([]);
    expect(
      (
        await db
          .selectFrom('region_counties')
          .selectAll()
          .where('county_fips', '=', '27001')
          .executeTakeFirstOrThrow()
      ).effective_to,
    ).toBeNull();
  });
});
