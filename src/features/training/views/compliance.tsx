/**
 * The statewide (`/staff/training/state`) and regional (`/staff/training/regions/:id`) compliance views
 * — organizations furthest behind first, counts only — and the certificates: the printable staff page
 * (`/staff/training/completions/:id/certificate`) and the public check (`/certificates/:code`), which
 * shows initials, course and date only, in the page's language (the course's title is English data).
 */
import type { FC } from 'hono/jsx';
import { ORGANIZATION_TYPES } from '../../../platform/access.ts';
import type { StaffView } from '../../../web/page.tsx';
import { Layout, type PageFrame } from '../../../web/public-layout.tsx';
import { StaffLayout } from '../../../web/staff-layout.tsx';
import { DataTable, SummaryList } from '../../../web/ui.tsx';
import {
  STATES,
  dateInWords,
  organizationLink,
  verifyLink,
  type ComplianceState,
  type StateCounts,
} from '../rules.ts';
import type { OrganizationSummary } from '../service.ts';
import { StateCountsList } from './people.tsx';

const KEYS = Object.keys(STATES) as ComplianceState[];
const typeName = (t: string) => ORGANIZATION_TYPES[t as keyof typeof ORGANIZATION_TYPES] ?? t;

const SummaryTable: FC<{ caption: string; organizations: OrganizationSummary[] }> = ({
  caption,
  organizations,
}) =>
  organizations.length ? (
    <DataTable
      label={caption}
      caption={caption}
      head={['Organization', 'Type', 'People', ...KEYS.map((k) => STATES[k]), 'Share overdue']}
    >
      {organizations.map((o) => (
        <tr>
          <th scope="row">
            <a href={organizationLink(o.id)}>{o.name}</a>
          </th>
          <td>{typeName(o.type)}</td>
          <td>{o.people}</td>
          {KEYS.map((k) => (
            <td>{o.counts[k]}</td>
          ))}
          <td>{Math.round(o.behind * 100)}%</td>
        </tr>
      ))}
    </DataTable>
  ) : (
    <p>No organizations here yet.</p>
  );

const EXPLAINED = (
  <p>
    Each count is a person and a training they must complete. “Due within 30 days” includes a renewal coming
    up. Organizations with the largest share overdue come first.
  </p>
);

export const StatePage: FC<
  StaffView & {
    organizations: OrganizationSummary[];
    counts: StateCounts;
    regions: { id: string; name: string }[];
  }
> = (p) => (
  <StaffLayout frame={p.frame} title="Training statewide">
    <StateCountsList label="Statewide" counts={p.counts} href="#organizations" />
    {EXPLAINED}
    <h2 id="organizations">Organizations, furthest behind first</h2>
    <SummaryTable caption="Organizations by share overdue" organizations={p.organizations} />
    <h2>By region</h2>
    <ul class="usa-list">
      {p.regions.map((r) => (
        <li>
          <a href={`/staff/training/regions/${r.id}`}>{r.name}</a>
        </li>
      ))}
    </ul>
  </StaffLayout>
);

export const RegionPage: FC<
  StaffView & {
    region: { id: string; name: string };
    organizations: OrganizationSummary[];
    counts: StateCounts;
  }
> = (p) => (
  <StaffLayout frame={p.frame} title={`Training: ${p.region.name}`}>
    <StateCountsList label={p.region.name} counts={p.counts} href="#organizations" />
    {EXPLAINED}
    <p class="nwd-muted">
      An organization shows here when a state administrator has named the region as one it works in.
    </p>
    <h2 id="organizations">Organizations, furthest behind first</h2>
    <SummaryTable caption={`Organizations of ${p.region.name}`} organizations={p.organizations} />
  </StaffLayout>
);

export interface CertificateView {
  name: string;
  course_code: string;
  course_title: string;
  provider: string;
  completed_on: string;
  organization_name: string;
  certificate_code: string;
}

export const CertificatePage: FC<StaffView & { certificate: CertificateView; origin: string }> = (p) => {
  const c = p.certificate;
  return (
    <StaffLayout frame={p.frame} title="Certificate of completion">
      <section class="nwd-certificate" aria-labelledby="certificate-name">
        <p>This certifies that</p>
        <p id="certificate-name" class="font-heading-xl">
          <strong>{c.name}</strong>
        </p>
        <p>of {c.organization_name} completed</p>
        <p class="font-heading-lg">
          <strong>
            {c.course_code}: {c.course_title}
          </strong>
        </p>
        <SummaryList
          rows={[
            ['Provider', c.provider],
            ['Completed on', dateInWords(c.completed_on)],
            ['Certificate code', <code>{c.certificate_code}</code>],
            ['Check it at', `${p.origin}${verifyLink(c.certificate_code)}`],
          ]}
        />
        <p class="nwd-muted">
          Print this page with your browser’s Print command. Anyone can check the code; the check shows
          initials only.
        </p>
      </section>
    </StaffLayout>
  );
};

export interface VerifiedCertificate {
  code: string;
  initials: string;
  courseCode: string;
  courseTitle: string;
  completedOn: string;
}

/** The public check of a certificate code: the form, and the answer for a code when one was typed. */
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
