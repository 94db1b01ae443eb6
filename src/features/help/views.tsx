/**
 * The help finder's page parts: the lines to call, the place search, and a navigator answer.
 */
import type { FC } from 'hono/jsx';
import { CallLink } from '../../web/public-layout.tsx';
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
          <p>
            <CallLink line={line} />
            {line.url ? (
              <>
                {' · '}
                <a href={line.url} rel="noreferrer">
                  Website
                </a>
              </>
            ) : null}
          </p>
          {line.hours ? <p class="hint">{line.hours}</p> : null}
        </li>
      ))}
    </ul>
  </section>
);

export const PlaceSearch: FC<{ counties: CountyInfo[]; value?: string; error?: string }> = ({
  counties,
  value,
  error,
}) => (
  <section aria-labelledby="find-h">
    <h2 id="find-h">Find your navigator</h2>
    <p>
      A navigator is a person in your part of Minnesota who helps young people 24 and under get safe and find
      support.
    </p>
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

const OrgContacts: FC<{ org: OrganizationInfo }> = ({ org }) => {
  const any = org.phones.length > 0 || org.email || org.website;
  if (!any) return <p>Their phone number is not listed here yet. Day One can connect you to them.</p>;
  return (
    <ul class="plain">
      {org.phones.map((p) => (
        <li>
          <a href={`tel:${p.dial}`}>Call {p.display}</a>
          {p.description ? ` (${p.description})` : null}
        </li>
      ))}
      {org.email ? (
        <li>
          <a href={`mailto:${org.email}`}>{org.email}</a>
        </li>
      ) : null}
      {org.website ? (
        <li>
          <a href={org.website} rel="noreferrer">
            Website
          </a>
        </li>
      ) : null}
    </ul>
  );
};

export const StatewideCard: FC<{ line: Line }> = ({ line }) => (
  <div class="card">
    <h3>{line.name}</h3>
    <p>{line.description}</p>
    <p>
      <CallLink line={line} />
    </p>
  </div>
);

export const NavigatorResult: FC<{ answer: NavigatorAnswer; heading: 'h2' | 'h3' }> = ({
  answer,
  heading,
}) => {
  const H = heading;
  const region = answer.region;
  const org = answer.navigator;
  return (
    <section class="card" aria-labelledby={`county-${answer.county.fips}`}>
      <H id={`county-${answer.county.fips}`}>{answer.county.name} County</H>
      {answer.confirmed && region && org ? (
        <>
          <p class="ok">
            {answer.county.name} County is in the <strong>{region.name}</strong> region. Your navigator is at{' '}
            <strong>{org.name}</strong>
            {org.city ? ` in ${org.city}` : ''}.
          </p>
          <OrgContacts org={org} />
          <p>You can also reach {answer.statewide.name} any time:</p>
          <StatewideCard line={answer.statewide} />
        </>
      ) : (
        <>
          <p class="flag">
            <strong>Start with {answer.statewide.name}.</strong> We have not confirmed the navigator for{' '}
            {answer.county.name} County yet. {answer.statewide.name} answers any time and can connect you to
            the right person.
          </p>
          <StatewideCard line={answer.statewide} />
          {region ? (
            <p>
              Likely region: <strong>{region.name}</strong>
              {region.verified && region.membership.verified ? '' : ' (not confirmed)'}.
              {org ? (
                <>
                  {' '}
                  Likely navigator: <strong>{org.name}</strong>
                  {org.city ? ` in ${org.city}` : ''}
                  {org.verified ? '' : ' (not confirmed)'}.
                </>
              ) : null}
            </p>
          ) : (
            <p>We do not know the region for this county yet.</p>
          )}
          {org ? <OrgContacts org={org} /> : null}
        </>
      )}
      <p>
        <a href={`/services?county=${answer.county.fips}`}>Services that serve {answer.county.name} County</a>
      </p>
      <p class="src">
        Source:{' '}
        {region
          ? region.membership.verified
            ? region.membership.source
            : `${region.membership.source} (not yet confirmed)`
          : 'none yet'}
      </p>
    </section>
  );
};

/** A ZIP code or city in several counties: ask which one, never guess. */
export const WhichCounty: FC<{ lookup: Pick<Lookup, 'results'>; place: string }> = ({ lookup, place }) => (
  <section aria-labelledby="which-h">
    <h2 id="which-h">Which county are you in?</h2>
    <p>{place} is in more than one county. Choose yours:</p>
    <ul class="ways">
      {lookup.results.map((r) => (
        <li>
          <a href={`/navigator?county=${r.county.fips}`}>{r.county.name} County</a>
        </li>
      ))}
    </ul>
    <p>Not sure? {lookup.results[0]?.statewide.name ?? 'The statewide line'} can help you:</p>
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
export const NavigatorFound: FC<{ lookup: Lookup; place: string; alsoIn: CountyInfo[] }> = ({
  lookup,
  place,
  alsoIn,
}) => (
  <>
    {lookup.ambiguous ? (
      <WhichCounty lookup={lookup} place={place} />
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
