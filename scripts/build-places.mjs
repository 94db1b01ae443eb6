// Builds data/mn/places.json: every Minnesota city, township and unorganized territory with the
// counties it lies in, from two U.S. Census Bureau Population Estimates files (see the provenance
// header the script writes into places.json).
//
//   node scripts/build-places.mjs                       rebuild places.json from data/mn/sources/
//   node scripts/build-places.mjs --extract-v2020 F.xlsx  refresh the 2020 extract from all-geocodes-v2020.xlsx
//   node scripts/build-places.mjs --extract-2019 F.csv    refresh the 2019 extract from sub-est2019_27.csv
//
// No dependencies: the workbook is read with a minimal ZIP reader and regular expressions.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = join(ROOT, 'data', 'mn', 'sources');
const V2020 = join(SOURCES, 'census-geocodes-v2020-mn.csv');
const V2019 = join(SOURCES, 'census-sub-est2019-mn.csv');
const OUT = join(ROOT, 'data', 'mn', 'places.json');

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const csvLine = (cells) => cells.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
function parseCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    const cells = [];
    for (const m of line.matchAll(/("((?:[^"]|"")*)"|[^,]*)(,|$)/g)) {
      cells.push(m[2] !== undefined ? m[2].replace(/""/g, '"') : m[1]);
      if (m[3] === '') break;
    }
    rows.push(cells);
  }
  return rows;
}

function unzip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file');
  const n = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = {};
  for (let k = 0; k < n; k++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const [nlen, elen, clen] = [buf.readUInt16LE(p + 28), buf.readUInt16LE(p + 30), buf.readUInt16LE(p + 32)];
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nlen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    files[name] = method === 8 ? inflateRawSync(raw) : raw;
    p += 46 + nlen + elen + clen;
  }
  return files;
}

const unxml = (s) =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** all-geocodes-v2020.xlsx → Minnesota rows: sumlev, county, cousub, place, name. */
function extractV2020(xlsx) {
  const buf = readFileSync(xlsx);
  const files = unzip(buf);
  const strings = [...files['xl/sharedStrings.xml'].toString('utf8').matchAll(/<si>([\s\S]*?)<\/si>/g)].map(
    (m) => unxml(m[1]),
  );
  const rows = [];
  for (const rm of files['xl/worksheets/sheet1.xml']
    .toString('utf8')
    .matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)) {
    const cells = {};
    for (const cm of rm[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const [, col, attrs, inner] = cm;
      const v = /<v>([\s\S]*?)<\/v>/.exec(inner || '');
      let val = v ? v[1] : '';
      if (/t="s"/.test(attrs)) val = strings[Number(val)];
      else if (/t="inlineStr"/.test(attrs)) val = unxml(inner || '');
      cells[col] = val;
    }
    rows.push(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((c) => cells[c] ?? ''));
  }
  if (!/Vintage 2020/.test(rows[0][0])) throw new Error(`${xlsx}: not the Vintage 2020 geography file`);
  const header = rows.findIndex((r) => r[0] === 'Summary Level');
  const mn = rows.slice(header + 1).filter((r) => r[1] === '27' && ['050', '061', '162'].includes(r[0]));
  const lines = [
    'SUMLEV,COUNTY,COUSUB,PLACE,NAME',
    ...mn.map((r) => csvLine([r[0], r[2], r[3], r[4], r[6]])),
  ];
  writeFileSync(V2020, lines.join('\n') + '\n');
  console.log(`${V2020}: ${mn.length} rows from ${xlsx} (sha256 ${sha256(buf)})`);
}

