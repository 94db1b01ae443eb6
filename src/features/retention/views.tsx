/**
 * The pages of a person's requests about their data: the search, its matches, and the erase
 * confirmation.
 */
import type { AppDeps } from '../../app-types.ts';
import { Time, type FieldError } from '../../web/page.tsx';
import { TextField } from '../../web/forms.tsx';
import { Alert, Button, DataTable, SrOnly, Tag } from '../../web/ui.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../web/staff-layout.tsx';
import type { PersonMatch } from './service.ts';

export const CONFIRM_WORD = 'ERASE';
export const TITLE = 'Requests about a person’s data';
export const BACK = { href: '/staff/admin/person-requests', text: 'Back to requests about a person' };

export function SearchForm({ frame, values }: { frame: StaffFrame; values: Record<string, string> }) {
  return (
    <form method="post" action="/staff/admin/person-requests" novalidate class="usa-form">
      <CsrfField token={frame.csrf} />
      <p>Search by the case number, or by the name the young person uses with their date of birth.</p>
      <TextField id="caseId" label="Case number" value={values.caseId ?? ''} maxlength={64} />
      <p class="usa-hint">Or:</p>
      <TextField id="chosenName" label="Name they use" value={values.chosenName ?? ''} maxlength={200} />
      <div class="usa-form-group">
        <label class="usa-label" for="dateOfBirth">
          Date of birth
        </label>
        <input
          class="usa-input"
          id="dateOfBirth"
          name="dateOfBirth"
          type="date"
          value={values.dateOfBirth ?? ''}
          autocomplete="off"
        />
      </div>
      <Button>Find cases</Button>
    </form>
  );
}

export function MatchList({ deps, matches }: { deps: AppDeps; matches: PersonMatch[] }) {
  if (!matches.length)
    return (
      <Alert type="info">
        <p class="margin-0">No case matches. Check the spelling and the date of birth.</p>
      </Alert>
    );
  return (
    <>
      <Alert type="info">
        <p class="margin-0">
          {matches.length === 1 ? 'One case matches.' : `${matches.length} cases match.`} Matching uses the
          exact name (any capitals and spaces) and date of birth; a case opened without a date of birth is
          found only by its number.
        </p>
      </Alert>
      <DataTable label="Matching cases" head={['Case', 'Region', 'Status', 'Opened', 'Actions']}>
        {matches.map((m) => (
          <tr>
            <td>
              <code>{m.caseId}</code>
            </td>
            <td>{deps.geography.get().regions.get(m.regionId)?.name ?? m.regionId}</td>
            <td>
              {m.purged ? (
                <Tag tone="base">Erased or purged</Tag>
              ) : m.status === 'open' ? (
                <Tag tone="success">Open</Tag>
              ) : (
                <Tag tone="base">Closed</Tag>
              )}
            </td>
            <td>
              <Time deps={deps} at={m.openedAt} show="date" />
            </td>
            <td>
              {m.purged ? (
                'Nothing left to export'
              ) : (
                <>
                  <a href={`/staff/admin/cases/${m.caseId}/export.json`}>
                    Export everything (JSON)<SrOnly> for case {m.caseId}</SrOnly>
                  </a>
                  {' · '}
                  <a href={`/staff/admin/cases/${m.caseId}/erase`}>
                    Erase…<SrOnly> case {m.caseId}</SrOnly>
                  </a>
                </>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

/** The search page: the form (with its errors), or the matches and the form again. */
export function SearchPage({
  deps,
  frame,
  errors,
  values,
  matches,
}: {
  deps: AppDeps;
  frame: StaffFrame;
  errors: FieldError[];
  values: Record<string, string>;
  matches: PersonMatch[] | null;
}) {
  return (
    <StaffLayout frame={frame} title={TITLE}>
      {matches ? (
        <>
          <MatchList deps={deps} matches={matches} />
          <h2>Search again</h2>
        </>
      ) : errors.length ? (
        <ErrorSummary errors={errors} />
      ) : (
        <p>
          A young person (or someone acting for them) can ask what is held about them, and ask for it to be
          erased. Find their cases here. Exporting and erasing ask you to sign in again, and both are recorded
          in the audit log.
        </p>
      )}
      <SearchForm frame={frame} values={values} />
    </StaffLayout>
  );
}

export function ConfirmPage({ frame, id, errors }: { frame: StaffFrame; id: string; errors: FieldError[] }) {
  return (
    <StaffLayout frame={frame} title="Erase this case">
      <ErrorSummary errors={errors} />
      <p>
        Erasing destroys the key that protects this case: its details, notes, safety plans, consents, referral
        messages and the referral it started from can never be read again, by anyone. Counts without personal
        data stay for reporting. Referrals still under way are withdrawn and open tasks are completed.
      </p>
      <p>
        Export first if the person also asked for a copy:{' '}
        <a href={`/staff/admin/cases/${id}/export.json`}>export everything (JSON)</a>.
      </p>
      <form method="post" action={`/staff/admin/cases/${id}/erase`} novalidate class="usa-form">
        <CsrfField token={frame.csrf} />
        <TextField
          id="confirm"
          label={`Type ${CONFIRM_WORD} to confirm`}
          value=""
          error={errors[0]?.message}
          maxlength={20}
        />
        <Button variant="danger">Erase this case</Button>
      </form>
    </StaffLayout>
  );
}

export function ErasedPage({ frame }: { frame: StaffFrame }) {
  return (
    <StaffLayout frame={frame} title="The case was erased">
      <Alert type="success">
        <p class="margin-0">
          The case's key was destroyed: nothing personal in it can be read any more. The audit log records
          that you did this.
        </p>
      </Alert>
      <p>
        <a href={BACK.href}>{BACK.text}</a>
      </p>
    </StaffLayout>
  );
}
