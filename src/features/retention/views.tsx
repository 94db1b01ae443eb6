/**
 * The pages of a person's requests about their data: the search, its matches, and the erase
 * confirmation.
 */
import type { AppDeps } from '../../app-types.ts';
import { ColumnHeads, Time, type FieldError } from '../../web/page.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../web/staff-layout.tsx';
import type { PersonMatch } from './service.ts';

export const CONFIRM_WORD = 'ERASE';
export const TITLE = 'Requests about a person’s data';
export const BACK = { href: '/staff/admin/person-requests', text: 'Back to requests about a person' };

export function SearchForm({ frame, values }: { frame: StaffFrame; values: Record<string, string> }) {
  return (
    <form method="post" action="/staff/admin/person-requests" novalidate>
      <CsrfField token={frame.csrf} />
      <p>Search by the case number, or by the name the young person uses with their date of birth.</p>
      <label for="caseId">Case number</label>
      <input id="caseId" name="caseId" value={values.caseId ?? ''} autocomplete="off" spellcheck={false} />
      <p class="hint">Or:</p>
      <label for="chosenName">Name they use</label>
      <input id="chosenName" name="chosenName" value={values.chosenName ?? ''} autocomplete="off" />
      <label for="dateOfBirth">Date of birth</label>
      <input
        id="dateOfBirth"
        name="dateOfBirth"
        type="date"
        value={values.dateOfBirth ?? ''}
        autocomplete="off"
      />
      <p>
        <button type="submit" class="btn">
          Find cases
        </button>
      </p>
    </form>
  );
}

export function MatchList({ deps, matches }: { deps: AppDeps; matches: PersonMatch[] }) {
  if (!matches.length) return <p role="status">No case matches. Check the spelling and the date of birth.</p>;
  return (
    <>
      <p role="status">
        {matches.length === 1 ? 'One case matches.' : `${matches.length} cases match.`} Matching uses the
        exact name (any capitals and spaces) and date of birth; a case opened without a date of birth is found
        only by its number.
      </p>
      <table>
        <ColumnHeads names={['Case', 'Region', 'Status', 'Opened', 'Actions']} />
        <tbody>
          {matches.map((m) => (
            <tr>
              <td>
                <code>{m.caseId}</code>
              </td>
              <td>{m.regionId}</td>
              <td>{m.purged ? 'Erased or purged' : m.status === 'open' ? 'Open' : 'Closed'}</td>
              <td>
                <Time deps={deps} at={m.openedAt} show="date" />
              </td>
              <td>
                {m.purged ? (
                  'Nothing left to export'
                ) : (
                  <>
                    <a href={`/staff/admin/cases/${m.caseId}/export.json`}>Export everything (JSON)</a>
                    {' · '}
                    <a href={`/staff/admin/cases/${m.caseId}/erase`}>Erase…</a>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
      <form method="post" action={`/staff/admin/cases/${id}/erase`} novalidate>
        <CsrfField token={frame.csrf} />
        <label for="confirm">Type {CONFIRM_WORD} to confirm</label>
        <input
          id="confirm"
          name="confirm"
          autocomplete="off"
          aria-invalid={errors.length ? 'true' : undefined}
          aria-describedby={errors.length ? 'confirm-error' : undefined}
        />
        {errors.length ? (
          <p id="confirm-error" class="error">
            {errors[0]!.message}
          </p>
        ) : null}
        <p>
          <button type="submit" class="btn">
            Erase this case
          </button>
        </p>
      </form>
    </StaffLayout>
  );
}

export function ErasedPage({ frame }: { frame: StaffFrame }) {
  return (
    <StaffLayout frame={frame} title="The case was erased">
      <p role="status">
        The case's key was destroyed: nothing personal in it can be read any more. The audit log records that
        you did this.
      </p>
      <p>
        <a href={BACK.href}>{BACK.text}</a>
      </p>
    </StaffLayout>
  );
}
