/**
 * The directory's pages: the filters, the list of services and one service.
 */
import type { FC } from 'hono/jsx';
import type { Geography } from '../help/index.ts';
import { phonesOf, placesOf } from './hsds.ts';
import { LANGUAGE_NAMES } from './index.ts';
import type { ServiceRow } from './queries.ts';
import type { ServiceFilters } from './schema.ts';
import type { FilterProblem } from './service.ts';
import { GENDERS_SERVED, PROGRAM_TYPES, type GenderServed, type ProgramType } from './taxonomy.ts';

const displayNames = new Intl.DisplayNames(['en-US'], { type: 'language', fallback: 'none' });

/** The English name of a language code the directory holds (the code itself when it has none). */
export function languageName(code: string): string {
  if (LANGUAGE_NAMES[code]) return LANGUAGE_NAMES[code];
  try {
    return displayNames.of(code) ?? code;
  } catch {
    return code;
  }
}

const MONTH_YEAR = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "December 2026" for `2026-12-06`. */
export const monthYear = (isoDate: string): string => MONTH_YEAR.format(new Date(`${isoDate}T00:00:00Z`));

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
      {languages.length ? (
        <Select
          id="language"
          label="Language"
          value={f.language}
          any="Any language"
          options={languages.map((l) => [l, languageName(l)])}
        />
      ) : null}
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

/** The filters were wrong: what to fix, and the filters again. */
export const FilterProblemView: FC<{ geo: Geography; problem: FilterProblem; languages: string[] }> = ({
  geo,
  problem: outcome,
  languages,
}) => (
  <>
    <div class="error" role="alert">
      <h2>Check the filters</h2>
      <p>
        <a href={`#${outcome.field}`}>{outcome.field}</a>: {outcome.detail}
      </p>
    </div>
    <Filters geo={geo} f={{}} languages={languages} countyValue={undefined} />
  </>
);

export const ServiceList: FC<{
  geo: Geography;
  f: ServiceFilters;
  raw: Record<string, string>;
  languages: string[];
  countyValue: string | undefined;
  total: number;
  items: ServiceRow[];
  pastEnd: number | null;
}> = ({ geo, f, raw, languages, countyValue, total, items, pastEnd }) => {
  const params = new URLSearchParams(Object.entries(raw).filter(([k]) => k !== 'page'));
  const pages = Math.max(1, Math.ceil(total / f.perPage));
  return (
    <>
      {f.type === 'training' ? (
        <p>Trainings for people who work with young people. These are not services for young people.</p>
      ) : (
        <p>
          Support for young people 24 and under who are being sexually exploited or trafficked, or might be.
          All are free to contact.
        </p>
      )}
      <Filters geo={geo} f={f} languages={languages} countyValue={countyValue} />
      <h2 id="results-h">
        {total === 0 ? 'No services match' : `${total} ${total === 1 ? 'service' : 'services'}`}
        {pages > 1 ? `, page ${f.page} of ${pages}` : ''}
      </h2>
      {pastEnd !== null && total > 0 ? (
        <p class="flag">
          {`There is no page ${pastEnd}. `}
          {pages === 1 ? 'Here are all the results.' : `Here is the last page, page ${pages}.`}
        </p>
      ) : null}
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
    </>
  );
};

export const ServiceDetail: FC<{ geo: Geography; s: ServiceRow }> = ({ geo, s }) => {
  const phones = phonesOf(s.hsds);
  const places = placesOf(s.hsds);
  const h = s.hsds;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);
  return (
    <>
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
        {s.verified
          ? `Checked ${monthYear(s.retrieved)}.`
          : 'We are still confirming these details with the service.'}
      </p>
      <p>
        <a href="/services">Back to all services</a>
      </p>
    </>
  );
};
