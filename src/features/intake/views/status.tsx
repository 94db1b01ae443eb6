/**
 * /referral-status: the referrer types their reference code and learns only whether the referral was
 * received, whether a navigator has been in touch, or whether it is closed.
 */
import type { FC } from 'hono/jsx';
import type { MessageKey } from '../../../platform/i18n/index.ts';
import { FieldError } from '../../../web/forms.tsx';
import { Layout, type PageFrame } from '../../../web/public-layout.tsx';
import type { ReferenceStatus } from '../rules.ts';
import { ErrorSummary } from '../../../web/forms.tsx';

const STATUS_WORDS: Record<ReferenceStatus, { title: MessageKey; text: MessageKey }> = {
  received: { title: 'intake.status.received', text: 'intake.status.receivedText' },
  contacted: { title: 'intake.status.contacted', text: 'intake.status.contactedText' },
  closed: { title: 'intake.status.closed', text: 'intake.status.closedText' },
};

/** What the page says when no referral has the code typed. */
export const NOT_FOUND_CODE: MessageKey = 'intake.status.notFound';

export const StatusPage: FC<{ frame: PageFrame; status?: ReferenceStatus; error?: MessageKey }> = ({
  frame,
  status,
  error: errorKey,
}) => {
  const t = frame.t;
  const words = status ? STATUS_WORDS[status] : null;
  const error = errorKey ? t.text(errorKey) : undefined;
  return (
    <Layout
      frame={frame}
      title={
        words
          ? t.text('intake.status.titleWith', { status: t.text(words.title) })
          : t.text('intake.status.title')
      }
      description={t.text('intake.status.description')}
    >
      {words ? <p class="ok">{t(words.text)}</p> : null}
      <p>{t('intake.status.intro')}</p>
      {error ? <ErrorSummary errors={[{ field: 'code', message: error }]} /> : null}
      <form method="post" action={t.path('/referral-status')} autocomplete="off" novalidate>
        <label for="code">{t('intake.status.code')}</label>
        <p class="hint" id="code-hint">
          {t('intake.status.codeHint')}
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
        <button type="submit">{t('intake.status.check')}</button>
      </form>
    </Layout>
  );
};
