/**
 * `/services` (the directory with its filters, working without JavaScript) and `/services/:id`.
 */
import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import { frameFor, type AppDeps, type Feature } from '../../app-types.ts';
import { renderPage } from '../../web/http.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { Layout } from '../../web/public-layout.tsx';
import type { Geography } from '../help/rules.ts';
import { findService, languagesOffered, searchServices, type ServiceRow } from './queries.ts';
import { ServiceFiltersSchema, toServiceQuery, type ServiceFilters } from './schema.ts';
import { GENDERS_SERVED, PROGRAM_TYPES, type GenderServed, type ProgramType } from './taxonomy.ts';

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  es: 'Spanish',
  so: 'Somali',
  hmn: 'Hmong',
  om: 'Oromo',
  vi: 'Vietnamese',
  kar: 'Karen',
  ar: 'Arabic',
  am: 'Amharic',
  oj: 'Ojibwe',
  dak: 'Dakota',
  fr: 'French',
  ru: 'Russian',
  zh: 'Chinese',
  asl: 'American Sign Language',
};

export const languageName = (code: string): string => LANGUAGE_NAMES[code] ?? code;

function ages(s: Pick<ServiceRow, 'minimumAge' | 'maximumAge'>): string | null {
  if (s.minimumAge !== null && s.maximumAge !== null) return `Ages ${s.minimumAge}–${s.maximumAge}`;
  if (s.maximumAge !== null) return `Ages ${s.maximumAge} and under`;
  if (s.minimumAge !== null) return `Ages ${s.minimumAge} and over`;
  return null;
}

function areaServed(geo: Geography, s: Pick<ServiceRow, 'statewide' | 'countyFips'>): string {
  if (s.statewide) return 'All of Minnesota';
  const names = s.countyFips.map((f) => geo.counties.get(f)?.name).filter((n): n is string => Boolean(n));
  if (names.length === 0) return 'Area not listed yet';
  if (names.length > 6) return `${names.slice(0, 5).join(', ')} and ${names.length - 5} more counties`;
  return `${names.join(', ')} ${names.length === 1 ? 'County' : 'counties'}`;
}

const Tags: FC<{ s: ServiceRow }> = ({ s }) => (
  <ul class="tags">
    {s.programTypes.map((t) => (
      <li>{PROGRAM_TYPES[t as ProgramType] ?? t}</li>
    ))}
    {ages(s) ? <li>{ages(s)}</li> : null}
    {s.genders
      .filter((g) => g !== 'any')
      .map((g) => (
        <li>{GENDERS_SERVED[g as GenderServed] ?? g}</li>
      ))}
    {s.culturallySpecific ? (
      <li>Culturally specific{s.culturallySpecificFor ? `: ${s.culturallySpecificFor}` : ''}</li>
    ) : null}
    {s.lgbtqAffirming ? <li>LGBTQ+ affirming</li> : null}
  </ul>
);

const Select: FC<{
  id: string;
  label: string;
  value: string | undefined;
  options: [string, string][];
  any: string;
}> = (p) => (
  <div>
    <label for={p.id}>{p.label}</label>
    <select id={p.id} name={p.id}>
      <option value="">{p.any}</option>
      {p.options.map(([value, text]) => (
        <option value={value} selected={value === p.value}>
          {text}
        </option>
      ))}
    </select>
  </div>
);

