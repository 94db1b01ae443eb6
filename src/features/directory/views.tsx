/**
 * The directory's pages: the filters, the list of services and one service.
 *
 * Every label is a message of the catalogue (`directory.*`); a service's description, who it is for
 * and its phones' descriptions come from the pack's data through `data.service.*` entries, shown
 * translated only while their English matches the data. Service, organization, county and region
 * names are proper names and stay as they are.
 */
import type { Child, FC } from 'hono/jsx';
import type { Geography } from '../help/index.ts';
import { useT, type MessageKey, type Translator } from '../../platform/i18n/index.ts';
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

/** The name of a language code in the page's language: the catalogue's, else Intl's, else English. */
function languageLabel(t: Translator, code: string): string {
  if (LANGUAGE_NAMES[code]) return t.text(`directory.language.${code}` as MessageKey);
  if (t.locale !== 'en' && t.locale !== 'hmn') {
    try {
      const name = new Intl.DisplayNames([t.locale], { type: 'language', fallback: 'none' }).of(code);
      if (name) return name;
    } catch {
      // An unknown code: the English name below.
    }
  }
  return languageName(code);
}

const TYPE_KEYS: Record<ProgramType, MessageKey> = {
  navigator: 'directory.type.navigator',
  supportive_services: 'directory.type.supportive_services',
  shelter_housing: 'directory.type.shelter_housing',
  labor_trafficking: 'directory.type.labor_trafficking',
  tribal_partner: 'directory.type.tribal_partner',
  training: 'directory.type.training',
};

const GENDER_KEYS: Record<Exclude<GenderServed, 'any'>, MessageKey> = {
  female: 'directory.gender.female',
  male: 'directory.gender.male',
  transgender_nonbinary: 'directory.gender.transgender_nonbinary',
};

const typeLabel = (t: Translator, type: string): string =>
  type in TYPE_KEYS ? t.text(TYPE_KEYS[type as ProgramType]) : type;

const genderLabel = (t: Translator, gender: string): string =>
  gender in GENDER_KEYS ? t.text(GENDER_KEYS[gender as Exclude<GenderServed, 'any'>]) : gender;

/** The label of each filter, as the problem message names it. */
const FIELD_LABELS: Record<string, MessageKey> = {
  type: 'directory.filter.type',
  county: 'directory.filter.county',
  region: 'directory.filter.region',
  age: 'directory.filter.age',
  gender: 'directory.filter.gender',
  language: 'directory.filter.language',
  culturallySpecific: 'directory.culturallySpecific',
  lgbtqAffirming: 'directory.lgbtqAffirming',
};

/** What to fix in a filter the page could not read. */
const FIELD_PROBLEMS: Record<string, MessageKey> = {
  type: 'directory.problem.type',
  county: 'directory.problem.county',
  region: 'directory.problem.region',
  age: 'directory.problem.age',
  gender: 'directory.problem.gender',
  language: 'directory.problem.language',
  page: 'directory.problem.page',
  perPage: 'directory.problem.page',
};

function ages(t: Translator, s: Pick<ServiceRow, 'minimumAge' | 'maximumAge'>): string | null {
  if (s.minimumAge !== null && s.maximumAge !== null)
    return t.text('directory.ages.range', { min: s.minimumAge, max: s.maximumAge });
  if (s.maximumAge !== null) return t.text('directory.ages.andUnder', { max: s.maximumAge });
  if (s.minimumAge !== null) return t.text('directory.ages.andOver', { min: s.minimumAge });
  return null;
}

/**
 * The counties a service serves. `short` (the list's cards) names up to four, or three and counts the
 * rest; the service's own page names up to six, or five and counts the rest.
 */
function areaServed(
  t: Translator,
  geo: Geography,
  s: Pick<ServiceRow, 'statewide' | 'countyFips'>,
  short = false,
): string {
  if (s.statewide) return t.text('directory.area.statewide');
  const names = s.countyFips.map((f) => geo.counties.get(f)?.name).filter((n): n is string => Boolean(n));
  if (names.length === 0) return t.text('directory.area.notListed');
  const [most, shown] = short ? [4, 3] : [6, 5];
  if (names.length > most)
    return t.text('directory.area.more', {
      names: names.slice(0, shown).join(', '),
      count: names.length - shown,
    });
  return t.text('directory.area.counties', { names: names.join(', '), count: names.length });
}

