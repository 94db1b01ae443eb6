/**
 * The help finder's page parts: the lines to call, the place search, and a navigator answer.
 */
import type { Child, FC } from 'hono/jsx';
import { CallLink, Tel } from '../../web/public-layout.tsx';
import type { Lookup } from './lookup.ts';
import type { CountyInfo, Line, NavigatorAnswer, OrganizationInfo } from './rules.ts';

export const LinesList: FC<{ lines: Line[]; headingId?: string }> = ({ lines, headingId = 'lines' }) => (
  <section aria-labelledby={`${headingId}-h`} id={headingId}>
    <h2 id={`${headingId}-h`}>Lines you can call or text</h2>
    <ul class="plain">
      {lines.map((line) => (
        <li class="card">
          <h3>{line.name}</h3>
          <p>{line.description}</p>
          <p class="calls">
            <CallLink line={line} />
          </p>
          {line.url ? (
            <p>
              <a href={line.url} rel="noreferrer">
                {line.name} website
              </a>
            </p>
          ) : null}
          {line.hours ? <p class="hint">{line.hours}</p> : null}
        </li>
      ))}
    </ul>
  </section>
);

export const PlaceSearch: FC<{
  counties: CountyInfo[];
  value?: string | undefined;
  error?: string | undefined;
  /** A question about the place (not a mistake in what was typed). */
  notice?: string | undefined;
}> = ({ counties, value, error, notice }) => (
  <section aria-labelledby="find-h">
    <h2 id="find-h">Find your navigator</h2>
    <p>
      A navigator is a person in your part of Minnesota who helps young people 24 and under get safe and find
      support.
    </p>
    {notice ? (
      <p class="flag" role="status">
        {notice}
      </p>
    ) : null}
    <form method="get" action="/navigator" role="search">
      {error ? (
        <p class="error" id="q-error">
          {error}
        </p>
      ) : null}
      <label for="q">Your ZIP code, city or county</label>
      <p class="hint" id="q-hint">
        For example 55401, Duluth or Stearns. We do not keep what you type.
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
      <button type="submit">Find</button>
    </form>
    <form method="get" action="/navigator">
      <label for="county">Or choose your county</label>
      <select id="county" name="county" required>
        <option value="">Choose a county</option>
        {counties.map((c) => (
          <option value={c.fips}>{c.name}</option>
        ))}
      </select>{' '}
      <button type="submit">Show</button>
    </form>
    <p>
      <a href="/map">Find it on a map</a>
    </p>
  </section>
);

