/** The organizations page: the member organizations, disabling and enabling them, adding one. */
import type { FC } from 'hono/jsx';
import { ORGANIZATION_TYPES, type Actor } from '../../../platform/access.ts';
import { Select, TextField, fieldsOf } from '../../../web/forms.tsx';
import { Success, type FieldError } from '../../../web/page.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { Button, DataTable, Panel, SrOnly, Tag } from '../../../web/ui.tsx';
import type { OrganizationRow } from '../queries.ts';

export const OrganizationsView: FC<{
  frame: StaffFrame;
  organizations: OrganizationRow[];
  actor: Actor;
  errors: FieldError[];
  values: { name: string; type: string };
  done: string | null;
}> = ({ frame, organizations, actor, errors, values, done }) => {
  const f = fieldsOf(values, errors);
  return (
    <StaffLayout frame={frame} title="Organizations">
      <ErrorSummary errors={errors} />
      <Success message={done} />
      <DataTable
        id="organizations"
        label="Member organizations"
        caption="Member organizations"
        head={['Name', 'Type', 'People', 'Status', 'Change']}
      >
        {organizations.map((o) => (
          <tr>
            <th scope="row">
              <a href={`/staff/admin/people?organization=${o.id}`}>{o.name}</a>
            </th>
            <td>{ORGANIZATION_TYPES[o.type]}</td>
            <td>{String(o.people)}</td>
            <td>{o.disabled ? <Tag tone="error">Disabled</Tag> : <Tag tone="success">Active</Tag>}</td>
            <td>
              {o.id === actor.organizationId ? (
                'Your organization'
              ) : (
                <form
                  method="post"
                  action={`/staff/admin/organizations/${o.id}/${o.disabled ? 'enable' : 'disable'}`}
                >
                  <CsrfField token={frame.csrf} />
                  <Button variant="outline">
                    {o.disabled ? 'Enable' : 'Disable'}
                    <SrOnly> {o.name}</SrOnly>
                  </Button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      <Panel id="add-h" heading="Add an organization">
        <form
          method="post"
          action="/staff/admin/organizations"
          aria-labelledby="add-h"
          novalidate
          class="usa-form"
        >
          <CsrfField token={frame.csrf} />
          <TextField {...f('name')} label="Name" maxlength={200} required />
          <Select
            {...f('type')}
            label="Type"
            placeholder="Choose a type"
            options={Object.entries(ORGANIZATION_TYPES).map(([value, label]) => ({ value, label }))}
            required
          />
          <Button>Add organization</Button>
        </form>
      </Panel>
    </StaffLayout>
  );
};
