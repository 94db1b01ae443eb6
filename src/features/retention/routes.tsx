/**
 * A person's requests about their data, for state administrators: find every case held about them,
 * export everything held in one (JSON), or erase it (crypto-shredding). Export and erase are sensitive
 * actions: the administrator signs in again first, and each is audited.
 */
import type { Context } from 'hono';
import type { AppDeps, Feature } from '../../app-types.ts';
import { can } from '../../platform/access.ts';
import { renderPage } from '../../web/http.ts';
import { staffAction } from '../../platform/policy.ts';
import { recentlyReauthenticated } from '../accounts/service.ts';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../web/staff-layout.tsx';
import { Time, formText, guardStaffPage, messagePage, readForm, type FieldError } from '../../web/page.tsx';
import { accountsContext, requestOrigin } from '../../web/session.ts';
import { CaseError } from '../cases/core.ts';
import { eraseCase, exportCase, findPersonCases, type PersonMatch } from './service.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CONFIRM_WORD = 'ERASE';

const guard = (c: Context, deps: AppDeps, action: 'cases.export' | 'cases.erase') =>
  guardStaffPage(
    c,
    deps,
    (actor) => can(actor, action, {}),
    "Only state administrators handle a person's requests about their data.",
    null,
  );

const BACK = { href: '/staff/admin/person-requests', text: 'Back to requests about a person' };

const reauthenticate = (c: Context, next: string) =>
  c.redirect(`/staff/reauthenticate?next=${encodeURIComponent(next)}`, 303);

