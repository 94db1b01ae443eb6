/**
 * The public check of a training certificate (`/certificates`, `/certificates/:code`), in the page's
 * language: initials, course and date only. The course's title is the catalogue's (English) data.
 */
import type { FC } from 'hono/jsx';
import { Layout, type PageFrame } from '../../../web/public-layout.tsx';

export interface VerifiedCertificate {
  code: string;
  initials: string;
  courseCode: string;
  courseTitle: string;
  completedOn: string;
}

/** The form, and the answer for a code when one was typed. */
export const CertificateCheckPage: FC<{
  frame: PageFrame;
  code: string;
  found: VerifiedCertificate | null;
}> = ({ frame, code, found }) => {
  const t = frame.t;
  return (
    <Layout
      frame={frame}
      title={t.text('certificates.title')}
      description={t.text('certificates.description')}
    >
      {code ? (
        found ? (
          <section aria-labelledby="found">
            <h2 id="found">{t('certificates.found')}</h2>
            <dl>
              <dt>{t('certificates.initials')}</dt>
              <dd>{found.initials}</dd>
              <dt>{t('certificates.course')}</dt>
              <dd>
                {found.courseCode}: <span lang="en">{found.courseTitle}</span>
              </dd>
              <dt>{t('certificates.completedOn')}</dt>
              <dd>{t.date(new Date(`${found.completedOn}T12:00:00Z`))}</dd>
              <dt>{t('certificates.code')}</dt>
              <dd>{found.code}</dd>
            </dl>
          </section>
        ) : (
          <p role="status">{t('certificates.notFound', { b: (chunks) => <strong>{chunks}</strong> })}</p>
        )
      ) : null}
      <form method="get" action={t.path('/certificates')}>
        <label for="code">{t('certificates.code')}</label>{' '}
        <input id="code" name="code" value={code} maxlength={20} autocomplete="off" />{' '}
        <button type="submit">{t('certificates.check')}</button>
      </form>
      <p>{t('certificates.shows')}</p>
    </Layout>
  );
};
