/**
 * What every public intake page shares: the hidden guard fields, the notices and the short pages for a
 * refused, too frequent, too large, repeated or unreadable send.
 */
import type { Child, FC } from 'hono/jsx';
import { waitInWords } from '../../../platform/rate-limit/index.ts';
import { Layout, type PageFrame } from '../../../web/public-layout.tsx';
import { FORM_TOKEN_FIELD, HONEYPOT_FIELD, type FormName, type FormTokenCheck } from '../anti-abuse.ts';
import type { CreatedIntake } from '../service.ts';

/** The fields a person never sees: the time token and the honeypot. */
export const Guards: FC<{ token: string }> = ({ token }) => (
  <>
    <input type="hidden" name={FORM_TOKEN_FIELD} value={token} />
    <div hidden>
      <label for={HONEYPOT_FIELD}>Leave this empty</label>
      <input
        id={HONEYPOT_FIELD}
        name={HONEYPOT_FIELD}
        type="text"
        value=""
        tabindex={-1}
        autocomplete="off"
      />
    </div>
  </>
);

export const Notice: FC<{ children?: Child }> = ({ children }) => (
  <div class="flag" role="alert">
    {children}
  </div>
);

export const TIMING_NOTICE: Record<Exclude<FormTokenCheck, 'ok' | 'invalid'>, string> = {
  too_fast:
    'This was sent very quickly, so we need to check a person is sending it. Wait a few seconds, check your answers, then press the button again.',
  expired:
    'This form was open for a long time, so it was not sent yet. Check your answers, then press the button again.',
};

/** Calm words on when a navigator picks an item up. */
export const WhenPickedUp = () => (
  <p>
    Navigators pick up new requests during working hours (Monday to Friday, except holidays). If nobody has
    picked it up within 4 working hours, it goes to more people so that it is not missed.
  </p>
);

function regionSentence(created: CreatedIntake): string {
  const where = created.countyName ? `${created.countyName} County` : 'that place';
  if (created.regionId && created.regionName && created.regionConfirmed)
    return `It goes to the navigators of the ${created.regionName} region.`;
  if (created.regionId && created.regionName)
    return `It goes to the navigators of the ${created.regionName} region, the likely region for ${where} (not yet confirmed), and state staff check that it reaches the right person.`;
  return 'We could not tell the region from the place given, so state staff pass it to the right navigator.';
}

/** What happens after a send: where it goes, when navigators pick it up, then what the page adds. */
export const SentNextSteps: FC<{ created: CreatedIntake; children?: Child }> = ({ created, children }) => (
  <>
    <h2>What happens next</h2>
    <ul>
      <li>{regionSentence(created)}</li>
      <li>
        Navigators pick up new requests during working hours (Monday to Friday, except holidays). If nobody
        has picked it up within 4 working hours, it goes to more people so that it is not missed.
      </li>
      {children}
    </ul>
  </>
);

// ---------------------------------------------------------------------------------------------------
// Short pages

export const RefusedPage: FC<{ frame: PageFrame; form: FormName }> = ({ frame, form }) => {
  const back = form === 'contact-me' ? '/help/contact-me' : '/identify/refer';
  return (
    <Layout frame={frame} title="We could not send this">
      <p>
        Something about this form did not look right to our system, so it was not sent, and nothing you typed
        was kept. This can happen when a page is saved and opened again later.
      </p>
      <p>
        <a href={back}>Open the form again</a>, or reach someone now by phone or text. You do not have to use
        this form.
      </p>
    </Layout>
  );
};

export const SlowDownPage: FC<{ frame: PageFrame; seconds: number }> = ({ frame, seconds }) => (
  <Layout frame={frame} title="Please wait a little">
    <p>
      Many requests came from this connection in a short time, so this one was not sent. Try again in{' '}
      {waitInWords(seconds)}.
    </p>
    <p>If you need someone now, you can call or text at any time.</p>
  </Layout>
);

export const TooLargePage: FC<{ frame: PageFrame }> = ({ frame }) => (
  <Layout frame={frame} title="This was too long to send">
    <p>
      What was sent was too long for this form, so it was not sent. Go back, shorten what you wrote, and try
      again.
    </p>
  </Layout>
);

export const AlreadySentPage: FC<{ frame: PageFrame }> = ({ frame }) => (
  <Layout frame={frame} title="This was already sent">
    <p>
      We already received this form, so it was not sent a second time. There is nothing more you need to do.
    </p>
    <p>
      A reference code is shown only once. If you did not note it, a navigator can still tell you about the
      referral when they call you back.
    </p>
  </Layout>
);

export const BadScreeningPage: FC<{ frame: PageFrame }> = ({ frame }) => (
  <Layout frame={frame} title="The screening answers could not be read">
    <p>
      The answers from the screening did not arrive in a form we can read, so nothing was sent and nothing was
      kept. This can happen when a page was changed or saved and opened again.
    </p>
    <p>
      You can <a href="/identify">start the screening again</a>, or{' '}
      <a href="/identify/refer">refer without the screening answers</a>.
    </p>
  </Layout>
);
