/**
 * The learn pages' views: the list of pages, one page, and the privacy notice.
 */
import type { FC } from 'hono/jsx';
import type { LearnPage } from './content.tsx';

const AUDIENCE: Record<LearnPage['audience'], string> = {
  youth: 'For young people',
  friend: 'For friends and family',
  professional: 'For people who work with young people',
  everyone: 'For everyone',
};

export const LearnIndex: FC<{ pages: LearnPage[] }> = ({ pages }) => (
  <ul class="plain">
    {pages.map((p) => (
      <li class="card">
        <h2>
          <a href={`/learn/${p.slug}`}>{p.title}</a>
        </h2>
        <p>{p.summary}</p>
        <p class="hint">{AUDIENCE[p.audience]}</p>
      </li>
    ))}
  </ul>
);

export const LearnArticle: FC<{ page: LearnPage }> = ({ page }) => {
  const Body = page.Body;
  return (
    <>
      <Body />
      <p>
        <a href="/learn">More to read</a> · <a href="/navigator">Find your navigator</a>
      </p>
    </>
  );
};

/**
 * Body of the public `/privacy` page: exactly what the public site does and does not record.
 *
 * These statements describe the product's design (no cookies, no third-party requests,
 * `Referrer-Policy: no-referrer`, searches not stored with identifying data, application logs without
 * IP addresses or search words). If that design changes, this text must change with it.
 * Do not add a retention period here unless one is decided and enforced.
 */
export const PrivacyBody: FC = () => (
  <>
    <p>
      This page says what this website records about you, and what it does not. It covers the public pages
      anyone can use without signing in, including the forms that ask a navigator to get in touch.
    </p>
    <h2>What we do not do</h2>
    <ul>
      <li>The public pages set no cookies.</li>
      <li>There are no analytics, trackers or ads, and no fonts or scripts from any other company.</li>
      <li>The pages make no requests to any other website. Everything comes from this site.</li>
      <li>
        Your browser is told not to send this site&rsquo;s address to the next site you go to (this is called
        &ldquo;Referrer-Policy: no-referrer&rdquo;).
      </li>
    </ul>
    <h2>Searches</h2>
    <p>
      When you search for a county, ZIP code or city, the site uses it to answer you. It is not stored with
      anything that identifies you.
    </p>
    <h2>The guided questions</h2>
    <p>
      The questions at <a href="/identify">What to do now</a> store nothing: your answers travel with the page
      and are forgotten when you close it. They never ask for a name.
    </p>
    <h2>When you ask a navigator to contact you, or send a referral</h2>
    <p>
      If you fill in <a href="/help/contact-me">Ask a navigator to contact me</a>, or a professional sends a
      referral, what is typed is kept so that a navigator can reach the young person. It is stored encrypted.
      Only the regional navigators of the county given (or, when no county is given, the state&rsquo;s Safe
      Harbor administrators) can open it, and every time someone opens it is recorded.
    </p>
    <ul>
      <li>It is never put in an email. Staff are told only that a request is waiting.</li>
      <li>
        To stop people from flooding the forms, the site keeps a scrambled (hashed) form of your network
        address for a short time. It cannot be turned back into the address.
      </li>
      <li>
        A person who sends a referral gets a reference code. With it, the status page shows only whether the
        request was received, whether contact was made, and whether it is closed.
      </li>
    </ul>
    <h2>Technical logs</h2>
    <p>
      To keep the service working, the server keeps short technical logs: the time, the page address without
      your search words, whether it worked, and how long it took. The application logs do not record IP
      addresses.
    </p>
    <p>
      Logs are kept only as long as the people running the service need them to fix problems. They are never
      sold, and never shared for advertising.
    </p>
    <h2>What your device and network may keep</h2>
    <ul>
      <li>
        Your browser may still keep a history of the pages you visit. A private or incognito window helps. You
        can also delete history in your browser settings, under &ldquo;History&rdquo; or
        &ldquo;Privacy&rdquo;.
      </li>
      <li>
        Press the <strong>Quick exit</strong> button, or the Esc key, to leave this site fast.
      </li>
      <li>
        Someone who controls your network, like a school or workplace, may see that you visited this site.
      </li>
    </ul>
    <h2>If someone checks your phone</h2>
    <p>
      Calls and texts to a help line can show in your call list, your messages, and sometimes on a phone bill.
      If it is safer, use a phone that the person who hurts you cannot check.{' '}
      <a href="/learn/staying-safe-online">More ways to stay safe online</a>.
    </p>
    <h2>Staff accounts</h2>
    <p>
      Staff at service agencies sign in to a separate area. A separate privacy notice, shown on the sign-in
      pages, covers staff accounts. Nothing on the public pages needs an account.
    </p>
    <h2>Questions</h2>
    <p>
      If you want to talk about staying safe while you get help, call Day One at{' '}
      <a href="tel:+18662231111">1-866-223-1111</a> or text <a href="sms:+16123999995">612-399-9995</a>. They
      can tell you about help in your community.
    </p>
  </>
);