const Filters: FC<{
  geo: Geography;
  f: Partial<ServiceFilters>;
  languages: string[];
  countyValue: string | undefined;
}> = ({ geo, f, languages, countyValue }) => (
  <form method="get" action="/services" aria-labelledby="filters-h">
    <h2 id="filters-h">Filter services</h2>
    <div class="filters">
      <Select
        id="type"
        label="Type of help"
        value={f.type}
        any="Any type"
        options={Object.entries(PROGRAM_TYPES)}
      />
      <Select
        id="county"
        label="County"
        value={countyValue}
        any="Any county"
        options={[...geo.counties.values()]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((c) => [c.fips, c.name])}
      />
      <Select
        id="region"
        label="Region"
        value={f.region}
        any="Any region"
        options={[...geo.regions.values()]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((r) => [r.id, r.verified ? r.name : `${r.name} (not confirmed)`])}
      />
      <div>
        <label for="age">Age of the young person</label>
        <input
          id="age"
          name="age"
          type="number"
          inputmode="numeric"
          min="0"
          max="120"
          value={f.age === undefined ? '' : String(f.age)}
        />
      </div>
      <Select
        id="gender"
        label="Gender"
        value={f.gender}
        any="Any gender"
        options={Object.entries(GENDERS_SERVED).filter(([k]) => k !== 'any')}
      />
      <Select
        id="language"
        label="Language"
        value={f.language}
        any="Any language"
        options={languages.map((l) => [l, languageName(l)])}
      />
      <fieldset>
        <legend>Only show</legend>
        <label>
          <input
            type="checkbox"
            name="culturallySpecific"
            value="true"
            checked={f.culturallySpecific === true}
          />{' '}
          Culturally specific
        </label>
        <label>
          <input type="checkbox" name="lgbtqAffirming" value="true" checked={f.lgbtqAffirming === true} />{' '}
          LGBTQ+ affirming
        </label>
      </fieldset>
    </div>
    <button type="submit">Show services</button> <a href="/services">Clear filters</a>
  </form>
);

function pageLink(params: URLSearchParams, page: number): string {
  const next = new URLSearchParams(params);
  next.set('page', String(page));
  return `/services?${next.toString()}`;
}

async function listPage(c: Context, deps: AppDeps): Promise<Response> {
  const geo = deps.geography.get();
  const frame = frameFor(c, deps);
  const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ''));
  const languages = await languagesOffered(deps.db);
  const parsed = ServiceFiltersSchema.safeParse(raw);
  const outcome = parsed.success
    ? toServiceQuery(geo, parsed.data)
    : {
        ok: false as const,
        status: 400 as const,
        field: String(parsed.error.issues[0]?.path[0] ?? 'filters'),
        detail: parsed.error.issues[0]?.message ?? 'not valid',
      };
  if (!outcome.ok) {
    return renderPage(
      c,
      <Layout frame={frame} title="Services">
        <div class="error" role="alert">
          <h2>Check the filters</h2>
          <p>
            <a href={`#${outcome.field}`}>{outcome.field}</a>: {outcome.detail}
          </p>
        </div>
        <Filters geo={geo} f={{}} languages={languages} countyValue={undefined} />
      </Layout>,
      outcome.status,
    );
  }
  const { total, items } = await searchServices(deps.db, outcome.query);
  const f = outcome.filters;
  const params = new URLSearchParams(Object.entries(raw).filter(([k]) => k !== 'page') as [string, string][]);
  const pages = Math.max(1, Math.ceil(total / f.perPage));
  const countyValue =
    outcome.query.countyFips?.length === 1 && !f.region ? outcome.query.countyFips[0] : undefined;
  return renderPage(
    c,
    <Layout
      frame={frame}
      title="Services"
      description="Safe Harbor services, shelter and housing for young people in Minnesota."
    >
      <p>
        Support for young people 24 and under who are being sexually exploited or trafficked, or might be. All
        are free to contact.
      </p>
      <Filters geo={geo} f={f} languages={languages} countyValue={countyValue} />
      <h2 id="results-h">
        {total === 0 ? 'No services match' : `${total} ${total === 1 ? 'service' : 'services'}`}
        {pages > 1 ? `, page ${f.page} of ${pages}` : ''}
      </h2>
      {total === 0 ? (
        <p>
          Try fewer filters. You can always call or text <a href="/#lines">{geo.statewideLine.name}</a>: they
          know the services near you.
        </p>
      ) : null}
      <ul class="plain" aria-labelledby="results-h">
        {items.map((s) => (
          <li class="card">
            <h3>
              <a href={`/services/${s.id}`}>{s.name}</a>
            </h3>
            {s.organizationName && !s.name.includes(s.organizationName) ? <p>{s.organizationName}</p> : null}
            <Tags s={s} />
            <p class="hint">{areaServed(geo, s)}</p>
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <nav class="pager" aria-label="Pages">
          {f.page > 1 ? <a href={pageLink(params, f.page - 1)}>Previous page</a> : null}
          {f.page < pages ? <a href={pageLink(params, f.page + 1)}>Next page</a> : null}
        </nav>
      ) : null}
    </Layout>,
  );
}

