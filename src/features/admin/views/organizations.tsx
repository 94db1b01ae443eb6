/** The organisations page: the member organisations, disabling and enabling them, adding one. */
import type { FC } from 'hono/jsx';
import { ORGANIZATION_TYPES, type Actor } from '../../../platform/access.ts';
import { ColumnHeads, Success, type FieldError } from '../../../web/page.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import type { OrganizationRow } from '../queries.ts';

export const OrganizationsView: FC<{
  frame: StaffFrame;
  organizations: OrganizationRow[];
  actor: Actor;
  errors: FieldError[];
  values: { name: string; type: string };
  done: string | null;
}> = ({ frame, organizations, actor, errors, values, done }) => (
  <StaffLayout frame={frame} title="Organisations">
    <ErrorSummary errors={errors} />
    <Success message={done} />
    <table id="organizations" tabindex={0}>
      <caption>Member organisations</caption>
      <ColumnHeads names={['Name', 'Type', 'People', 'Status', 'Change']} />
      <tbody>
        {organizations.map((o) => (
          <tr>
            <th scope="row">
              <a href={`/staff/admin/people?organization=${o.id}`}>{o.name}</a>
            </th>
            <td>{ORGANIZATION_TYPES[o.type]}</td>
            <td>{String(o.people)}</td>
            <td>{o.disabled ? 'Disabled' : 'Active'}</td>
            <td>
              {o.id === actor.organizationId ? (
                'Your organisation'
              ) : (
                <form
                  method="post"
                  action={`/staff/admin/organizations/${o.id}/${o.disabled ? 'enable' : 'disable'}`}
                >
                  <CsrfField token={frame.csrf} />
                  <button type="submit" class="btn alt">
                    {o.disabled ? 'Enable' : 'Disable'}
                    <span class="skip"> {o.name}</span>
                  </button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    <h2 id="add-h">Add an organisation</h2>
    <form method="post" action="/staff/admin/organizations" aria-labelledby="add-h" novalidate>
      <CsrfField token={frame.csrf} />
      <label for="name">Name</label>
      <input
        id="name"
        name="name"
        type="text"
        maxlength={200}
        required
        value={values.name}
        autocomplete="off"
      />
      <label for="type">Type</label>
      <select id="type" name="type" required>
        <option value="">Choose a type</option>
        {Object.entries(ORGANIZATION_TYPES).map(([value, label]) => (
          <option value={value} selected={value === values.type}>
            {label}
          </option>
        ))}
      </select>
      <p>
        <button type="submit">Add organisation</button>
      </p>
    </form>
  </StaffLayout>
);