function SearchForm({ frame, values }: { frame: StaffFrame; values: Record<string, string> }) {
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

function MatchList({ deps, matches }: { deps: AppDeps; matches: PersonMatch[] }) {
  if (!matches.length) return <p role="status">No case matches. Check the spelling and the date of birth.</p>;
  return (
    <>
      <p role="status">
        {matches.length === 1 ? 'One case matches.' : `${matches.length} cases match.`} Matching uses the
        exact name (any capitals and spaces) and date of birth; a case opened without a date of birth is found
        only by its number.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Region</th>
            <th scope="col">Status</th>
            <th scope="col">Opened</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
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

export const retentionPages: Feature = (app, deps, policies) => {
  const ctx = () => ({ db: deps.db, keyring: deps.keyring });
  policies.declare('GET', '/staff/admin/person-requests', staffAction('cases.export'));
  policies.declare('POST', '/staff/admin/person-requests', staffAction('cases.export'));
  policies.declare('GET', '/staff/admin/cases/:id/export.json', staffAction('cases.export'));
  policies.declare('GET', '/staff/admin/cases/:id/erase', staffAction('cases.erase'));
  policies.declare('POST', '/staff/admin/cases/:id/erase', staffAction('cases.erase'));

  const title = 'Requests about a person’s data';
  const intro = (
    <p>
      A young person (or someone acting for them) can ask what is held about them, and ask for it to be
      erased. Find their cases here. Exporting and erasing ask you to sign in again, and both are recorded in
      the audit log.
    </p>
  );

  app.get('/staff/admin/person-requests', async (c) => {
    const g = await guard(c, deps, 'cases.export');
    if (g instanceof Response) return g;
    return renderPage(
      c,
      <StaffLayout frame={g.frame} title={title}>
        {intro}
        <SearchForm frame={g.frame} values={{}} />
      </StaffLayout>,
    );
  });

  app.post('/staff/admin/person-requests', async (c) => {
    const g = await guard(c, deps, 'cases.export');
    if (g instanceof Response) return g;
    const form = await readForm(c);
    const value = (k: string) => formText(form, k).trim();
    const values = {
      caseId: value('caseId'),
      chosenName: value('chosenName'),
      dateOfBirth: value('dateOfBirth'),
    };
    const errors: FieldError[] = [];
    if (values.caseId) {
      if (!UUID.test(values.caseId))
        errors.push({ field: 'caseId', message: 'A case number looks like 8-4-4-4-12 letters and digits.' });
    } else {
      if (!values.chosenName || values.chosenName.length > 100)
        errors.push({
          field: 'chosenName',
          message: 'Enter the name they use (at most 100 characters), or a case number.',
        });
      if (!ISO_DATE.test(values.dateOfBirth) || Number.isNaN(Date.parse(values.dateOfBirth)))
        errors.push({ field: 'dateOfBirth', message: 'Enter the date of birth, for example 2009-04-01.' });
    }
    if (errors.length)
      return renderPage(
        c,
        <StaffLayout frame={g.frame} title={title}>
          <ErrorSummary errors={errors} />
          <SearchForm frame={g.frame} values={values} />
        </StaffLayout>,
        400,
      );
    const matches = await findPersonCases(
      ctx(),
      g.session.actor,
      values.caseId
        ? { caseId: values.caseId }
        : { chosenName: values.chosenName, dateOfBirth: values.dateOfBirth },
    );
    return renderPage(
      c,
      <StaffLayout frame={g.frame} title={title}>
        <MatchList deps={deps} matches={matches} />
        <h2>Search again</h2>
        <SearchForm frame={g.frame} values={{}} />
      </StaffLayout>,
    );
  });

  const problemPage = (c: Context, frame: StaffFrame, error: CaseError) =>
    messagePage(
      c,
      frame,
      error.code === 'not_found' ? 404 : error.code === 'conflict' ? 409 : 403,
      error.code === 'not_found' ? 'No such case' : 'This cannot be done',
      error.message,
      BACK,
    );

  app.get('/staff/admin/cases/:id/export.json', async (c) => {
    const g = await guard(c, deps, 'cases.export');
    if (g instanceof Response) return g;
    const id = c.req.param('id');
    if (!UUID.test(id)) return problemPage(c, g.frame, new CaseError('not_found', 'There is no such case.'));
    if (!recentlyReauthenticated(accountsContext(deps), g.session))
      return reauthenticate(c, `/staff/admin/cases/${id}/export.json`);
    try {
      const document = await exportCase(ctx(), g.session.actor, id.toLowerCase(), requestOrigin(c));
      return c.body(JSON.stringify(document, null, 2), 200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="case-${id.toLowerCase()}.json"`,
      });
    } catch (error) {
      if (error instanceof CaseError) return problemPage(c, g.frame, error);
      throw error;
    }
  });

  const confirmPage = async (c: Context, frame: StaffFrame, id: string, errors: FieldError[]) =>
    renderPage(
      c,
      <StaffLayout frame={frame} title="Erase this case">
        <ErrorSummary errors={errors} />
        <p>
          Erasing destroys the key that protects this case: its details, notes, safety plans, consents,
          referral messages and the referral it started from can never be read again, by anyone. Counts
          without personal data stay for reporting. Referrals still under way are withdrawn and open tasks are
          completed.
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
      </StaffLayout>,
      errors.length ? 400 : 200,
    );

  app.get('/staff/admin/cases/:id/erase', async (c) => {
    const g = await guard(c, deps, 'cases.erase');
    if (g instanceof Response) return g;
    const id = c.req.param('id');
    if (!UUID.test(id)) return problemPage(c, g.frame, new CaseError('not_found', 'There is no such case.'));
    if (!recentlyReauthenticated(accountsContext(deps), g.session))
      return reauthenticate(c, `/staff/admin/cases/${id}/erase`);
    return confirmPage(c, g.frame, id.toLowerCase(), []);
  });

  app.post('/staff/admin/cases/:id/erase', async (c) => {
    const g = await guard(c, deps, 'cases.erase');
    if (g instanceof Response) return g;
    const id = c.req.param('id');
    if (!UUID.test(id)) return problemPage(c, g.frame, new CaseError('not_found', 'There is no such case.'));
    if (!recentlyReauthenticated(accountsContext(deps), g.session))
      return reauthenticate(c, `/staff/admin/cases/${id}/erase`);
    const form = await readForm(c);
    if (formText(form, 'confirm') !== CONFIRM_WORD)
      return confirmPage(c, g.frame, id.toLowerCase(), [
        { field: 'confirm', message: `Type ${CONFIRM_WORD} in capital letters to confirm.` },
      ]);
    try {
      await eraseCase(ctx(), g.session.actor, id.toLowerCase(), requestOrigin(c));
    } catch (error) {
      if (error instanceof CaseError) return problemPage(c, g.frame, error);
      throw error;
    }
    return renderPage(
      c,
      <StaffLayout frame={g.frame} title="The case was erased">
        <p role="status">
          The case's key was destroyed: nothing personal in it can be read any more. The audit log records
          that you did this.
        </p>
        <p>
          <a href={BACK.href}>{BACK.text}</a>
        </p>
      </StaffLayout>,
    );
  });
};