/** sub-est2019_27.csv → the rows that name counties, places and county subdivisions. */
function extract2019(csv) {
  const buf = readFileSync(csv);
  const [head, ...rows] = parseCsv(buf.toString('latin1'));
  const at = (name) => head.indexOf(name);
  const keep = rows.filter(
    (r) => r[at('STATE')] === '27' && ['050', '061', '157', '162'].includes(r[at('SUMLEV')]),
  );
  const lines = [
    'SUMLEV,COUNTY,COUSUB,PLACE,NAME',
    ...keep.map((r) =>
      csvLine([r[at('SUMLEV')], r[at('COUNTY')], r[at('COUSUB')], r[at('PLACE')], r[at('NAME')]]),
    ),
  ];
  writeFileSync(V2019, lines.join('\n') + '\n');
  console.log(`${V2019}: ${keep.length} rows from ${csv} (sha256 ${sha256(buf)})`);
}

const KINDS = [
  [/ city$/, 'city'],
  [/ township$/, 'township'],
  [/ UT$/, 'unorganized'],
];
function split(censusName) {
  for (const [re, kind] of KINDS) if (re.test(censusName)) return { name: censusName.replace(re, ''), kind };
  return { name: censusName, kind: 'other' };
}

function build() {
  const read = (file) =>
    parseCsv(readFileSync(file, 'utf8'))
      .slice(1)
      .map(([sumlev, county, cousub, place, name]) => ({
        sumlev,
        county: `27${county}`,
        cousub,
        place,
        name,
      }));
  const v2020 = read(V2020);
  const v2019 = read(V2019);
  const countyNames = new Map(v2020.filter((r) => r.sumlev === '050').map((r) => [r.county, r.name]));
  const mcds = v2020.filter((r) => r.sumlev === '061');
  const withMcds = new Set(mcds.map((r) => r.county));
  const mcdParts = new Map();
  for (const r of mcds) mcdParts.set(r.cousub, [...(mcdParts.get(r.cousub) ?? []), r]);
  // Vintage 2019 place-in-county rows (summary level 157): "Dayton city (pt.)" in each county part.
  const placeParts = new Map();
  for (const r of v2019.filter((x) => x.sumlev === '157' && x.place !== '99990'))
    placeParts.set(r.place, [...(placeParts.get(r.place) ?? []), r]);

  const places = [];
  const cityCodes = new Set();
  const disagreements = [];
  const from2019 = [];
  for (const p of v2020.filter((r) => r.sumlev === '162')) {
    const { name, kind } = split(p.name);
    cityCodes.add(p.place);
    const byMcd = new Set(
      (mcdParts.get(p.place) ?? []).filter((r) => r.name === p.name).map((r) => r.county),
    );
    const by2019 = new Set(
      (placeParts.get(p.place) ?? [])
        .filter((r) => r.name.replace(/ \(pt\.\)$/, '') === p.name)
        .map((r) => r.county),
    );
    // 2020 county subdivisions where the county has them; the 2019 place-in-county rows for the
    // counties that have none in the 2020 file (Hennepin, Koochiching, Lake of the Woods) and for
    // cities with no subdivision row at all.
    const counties = new Set([...byMcd]);
    for (const c of by2019) if (!withMcds.has(c) || byMcd.size === 0) counties.add(c);
    const added = [...counties].filter((c) => !byMcd.has(c));
    if (added.length) from2019.push(`${name}: ${added.map((c) => countyNames.get(c)).join(', ')}`);
    for (const c of byMcd) if (by2019.size && !by2019.has(c)) disagreements.push(`${name} ${c} only in 2020`);
    for (const c of by2019)
      if (withMcds.has(c) && byMcd.size && !byMcd.has(c)) disagreements.push(`${name} ${c} only in 2019`);
    places.push({ name, kind, counties: [...counties].sort(), geoid: `27${p.place}` });
  }
  const seen = new Set();
  for (const r of mcds) {
    const { name, kind } = split(r.name);
    if (kind === 'city' && cityCodes.has(r.cousub)) continue;
    if (seen.has(r.cousub)) continue;
    seen.add(r.cousub);
    const parts = (mcdParts.get(r.cousub) ?? []).filter((x) => x.name === r.name);
    places.push({
      name,
      kind,
      counties: [...new Set(parts.map((x) => x.county))].sort(),
      geoid: `${parts[0].county}${r.cousub}`,
    });
  }
  const order = { city: 0, township: 1, unorganized: 2, other: 3 };
  places.sort(
    (a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name) || a.geoid.localeCompare(b.geoid),
  );
  const count = (k) => places.filter((x) => x.kind === k).length;
  const unresolved = places.filter((x) => x.counties.length === 0).map((x) => `${x.name} (${x.kind})`);
  const header = {
    source: [
      'U.S. Census Bureau, Population Division: Estimates Geography File, Vintage 2020 (all-geocodes-v2020.xlsx, released May 2021; https://www2.census.gov/programs-surveys/popest/geographies/2020/all-geocodes-v2020.xlsx; sha256 2e289a5f9680f69ff061c1d473de41b23eddec9d47cbc9ec72af97dde43dc305; copy read from github.com/yucelnarain/CommunityHousingNetwork at commit 528b5a7ac85d051d77d2b882ec45915e0aabadf9)',
      'U.S. Census Bureau, Population Division: Annual Estimates of the Resident Population for Minnesota Incorporated Places and Minor Civil Divisions, Vintage 2019 (sub-est2019_27.csv; https://www2.census.gov/programs-surveys/popest/datasets/2010-2019/cities/totals/; sha256 7aeedea80208067cfc33e626209541b7d872df3b4ccb6934ad0751d01e0c308f; copy read from github.com/joypauls/jhu-603-module3-discussion at commit ea388f516a1c82e04e7a685c69277c1dae379fea)',
    ],
    retrieved: '2026-11-22',
    verified: true,
    vintage:
      'Places and county subdivisions as of January 1, 2020 (Vintage 2020); county parts of cities in Hennepin, Koochiching and Lake of the Woods counties as of January 1, 2019 (Vintage 2019).',
    transformation: [
      'scripts/build-places.mjs --extract-v2020 / --extract-2019 keep the Minnesota rows of each file (data/mn/sources/*.csv).',
      'Cities: every Vintage 2020 incorporated place (summary level 162). Its counties are the counties of its county-subdivision rows (level 061, same code and name) in the 2020 file.',
      'The 2020 file has no county-subdivision rows for Hennepin, Koochiching and Lake of the Woods counties: for those counties, and for cities with no subdivision row at all, the counties come from the Vintage 2019 place-in-county rows (level 157, "<name> city (pt.)").',
      'Townships and unorganized territories: the remaining 2020 county-subdivision rows ending " township" or " UT", one record per subdivision code with all its counties.',
      'name drops the Census suffix (" city", " township", " UT") and keeps the Census spelling ("St. Paul"); the finder matches "St", "St." and "Saint" alike.',
    ],
    counts: {
      city: count('city'),
      township: count('township'),
      unorganized: count('unorganized'),
      countyUnknown: unresolved.length,
      citiesInSeveralCounties: places.filter((x) => x.kind === 'city' && x.counties.length > 1).length,
    },
    knownGaps: [
      'Neither file lists the townships and unorganized territories of Koochiching and Lake of the Woods counties, nor Fort Snelling unorganized territory (Hennepin County): the finder asks for a ZIP code or the county there.',
      'No census-designated places (unincorporated communities): the finder falls back to the postal city names of the ZIP file.',
      ...(unresolved.length ? [`County unknown in both files: ${unresolved.join(', ')}.`] : []),
    ],
  };
  const body = places.map((p) => `  ${JSON.stringify(p)}`).join(',\n');
  const head = JSON.stringify(header, null, 2).replace(/\n}$/, '');
  writeFileSync(OUT, `${head},\n  "places": [\n${body}\n  ]\n}\n`);
  console.log(
    JSON.stringify({ counts: header.counts, unresolved, from2019: from2019.length, disagreements }, null, 1),
  );
}

const [flag, file] = process.argv.slice(2);
if (flag === '--extract-v2020') extractV2020(file);
else if (flag === '--extract-2019') extract2019(file);
else build();
