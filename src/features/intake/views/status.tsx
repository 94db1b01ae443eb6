/**
 * /referral-status: the referrer types their reference code and learns only whether the referral was
 * received, whether a navigator has been in touch, or whether it is closed.
 */
import type { FC } from 'hono/jsx';
import { ErrorSummary, FieldError } from '../../../web/forms.tsx';
import { Layout, type PageFrame } from '../../../web/public-layout.tsx';
import type { ReferenceStatus } from '../rules.ts';

const STATUS_WORDS: Record<ReferenceStatus, { title: string; text: string }> = {
  received: {
    title: 'Received',
    text: 'The referral has been received. A navigator has it, or will pick it up soon.',
  },
  contacted: {
    title: 'Contacted',
    text: 'A navigator has been in touch about this referral.',
  },
  closed: {
    title: 'Closed',
    text: 'The navigator has finished their work on this referral.',
  },
};

export const StatusPage: FC<{ frame: PageFrame; status?: ReferenceStatus; error?: string }> = ({
  frame,
  status,
  error,
}) => {
  const words = status ? STATUS_WORDS[status] : null;
  return (
    <Layout
      frame={frame}
      title={words ? `Status: ${words.title}` : 'Check a referral'}
      description="Check whether a navigator has been in touch about a referral, with its reference code."
    >
      {words ? <p class="ok">{words.text}</p> : null}
      <p>
        Type the reference code you got when you sent the referral. The page shows only whether it was
        received, whether a navigator has been in touch, or whether it is closed.
      </p>
      {error ? <ErrorSummary errors={[{ field: 'code', message: error }]} /> : null}
      <form method="post" action="/referral-status" autocomplete="off" novalidate>
        <label for="code">Reference code</label>
        <p class="hint" id="code-hint">
          12 letters and numbers, for example K7QM-4R2D-9XHT.
        </p>
        <FieldError id="code" message={error} />
        <input
          id="code"
          name="code"
          type="text"
          maxlength={64}
          size={16}
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          aria-describedby={error ? 'code-hint code-error' : 'code-hint'}
          aria-invalid={error ? 'true' : undefined}
          required
        />{' '}
        <button type="submit">Check</button>
      </form>
    </Layout>
  );
};