const Tags: FC<{ s: ServiceRow }> = ({ s }) => {
  const t = useT();
  const age = ages(t, s);
  // In English a type the service's name already says ("… regional navigator") is not said twice.
  const types = s.programTypes
    .map((type) => typeLabel(t, type))
    .filter((label) => t.locale !== 'en' || !s.name.toLowerCase().includes(label.toLowerCase()));
  return (
    <ul class="tags">
      {types.map((label) => (
        <li>{label}</li>
      ))}
      {age ? <li>{age}</li> : null}
      {s.genders
        .filter((g) => g !== 'any')
        .map((g) => (
          <li>{genderLabel(t, g)}</li>
        ))}
      {s.culturallySpecific ? (
        <li>
          {t('directory.culturallySpecific')}
          {s.culturallySpecificFor ? (
            <>
              :{' '}
              {t.locale === 'en' ? s.culturallySpecificFor : <span lang="en">{s.culturallySpecificFor}</span>}
            </>
          ) : null}
        </li>
      ) : null}
      {s.lgbtqAffirming ? <li>{t('directory.lgbtqAffirming')}</li> : null}
    </ul>
  );
};

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
}> = ({ geo, f, languages, countyValue }) => {
  const t = useT();
  return (
    <form method="get" action={t.path('/services')} aria-labelledby="filters-h">
      <h2 id="filters-h">{t('directory.filter.heading')}</h2>
      <div class="filters">
        <Select
          id="type"
          label={t.text('directory.filter.type')}
          value={f.type}
          any={t.text('directory.filter.anyType')}
          options={Object.keys(PROGRAM_TYPES).map((k) => [k, typeLabel(t, k)])}
        />
        <Select
          id="county"
          label={t.text('directory.filter.county')}
          value={countyValue}
          any={t.text('directory.filter.anyCounty')}
          options={[...geo.counties.values()]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((c) => [c.fips, c.name])}
        />
        <Select
          id="region"
          label={t.text('directory.filter.region')}
          value={f.region}
          any={t.text('directory.filter.anyRegion')}
          options={[...geo.regions.values()]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((r) => [
              r.id,
              r.verified ? r.name : t.text('directory.filter.regionNotConfirmed', { name: r.name }),
            ])}
        />
        <div>
          <label for="age">{t('directory.filter.age')}</label>
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
          label={t.text('directory.filter.gender')}
          value={f.gender}
          any={t.text('directory.filter.anyGender')}
          options={Object.keys(GENDERS_SERVED)
            .filter((k) => k !== 'any')
            .map((k) => [k, genderLabel(t, k)])}
        />
        {languages.length ? (
          <Select
            id="language"
            label={t.text('directory.filter.language')}
            value={f.language}
            any={t.text('directory.filter.anyLanguage')}
            options={languages.map((l) => [l, languageLabel(t, l)])}
          />
        ) : null}
        <fieldset>
          <legend>{t('directory.filter.onlyShow')}</legend>
          <label>
            <input
              type="checkbox"
              name="culturallySpecific"
              value="true"
              checked={f.culturallySpecific === true}
            />{' '}
            {t('directory.culturallySpecific')}
          </label>
          <label>
            <input type="checkbox" name="lgbtqAffirming" value="true" checked={f.lgbtqAffirming === true} />{' '}
            {t('directory.lgbtqAffirming')}
          </label>
        </fieldset>
      </div>
      <button type="submit">{t('directory.filter.show')}</button>{' '}
      <a href={t.path('/services')}>{t('directory.filter.clear')}</a>
    </form>
  );
};

function pageLink(t: Translator, params: URLSearchParams, page: number): string {
  const next = new URLSearchParams(params);
  next.set('page', String(page));
  return `${t.path('/services')}?${next.toString()}`;
}

