/**
 * The help finder's page parts: the lines to call, the place search, and a navigator answer.
 */
import type { Child, FC } from 'hono/jsx';
import { useT, type MessageKey, type Translator } from '../../platform/i18n/index.ts';
import { CallLink, Tel } from '../../web/public-layout.tsx';
import type { Lookup } from './lookup.ts';
import type { PlaceRecord } from './places.ts';
import type { CountyInfo, Line, NavigatorAnswer, OrganizationInfo } from './rules.ts';
import type { PlaceName, PublicMessage } from './service.ts';

/** A line's name, what it is for, and how to call or text it. */
const LineCall: FC<{ line: Line }> = ({ line }) => {
  const t = useT();
  return (
    <>
      <h3>{line.name}</h3>
      <p>{t.data(`data.line.${line.id}.description`, line.description)}</p>
      <p class="calls">
        <CallLink line={line} />
      </p>
    </>
  );
};

export const LinesList: FC<{ lines: Line[]; headingId?: string }> = ({ lines, headingId = 'lines' }) => {
  const t = useT();
  return (
    <section aria-labelledby={`${headingId}-h`} id={headingId}>
      <h2 id={`${headingId}-h`}>{t('help.lines.heading')}</h2>
      <ul class="plain">
        {lines.map((line) => (
          <li class="card">
            <LineCall line={line} />
            {line.url ? (
              <p>
                <a href={line.url} rel="noreferrer">
                  {t('help.website', { name: line.name })}
                </a>
              </p>
            ) : null}
            {line.hours ? <p class="hint">{t.data(`data.line.${line.id}.hours`, line.hours)}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
};

export const PlaceSearch: FC<{
  counties: CountyInfo[];
  value?: string | undefined;
  error?: PublicMessage | undefined;
  /** A question about the place (not a mistake in what was typed). */
  notice?: PublicMessage | undefined;
}> = ({ counties, value, error, notice }) => {
  const t = useT();
  return (
    <section aria-labelledby="find-h">
      <h2 id="find-h">{t('help.search.heading')}</h2>
      <p>{t('help.search.intro')}</p>
      {notice ? (
        <p class="flag" role="status">
          {t(notice.key, notice.values)}
        </p>
      ) : null}
      <form method="get" action={t.path('/navigator')} role="search">
        {error ? (
          <p class="error" id="q-error">
            {t(error.key, error.values)}
          </p>
        ) : null}
        <label for="q">{t('help.search.label')}</label>
        <p class="hint" id="q-hint">
          {t('help.search.hint')}
        </p>
        <input
          id="q"
          name="q"
          type="search"
          autocomplete="off"
          value={value ?? ''}
          aria-describedby={error ? 'q-hint q-error' : 'q-hint'}
          aria-invalid={error ? 'true' : undefined}
          required
        />{' '}
        <button type="submit">{t('help.search.find')}</button>
      </form>
      <form method="get" action={t.path('/navigator')}>
        <label for="county">{t('help.search.countyLabel')}</label>
        <select id="county" name="county" required>
          <option value="">{t('help.search.chooseCounty')}</option>
          {counties.map((c) => (
            <option value={c.fips}>{c.name}</option>
          ))}
        </select>{' '}
        <button type="submit">{t('help.search.show')}</button>
      </form>
      <p>
        <a href={t.path('/map')}>{t('help.search.map')}</a>
      </p>
    </section>
  );
};

const OrgContacts: FC<{ org: OrganizationInfo }> = ({ org }) => {
  const t = useT();
  return (
    <>
      {org.phones.length ? (
        <p class="calls">
          {org.phones.map((p) => (
            <a class="btn call" href={`tel:${p.dial}`}>
              {t('layout.call')} <Tel display={p.display} />
              {p.description ? ` (${p.description})` : null}
            </a>
          ))}
        </p>
      ) : null}
      {org.email || org.website ? (
        <ul class="plain">
          {org.email ? (
            <li>
              <a href={`mailto:${org.email}`}>{org.email}</a>
            </li>
          ) : null}
          {org.website ? (
            <li>
              <a href={org.website} rel="noreferrer">
                {t('help.website', { name: org.name })}
              </a>
            </li>
          ) : null}
        </ul>
      ) : null}
    </>
  );
};

const reachable = (org: OrganizationInfo): boolean =>
  org.phones.length > 0 || org.email !== null || org.website !== null;

/**
 * When a fact was last checked, as the public reads it (the month and year only).
 *
 * @example
 * checkedOn(translator('en'), '2026-11-21') // 'Checked November 2026'
 */
export function checkedOn(t: Translator, date: string): string | null {
  return /^\d{4}-(0[1-9]|1[0-2])-\d{2}/.test(date)
    ? t.text('help.checked', { date: t.monthYear(date) })
    : null;
}

export const StatewideCard: FC<{ line: Line }> = ({ line }) => (
  <div class="card">
    <LineCall line={line} />
  </div>
);

/** "<b>The Link</b> in Minneapolis": an organization and its city, for a message's `<at></at>` tag. */
const at = (t: Translator, org: OrganizationInfo) => (): Child =>
  org.city
    ? t('help.result.atCity', { name: org.name, city: org.city, b: (chunks) => <strong>{chunks}</strong> })
    : t('help.result.at', { name: org.name, b: (chunks) => <strong>{chunks}</strong> });

/** A county's name as the page says it: "Hennepin County", "Condado de Hennepin". */
export const countyName = (t: Translator, name: string): string => t.text('help.county', { name });

/**
 * One county's answer. A confirmed navigator with a way to reach them comes first; otherwise the
 * statewide line comes first with one plain sentence saying why: the region is not known, it is not
 * confirmed, the navigator is not confirmed, or the navigator has no listed contact yet.
 */
export const NavigatorResult: FC<{ answer: NavigatorAnswer; heading: 'h2' | 'h3' }> = ({
  answer,
  heading,
}) => {
  const t = useT();
  const H = heading;
  const { region, navigator: org, statewide } = answer;
  const county = countyName(t, answer.county.name);
  const regionSure = region !== null && region.verified && region.membership.verified;
  const checked = region ? checkedOn(t, region.membership.retrieved) : null;
  let why: Child;
  if (!region) why = t('help.result.whyUnknown', { county });
  else if (!regionSure) why = t('help.result.whyRegionUnconfirmed', { county });
  else if (!org) why = t('help.result.whyNoNavigator', { region: region.name });
  else if (!org.verified) why = t('help.result.whyNavigatorUnconfirmed');
  else why = t('help.result.whyNoContact', { county, at: at(t, org) });
  return (
    <section class="card" aria-labelledby={`county-${answer.county.fips}`}>
      <H id={`county-${answer.county.fips}`}>{county}</H>
      {answer.confirmed && region && org ? (
        <>
          <p class="ok">
            {t('help.result.confirmed', {
              county,
              region: region.name,
              b: (chunks) => <strong>{chunks}</strong>,
              at: at(t, org),
            })}
          </p>
          <OrgContacts org={org} />
          {checked ? <p class="hint">{checked}</p> : null}
          <p>{t('help.result.alsoReach', { line: statewide.name })}</p>
          <StatewideCard line={statewide} />
        </>
      ) : (
        <>
          <p class="flag">
            {why} {t('help.result.connectNow', { line: statewide.name })}
          </p>
          <StatewideCard line={statewide} />
          {region && org && !(regionSure && org.verified) ? (
            <p>{t('help.result.likely', { at: at(t, org) })}</p>
          ) : null}
          {org && reachable(org) ? <OrgContacts org={org} /> : null}
          {regionSure && checked ? <p class="hint">{checked}</p> : null}
        </>
      )}
      <p>
        <a href={t.path(`/services?county=${answer.county.fips}`)}>{t('help.result.services', { county })}</a>
      </p>
    </section>
  );
};

/** A place's name as the page says it: "ZIP code 55401", "Albany Township", "Duluth". */
export const placeText = (t: Translator, place: PlaceName): string =>
  'zip' in place ? t.text('help.place.zip', { zip: place.zip }) : place.name;

const PLACE_KINDS: Record<PlaceRecord['kind'], MessageKey> = {
  city: 'help.place.city',
  township: 'help.place.township',
  unorganized: 'help.place.unorganized',
};

/** A ZIP code or place in several counties: ask which, never guess. */
export const WhichCounty: FC<{
  lookup: Pick<Lookup, 'results'>;
  place: PlaceName;
  notes?: Record<string, Pick<PlaceRecord, 'name' | 'kind'>> | undefined;
}> = ({ lookup, place, notes }) => {
  const t = useT();
  const statewide = lookup.results[0]?.statewide;
  return (
    <section aria-labelledby="which-h">
      <h2 id="which-h">{t('help.which.heading')}</h2>
      <p>{t('help.which.intro', { place: placeText(t, place) })}</p>
      <ul class="ways">
        {lookup.results.map((r) => {
          const note = notes?.[r.county.fips];
          return (
            <li>
              <a href={t.path(`/navigator?county=${r.county.fips}`)}>
                {countyName(t, r.county.name)}
                {note ? <span class="sub">{t(PLACE_KINDS[note.kind], { name: note.name })}</span> : null}
              </a>
            </li>
          );
        })}
      </ul>
      <p>
        {t('help.which.notSure', {
          line: statewide ? statewide.name : t.text('help.which.statewideLine'),
          link: (chunks) => <a href={t.path('/navigator')}>{chunks}</a>,
        })}
      </p>
      {statewide ? <StatewideCard line={statewide} /> : null}
    </section>
  );
};

/** The ways into the site from the home page. */
export const WaysIn: FC = () => {
  const t = useT();
  const ways: [string, MessageKey][] = [
    ['/learn/your-rights', 'help.ways.me'],
    ['/learn/help-a-friend', 'help.ways.friend'],
    ['/learn/for-professionals', 'help.ways.work'],
    ['/help/contact-me', 'help.ways.contactMe'],
    ['/identify', 'help.ways.worried'],
  ];
  return (
    <section aria-labelledby="ways-h">
      <h2 id="ways-h">{t('help.ways.heading')}</h2>
      <ul class="ways">
        {ways.map(([href, key]) => (
          <li>
            <a href={t.path(href)}>{t(key)}</a>
          </li>
        ))}
      </ul>
    </section>
  );
};

/** The page title for a found place: the county's navigator, or a question when it is in several. */
export const foundTitle = (t: Translator, lookup: Lookup, place: PlaceName): string => {
  const first = lookup.results[0];
  return lookup.ambiguous
    ? t.text('help.found.whichTitle')
    : t.text('help.found.title', { county: first ? countyName(t, first.county.name) : placeText(t, place) });
};

/** A found place: its navigator (or the choice of county), and the other counties it reaches into. */
export const NavigatorFound: FC<{
  lookup: Lookup;
  place: PlaceName;
  alsoIn: CountyInfo[];
  notes?: Record<string, Pick<PlaceRecord, 'name' | 'kind'>> | undefined;
}> = ({ lookup, place, alsoIn, notes }) => {
  const t = useT();
  return (
    <>
      {lookup.ambiguous ? (
        <WhichCounty lookup={lookup} place={place} notes={notes} />
      ) : (
        lookup.results.map((r) => <NavigatorResult answer={r} heading="h2" />)
      )}
      {alsoIn.length ? (
        <p>
          {t('help.found.alsoIn', {
            place: placeText(t, place),
            counties: () =>
              alsoIn.map((c, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={t.path(`/navigator?county=${c.fips}`)}>{countyName(t, c.name)}</a>
                </>
              )),
          })}
        </p>
      ) : null}
      <p>
        <a href={t.path('/help/contact-me')}>{t('help.ways.contactMe')}</a>
      </p>
      <p>
        <a href={t.path('/navigator')}>{t('help.found.again')}</a>
      </p>
    </>
  );
};

/** The home page's first words: it is not your fault, and help is free. */
export const HomeIntro: FC = () => {
  const t = useT();
  return <p>{t('help.home.intro')}</p>;
};
