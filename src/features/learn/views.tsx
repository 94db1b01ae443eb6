/**
 * The learn pages' views: the list of pages, one page, and the privacy notice.
 */
import type { FC } from 'hono/jsx';
import { useT, type MessageKey } from '../../platform/i18n/index.ts';
import { Blocks, type Block, type LearnPage } from './content.tsx';

const AUDIENCE: Record<LearnPage['audience'], MessageKey> = {
  youth: 'learn.audience.youth',
  friend: 'learn.audience.friend',
  professional: 'learn.audience.professional',
  everyone: 'learn.audience.everyone',
};

export const LearnIndex: FC<{ pages: LearnPage[] }> = ({ pages }) => {
  const t = useT();
  return (
    <ul class="plain">
      {pages.map((p) => (
        <li class="card">
          <h2>
            <a href={t.path(`/learn/${p.slug}`)}>{t(p.title)}</a>
          </h2>
          <p>{t(p.summary)}</p>
          <p class="hint">{t(AUDIENCE[p.audience])}</p>
        </li>
      ))}
    </ul>
  );
};

export const LearnArticle: FC<{ page: LearnPage }> = ({ page }) => {
  const t = useT();
  const Body = page.Body;
  return (
    <>
      <Body />
      <p>
        <a href={t.path('/learn')}>{t('learn.moreToRead')}</a> ·{' '}
        <a href={t.path('/navigator')}>{t('learn.findNavigator')}</a>
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
const PRIVACY: Block[] = [
  { p: 'privacy.intro' },
  { h: 'privacy.h.notDo' },
  {
    ul: [
      'privacy.notDo.cookies',
      'privacy.notDo.trackers',
      'privacy.notDo.requests',
      'privacy.notDo.referrer',
    ],
  },
  { h: 'privacy.h.searches' },
  { p: 'privacy.searches' },
  { h: 'privacy.h.questions' },
  { p: 'privacy.questions' },
  { h: 'privacy.h.contact' },
  { p: 'privacy.contact' },
  { ul: ['privacy.contact.email', 'privacy.contact.hash', 'privacy.contact.code'] },
  { h: 'privacy.h.logs' },
  { p: 'privacy.logs' },
  { p: 'privacy.logsKept' },
  { h: 'privacy.h.device' },
  { ul: ['privacy.device.history', 'privacy.device.exit', 'privacy.device.network'] },
  { h: 'privacy.h.phone' },
  { p: 'privacy.phone' },
  { h: 'privacy.h.staff' },
  { p: 'privacy.staff' },
  { h: 'privacy.h.questionsContact' },
  { p: 'privacy.dayOne' },
];

export const PrivacyBody: FC = () => <Blocks blocks={PRIVACY} />;
