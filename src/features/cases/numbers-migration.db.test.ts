/**
 * Migration 0013 on a database that already holds cases: each is numbered per region and year (the
 * year in the pack's time zone) in the order it was opened, the counters continue from there, and new
 * cases take the next number. Synthetic data only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/database.ts';
import { migrate, readMigrations } from '../../db/migrate.ts';

let admin: pg.Client;
let handle: DatabaseHandle;
const name = `nwd_numbers_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: inject('adminUrl') });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(inject('adminUrl'));
  url.pathname = `/${name}`;
  handle = openDatabase(url.toString(), 2);
});
afterAll(async () => {
  await handle?.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

it('numbers existing cases per region and year in the order they were opened', async () => {
  const all = readMigrations();
  const before = all.filter((m) => m.id < '0013');
  expect(before.length).toBe(all.findIndex((m) => m.id.startsWith('0013')));
  await migrate(handle.db, before);
  await sql`insert into packs (jurisdiction, name, timezone, statewide_line_id, emergency_line_id, version, checksum,
      source, retrieved, verified)
    values ('mn', 'Minnesota', 'America/Chicago', 'x', 'y', '1', 'c', 'synthetic', '2026-01-01', true)`.execute(
    handle.db,
  );
  await sql`insert into regions (id, jurisdiction, name, effective_from, source, retrieved, verified)
    values ('west-metro', 'mn', 'West Metro', '2020-01-01', 'synthetic', '2026-01-01', true),
           ('southeast', 'mn', 'Southeast', '2020-01-01', 'synthetic', '2026-01-01', true)`.execute(
    handle.db,
  );
  const cases: [string, string, string][] = [
    // [label, region, opened_at]: inserted out of order on purpose.
    ['w3', 'west-metro', '2026-03-01T12:00:00Z'],
    ['w1', 'west-metro', '2026-01-01T06:30:00Z'],
    ['w0', 'west-metro', '2026-01-01T05:30:00Z'], // 31 December 2025 in Minnesota
    ['s1', 'southeast', '2026-02-01T12:00:00Z'],
    ['w2', 'west-metro', '2026-02-01T12:00:00Z'],
  ];
  const ids = new Map(cases.map(([label]) => [label, randomUUID()]));
  for (const [label, region, at] of cases)
    await sql`insert into cases (id, jurisdiction, region_id, age_band, personal_encrypted, opened_at, updated_at)
      values (${ids.get(label)}, 'mn', ${region}, 'unknown', '\\x01'::bytea, ${at}::timestamptz, ${at}::timestamptz)`.execute(
      handle.db,
    );

  await migrate(handle.db, all);
  const rows = await handle.db
    .selectFrom('cases')
    .select(['id', 'number_region_id', 'number_year', 'number_seq'])
    .execute();
  const number = (label: string) => {
    const r = rows.find((x) => x.id === ids.get(label))!;
    return `${r.number_region_id}/${r.number_year}/${r.number_seq}`;
  };
  expect(['w0', 'w1', 'w2', 'w3', 's1'].map(number)).toEqual([
    'west-metro/2025/1',
    'west-metro/2026/1',
    'west-metro/2026/2',
    'west-metro/2026/3',
    'southeast/2026/1',
  ]);

  // The counters continue from the numbers given.
  const next = randomUUID();
  await sql`insert into cases (id, jurisdiction, region_id, age_band, personal_encrypted, opened_at)
    values (${next}, 'mn', 'west-metro', 'unknown', '\\x01'::bytea, '2026-04-01T12:00:00Z')`.execute(
    handle.db,
  );
  const added = await handle.db
    .selectFrom('cases')
    .select(['number_year', 'number_seq'])
    .where('id', '=', next)
    .executeTakeFirstOrThrow();
  expect(added).toEqual({ number_year: 2026, number_seq: 4 });
});