interface HsdsPhone {
  number?: unknown;
  description?: unknown;
}

function phonesOf(hsds: Record<string, unknown>): { number: string; description: string | null }[] {
  const fromService = Array.isArray(hsds.phones) ? (hsds.phones as HsdsPhone[]) : [];
  const org = hsds.organization as { phones?: unknown } | undefined;
  const fromOrg = Array.isArray(org?.phones) ? (org.phones as HsdsPhone[]) : [];
  return [...fromService, ...fromOrg]
    .filter((p) => typeof p.number === 'string' && p.number.length > 0)
    .map((p) => ({
      number: p.number as string,
      description: typeof p.description === 'string' ? p.description : null,
    }));
}

function placesOf(hsds: Record<string, unknown>): string[] {
  const sals = Array.isArray(hsds.service_at_locations)
    ? (hsds.service_at_locations as { location?: Record<string, unknown> }[])
    : [];
  return sals
    .map((sal) => sal.location)
    .filter((l): l is Record<string, unknown> => Boolean(l))
    .map((l) => {
      const addresses = Array.isArray(l.addresses) ? (l.addresses as Record<string, unknown>[]) : [];
      const a = addresses[0];
      if (a)
        return [a.address_1, a.address_2, a.city, a.state_province, a.postal_code]
          .filter((x) => typeof x === 'string' && x)
          .join(', ');
      return typeof l.description === 'string' ? l.description : typeof l.name === 'string' ? l.name : '';
    })
    .filter((s) => s.length > 0);
}

async function detailPage(c: Context, deps: AppDeps): Promise<Response> {
  const geo = deps.geography.get();
  const frame = frameFor(c, deps);
  const id = c.req.param('id') ?? '';
  const s = id.length <= 200 ? await findService(deps.db, id) : null;
  if (!s) {
    return renderPage(
      c,
      <Layout frame={frame} title="Service not found">
        <p>
          We could not find that service. It may have been removed. <a href="/services">See all services</a>.
        </p>
      </Layout>,
      404,
    );
  }
  const phones = phonesOf(s.hsds);
  const places = placesOf(s.hsds);
  const h = s.hsds;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);
  return renderPage(
    c,
    <Layout frame={frame} title={s.name}>
      {s.organizationName ? <p>Run by {s.organizationName}</p> : null}
      <Tags s={s} />
      {text(h.description) ? <p>{text(h.description)}</p> : null}
      <h2>How to reach them</h2>
      {phones.length ? (
        <ul class="plain">
          {phones.map((p) => (
            <li>
              <a href={`tel:${p.number.replace(/[^\d+]/g, '')}`}>Call {p.number}</a>
              {p.description ? ` (${p.description})` : null}
            </li>
          ))}
        </ul>
      ) : (
        <p class="flag">
          Their contact details are not listed here yet. Call or text{' '}
          <a href="/#lines">{geo.statewideLine.name}</a> and they will connect you.
        </p>
      )}
      {text(h.url) ? (
        <p>
          <a href={text(h.url) ?? ''} rel="noreferrer">
            Website
          </a>
        </p>
      ) : null}
      <h2>Who it is for</h2>
      {text(h.eligibility_description) ? (
        <p>{text(h.eligibility_description)}</p>
      ) : (
        <p>Young people 24 and under.</p>
      )}
      {s.languages.length ? <p>Languages: {s.languages.map(languageName).join(', ')}</p> : null}
      <h2>Where</h2>
      <p>Serves: {areaServed(geo, s)}</p>
      {s.confidentialLocation ? (
        <p>The address is kept private to keep the young people who stay there safe.</p>
      ) : (
        places.map((p) => <p>{p}</p>)
      )}
      <p class="src">
        Source: {s.source}. {s.verified ? 'Checked against the source.' : 'Not yet confirmed by our team.'}
      </p>
      <p>
        <a href="/services">Back to all services</a>
      </p>
    </Layout>,
  );
}

export const directoryPages: Feature = (app, deps, policies) => {
  policies.declare('GET', '/services', PUBLIC);
  policies.declare('GET', '/services/:id', PUBLIC);
  app.get('/services', (c) => listPage(c, deps));
  app.get('/services/:id', (c) => detailPage(c, deps));
};