/** The filters were wrong: what to fix, and the filters again. */
export const FilterProblemView: FC<{ geo: Geography; problem: FilterProblem; languages: string[] }> = ({
  geo,
  problem: outcome,
  languages,
}) => {
  const t = useT();
  const label = FIELD_LABELS[outcome.field];
  const problem = FIELD_PROBLEMS[outcome.field];
  return (
    <>
      <div class="error" role="alert">
        <h2>{t('directory.problem.heading')}</h2>
        <p>
          <a href={`#${outcome.field}`}>{label ? t(label) : outcome.field}</a>:{' '}
          {problem ? t(problem) : t('directory.problem.other')}
        </p>
      </div>
      <Filters geo={geo} f={{}} languages={languages} countyValue={undefined} />
    </>
  );
};

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
  const t = useT();
  const params = new URLSearchParams(Object.entries(raw).filter(([k]) => k !== 'page'));
  const pages = Math.max(1, Math.ceil(total / f.perPage));
  const lines = (chunks: Child[]) => <a href={t.path('/#lines')}>{chunks}</a>;
  return (
    <>
      {f.type === 'training' ? (
        <p>{t('directory.intro.training')}</p>
      ) : (
        <>
          <p>{t('directory.intro.youth')}</p>
          <p>{t('directory.intro.start', { name: geo.statewideLine.name, lines })}</p>
        </>
      )}
      <Filters geo={geo} f={f} languages={languages} countyValue={countyValue} />
      <h2 id="results-h">
        {total === 0 ? t('directory.results.none') : t('directory.results.count', { count: total })}
        {pages > 1 ? t('directory.results.page', { page: f.page, pages }) : ''}
      </h2>
      {pastEnd !== null && total > 0 ? (
        <p class="flag">
          {t('directory.pastEnd', { page: pastEnd })}{' '}
          {pages === 1 ? t('directory.pastEnd.all') : t('directory.pastEnd.last', { pages })}
        </p>
      ) : null}
      {total === 0 ? <p>{t('directory.results.tryFewer', { name: geo.statewideLine.name, lines })}</p> : null}
      <ul class="plain" aria-labelledby="results-h">
        {items.map((s) => (
          <li class="card">
            <h3>
              <a href={t.path(`/services/${s.id}`)}>{s.name}</a>
            </h3>
            {s.organizationName && !s.name.includes(s.organizationName) ? <p>{s.organizationName}</p> : null}
            <Tags s={s} />
            <p class="hint">{areaServed(t, geo, s, true)}</p>
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <nav class="pager" aria-label={t.text('directory.pager.label')}>
          {f.page > 1 ? <a href={pageLink(t, params, f.page - 1)}>{t('directory.pager.previous')}</a> : null}
          {f.page < pages ? <a href={pageLink(t, params, f.page + 1)}>{t('directory.pager.next')}</a> : null}
        </nav>
      ) : null}
    </>
  );
};

/** The catalogue key of one phone description (`data.service.phone.24-hour-crisis-line`). */
const phoneKey = (description: string): string =>
  `data.service.phone.${description
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;

export const ServiceDetail: FC<{ geo: Geography; s: ServiceRow }> = ({ geo, s }) => {
  const t = useT();
  const phones = phonesOf(s.hsds);
  const places = placesOf(s.hsds);
  const h = s.hsds;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);
  const description = text(h.description);
  const eligibility = text(h.eligibility_description);
  const lines = (chunks: Child[]) => <a href={t.path('/#lines')}>{chunks}</a>;
  return (
    <>
      {s.organizationName ? <p>{t('directory.service.runBy', { name: s.organizationName })}</p> : null}
      <Tags s={s} />
      {description ? <p>{t.data(`data.service.${s.id}.description`, description)}</p> : null}
      <h2>{t('directory.service.reach')}</h2>
      {phones.length ? (
        <ul class="plain">
          {phones.map((p) => (
            <li>
              <a href={`tel:${p.number.replace(/[^\d+]/g, '')}`}>
                {t('directory.service.call', { number: p.number })}
              </a>
              {p.description ? <> ({t.data(phoneKey(p.description), p.description)})</> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p class="flag">{t('directory.service.noContact', { name: geo.statewideLine.name, lines })}</p>
      )}
      {text(h.url) ? (
        <p>
          <a href={text(h.url) ?? ''} rel="noreferrer">
            {t('directory.service.website')}
          </a>
        </p>
      ) : null}
      <h2>{t('directory.service.whoFor')}</h2>
      {eligibility ? (
        <p>{t.data(`data.service.${s.id}.eligibility`, eligibility)}</p>
      ) : (
        <p>{t('directory.service.whoForDefault')}</p>
      )}
      {s.languages.length ? (
        <p>
          {t('directory.service.languages', { list: s.languages.map((l) => languageLabel(t, l)).join(', ') })}
        </p>
      ) : null}
      <h2>{t('directory.service.where')}</h2>
      <p>{t('directory.service.serves', { area: areaServed(t, geo, s) })}</p>
      {s.confidentialLocation ? <p>{t('directory.service.confidential')}</p> : places.map((p) => <p>{p}</p>)}
      <p class="src">
        {s.verified
          ? t('directory.service.checked', { date: t.monthYear(s.retrieved) })
          : t('directory.service.unconfirmed')}
      </p>
      <p>
        <a href={t.path('/services')}>{t('directory.service.back')}</a>
      </p>
    </>
  );
};
