/**
 * `/staff/consents/expiring`: the consents of open cases in the person's regions that end within 30
 * days, soonest first, each linking to its case's Consents tab, so a navigator can renew it with the
 * young person in time. Case numbers, organizations and dates only: no personal data.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import { StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { DataTable } from '../../../web/ui.tsx';
import { EXPIRING_WITHIN_DAYS, type ExpiringConsent } from '../service.ts';

export const ExpiringConsentsPage: FC<{ deps: AppDeps; frame: StaffFrame; consents: ExpiringConsent[] }> = ({
  deps,
  frame,
  consents,
}) => (
  <StaffLayout frame={frame} title="Consents ending soon">
    <p>
      Consents of open cases in your regions that end within the next {EXPIRING_WITHIN_DAYS} days. Ask the
      young person whether they want to renew one; a consent is never a condition of service.
    </p>
    <DataTable
      label="Consents ending soon"
      caption={
        consents.length === 0
          ? 'No consent ends in the next 30 days'
          : `${consents.length} ${consents.length === 1 ? 'consent' : 'consents'}, soonest end first`
      }
      head={['Case', 'Shared with', 'Ends on']}
      id="expiring"
    >
      {consents.map((k) => (
        <tr>
          <th scope="row">
            <a href={`/staff/cases/${k.caseId}/consents`}>Case {k.caseNumber}</a>
          </th>
          <td>{k.organizationName}</td>
          <td>
            <time datetime={k.expiresOn}>{deps.rules.calendar.formatDate(k.expiresOn)}</time>
          </td>
        </tr>
      ))}
    </DataTable>
  </StaffLayout>
);
