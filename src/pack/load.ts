/**
 * Reads and checks a jurisdiction pack from its folder. Every problem is reported with the file and
 * the path inside it, so whoever edits the data can fix it without reading code.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  county,
  directoryFile,
  lineToCall,
  organization,
  packManifest,
  region,
  zipCrosswalk,
  type County,
  type DirectoryEntry,
  type LineToCall,
  type Organization,
  type PackManifest,
  type Region,
  type ZipCrosswalk,
} from './schema.ts';

export const PACK_FILES = [
  'pack.json',
  'counties.json',
  'organizations.json',
  'regions.json',
  'lines.json',
  'zip-counties.json',
  'directory.json',
  'events.json',
  'training.json',
] as const;

export interface Pack {
  manifest: PackManifest;
  counties: County[];
  organizations: Organization[];
  regions: Region[];
  lines: LineToCall[];
  zips: ZipCrosswalk;
  directory: DirectoryEntry[];
  /** SHA-256 over all files: the import is skipped when it has not changed. */
  checksum: string;
}

export class PackError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length ? `${message}\n  ${problems.join('\n  ')}` : message);
  }
}

function parse<T>(dir: string, file: string, schema: z.ZodType<T>, raw: Map<string, string>): T {
  const path = join(dir, file);
  if (!existsSync(path)) throw new PackError(`The pack in ${dir} has no ${file}.`);
  const text = readFileSync(path, 'utf8');
  raw.set(file, text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PackError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new PackError(
      `${file} does not match the pack format:`,
      result.error.issues.slice(0, 20).map((i) => `${file} at /${i.path.join('/')}: ${i.message}`),
    );
  }
  return result.data;
}

/** Checks that the files agree with each other (ids referenced exist, every county has a region). */
export function crossCheck(pack: Omit<Pack, 'checksum'>): string[] {
  const problems: string[] = [];
  const fips = new Set(pack.counties.map((c) => c.fips));
  const orgs = new Set(pack.organizations.map((o) => o.id));
  const lines = new Set(pack.lines.map((l) => l.id));
  if (fips.size !== pack.counties.length) problems.push('counties.json lists a FIPS code twice');
  for (const r of pack.regions) {
    if (r.navigatorOrganizationId && !orgs.has(r.navigatorOrganizationId)) {
      problems.push(
        `regions.json: region ${r.id} names organization ${r.navigatorOrganizationId}, which is not in organizations.json`,
      );
    }
    for (const m of r.counties) {
      if (!fips.has(m.fips))
        problems.push(`regions.json: region ${r.id} lists county ${m.fips}, which is not in counties.json`);
    }
  }
  for (const id of [pack.manifest.statewideLineId, pack.manifest.emergencyLineId]) {
    if (!lines.has(id)) problems.push(`pack.json names line ${id}, which is not in lines.json`);
  }
  for (const [zip, entry] of Object.entries(pack.zips.zips)) {
    for (const [f] of entry.counties) {
      if (!fips.has(f))
        problems.push(`zip-counties.json: ZIP ${zip} names county ${f}, which is not in counties.json`);
    }
  }
  const ids = new Set<string>();
  for (const e of pack.directory) {
    const id = String(e.service.id ?? '');
    if (ids.has(id)) problems.push(`directory.json: service id ${id} appears twice`);
    ids.add(id);
  }
  return problems;
}

export function loadPack(dir: string): Pack {
  const raw = new Map<string, string>();
  const manifest = parse(dir, 'pack.json', packManifest, raw);
  const counties = parse(dir, 'counties.json', county.array(), raw);
  const organizations = parse(dir, 'organizations.json', organization.array(), raw);
  const regions = parse(dir, 'regions.json', region.array(), raw);
  const lines = parse(dir, 'lines.json', lineToCall.array(), raw);
  const zips = parse(dir, 'zip-counties.json', zipCrosswalk, raw);
  const directory = parse(dir, 'directory.json', directoryFile, raw).entries;
  // Events are read and checked by their feature at import (src/features/events/pack.ts); the file is
  // optional and counted in the checksum.
  if (existsSync(join(dir, 'events.json')))
    raw.set('events.json', readFileSync(join(dir, 'events.json'), 'utf8'));
  const pack = { manifest, counties, organizations, regions, lines, zips, directory };
  const problems = crossCheck(pack);
  if (problems.length) throw new PackError(`The pack in ${dir} is not consistent:`, problems);
  // The training catalogue is read by its own step (features/training), but a change to it is a change
  // of the pack: its text counts in the checksum.
  const training = join(dir, 'training.json');
  if (existsSync(training)) raw.set('training.json', readFileSync(training, 'utf8'));
  const hash = createHash('sha256');
  for (const file of PACK_FILES)
    hash
      .update(file)
      .update('\0')
      .update(raw.get(file) ?? '');
  return { ...pack, checksum: hash.digest('hex') };
}