const OrgContacts: FC<{ org: OrganizationInfo }> = ({ org }) => (
  <>
    {org.phones.length ? (
      <p class="calls">
        {org.phones.map((p) => (
          <a class="btn call" href={`tel:${p.dial}`}>
            Call <Tel display={p.display} />
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
              {org.name} website
            </a>
          </li>
        ) : null}
      </ul>
    ) : null}
  </>
);

const reachable = (org: OrganizationInfo): boolean =>
  org.phones.length > 0 || org.email !== null || org.website !== null;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * When a fact was last checked, as the public reads it.
 *
 * @example
 * checkedOn('2026-11-21') // 'Checked November 2026'
 */
export function checkedOn(date: string): string | null {
  const m = /^(\d{4})-(\d{2})/.exec(date);
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
  return m && month ? `Checked ${month} ${m[1]}` : null;
}

export const StatewideCard: FC<{ line: Line }> = ({ line }) => (
  <div class="card">
    <h3>{line.name}</h3>
    <p>{line.description}</p>
    <p class="calls">
      <CallLink line={line} />
    </p>
  </div>
);

const At: FC<{ org: OrganizationInfo }> = ({ org }) => (
  <>
    <strong>{org.name}</strong>
    {org.city ? ` in ${org.city}` : ''}
  </>
);

/**
 * One county's answer. A confirmed navigator with a way to reach them comes first; otherwise the
 * statewide line comes first with one plain sentence saying why: the region is not known, it is not
 * confirmed, the navigator is not confirmed, or the navigator has no listed contact yet.
 */
export const NavigatorResult: FC<{ answer: NavigatorAnswer; heading: 'h2' | 'h3' }> = ({
  answer,
  heading,
}) => {
  const H = heading;
  const { region, navigator: org, statewide } = answer;
  const county = `${answer.county.name} County`;
  const regionSure = region !== null && region.verified && region.membership.verified;
  const checked = region ? checkedOn(region.membership.retrieved) : null;
  let why: Child;
  if (!region) why = <>We do not know yet which navigator serves {county}.</>;
  else if (!regionSure) why = <>We are still confirming the navigator for {county}.</>;
  else if (!org) why = <>The {region.name} region has no navigator listed yet.</>;
  else if (!org.verified) why = <>We are still confirming this navigator.</>;
  else
    why = (
      <>
        <At org={org} /> is the navigator for {county}, but we do not have their phone number or website yet.
      </>
    );
  return (
    <section class="card" aria-labelledby={`county-${answer.county.fips}`}>
      <H id={`county-${answer.county.fips}`}>{county}</H>
      {answer.confirmed && region && org ? (
        <>
          <p class="ok">
            {county} is in the <strong>{region.name}</strong> region. Your navigator is at <At org={org} />.
          </p>
          <OrgContacts org={org} />
          {checked ? <p class="hint">{checked}</p> : null}
          <p>You can also reach {statewide.name} any time:</p>
          <StatewideCard line={statewide} />
        </>
      ) : (
        <>
          <p class="flag">
            {why} {statewide.name} can connect you now.
          </p>
          <StatewideCard line={statewide} />
          {region && org && !(regionSure && org.verified) ? (
            <p>
              Likely navigator: <At org={org} />.
            </p>
          ) : null}
          {org && reachable(org) ? <OrgContacts org={org} /> : null}
          {regionSure && checked ? <p class="hint">{checked}</p> : null}
        </>
      )}
      <p>
        <a href={`/services?county=${answer.county.fips}`}>Services that serve {county}</a>
      </p>
    </section>
  );
};

/** A ZIP code or place in several counties: ask which, never guess. */
export const WhichCounty: FC<{
  lookup: Pick<Lookup, 'results'>;
  place: string;
  notes?: Record<string, string> | undefined;
}> = ({ lookup, place, notes }) => (
  <section aria-labelledby="which-h">
    <h2 id="which-h">Choose your county</h2>
    <p>{place} is in more than one county. Which one are you in?</p>
    <ul class="ways">
      {lookup.results.map((r) => (
        <li>
          <a href={`/navigator?county=${r.county.fips}`}>
            {r.county.name} County
            {notes?.[r.county.fips] ? <span class="sub">{notes[r.county.fips]}</span> : null}
          </a>
        </li>
      ))}
    </ul>
    <p>
      Not sure? <a href="/navigator">Search by your ZIP code</a>, or call{' '}
      {lookup.results[0]?.statewide.name ?? 'the statewide line'}:
    </p>
    {lookup.results[0] ? <StatewideCard line={lookup.results[0].statewide} /> : null}
  </section>
);

/** The ways into the site from the home page. */
export const WaysIn: FC = () => (
  <section aria-labelledby="ways-h">
    <h2 id="ways-h">Where do you want to start?</h2>
    <ul class="ways">
      <li>
        <a href="/learn/your-rights">Something is happening to me</a>
      </li>
      <li>
        <a href="/learn/help-a-friend">I'm worried about a friend</a>
      </li>
      <li>
        <a href="/learn/for-professionals">I work with young people</a>
      </li>
      <li>
        <a href="/help/contact-me">Ask a navigator to contact me, safely</a>
      </li>
      <li>
        <a href="/identify">I&rsquo;m worried about a young person: what do I do now?</a>
      </li>
    </ul>
  </section>
);

/** The page title for a found place: the county's navigator, or a question when it is in several. */
export const foundTitle = (lookup: Lookup, place: string): string =>
  lookup.ambiguous ? 'Which county?' : `Your navigator: ${lookup.results[0]?.county.name ?? place} County`;

/** A found place: its navigator (or the choice of county), and the other counties it reaches into. */
export const NavigatorFound: FC<{
  lookup: Lookup;
  place: string;
  alsoIn: CountyInfo[];
  notes?: Record<string, string> | undefined;
}> = ({ lookup, place, alsoIn, notes }) => (
  <>
    {lookup.ambiguous ? (
      <WhichCounty lookup={lookup} place={place} notes={notes} />
    ) : (
      lookup.results.map((r) => <NavigatorResult answer={r} heading="h2" />)
    )}
    {alsoIn.length ? (
      <p>
        Parts of {place} are also in{' '}
        {alsoIn.map((c, i) => (
          <>
            {i > 0 ? ', ' : ''}
            <a href={`/navigator?county=${c.fips}`}>{c.name} County</a>
          </>
        ))}
        .
      </p>
    ) : null}
    <p>
      <a href="/navigator">Search for another place</a>
    </p>
  </>
);
