/**
 * The case's Consents tab (`/staff/cases/:id/consents`): what the young person agreed to share, with
 * whom, for what, how and until when; recording a consent; revoking one; and a printable consent form
 * in plain language (`/staff/cases/:id/consents/:consentId/print`). Every page says that consent is
 * never a condition of service. Thin: every read and change goes through `service.ts`, audited there.
 *
 * A case outside the person's regions answers 404, like a missing one.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, Feature } from '../../app-types.ts';
import { ServiceError } from '../../platform/errors.ts';
import { staffAction } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import { doneNote, formList, formText, readForm, type FieldError, type Guarded } from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { forbiddenPage, notFoundPage } from '../cases/index.ts';
import {
  activeOrganizations,
  addYears,
  caseContext,
  consentForPrint,
  listConsents,
  listExpiringConsents,
  localToday,
  recordConsent,
  revokeConsent,
} from './service.ts';
import { ConsentsTab, type ConsentValues } from './views/consents-tab.tsx';
import { ConsentPrint } from './views/print-form.tsx';
import { ExpiringConsentsPage } from './views/expiring.tsx';

const DONE: Record<string, string> = {
  recorded: 'Consent recorded.',
  revoked: 'Consent revoked. The organization no longer sees what it covered.',
};

const SEE_CASES = {
  refusal: 'Your role does not include this page. Regional navigators and state administrators see cases.',
};

function emptyValues(deps: AppDeps): ConsentValues {
  const today = localToday(caseContext(deps));
  return {
    organizationId: '',
    purpose: '',
    categories: [],
    method: '',
    witness: '',
    startsOn: today,
    expiresOn: addYears(today, 1),
  };
}

/** A refusal as the page says it: 404 or 403 with a link back; anything else goes on. */
function refused(c: Context, { frame }: Guarded, error: unknown, back: string, also: string[] = []) {
  if (error instanceof ServiceError && error.code === 'not_found')
    return notFoundPage(c, frame, error.message, back);
  if (error instanceof ServiceError && error.code === 'forbidden' && also.includes('forbidden'))
    return forbiddenPage(c, frame, error.message, back);
  throw error;
}

async function consentsPage(
  c: Context,
  deps: AppDeps,
  guarded: Guarded,
  state: { errors: FieldError[]; values?: ConsentValues; status: ContentfulStatusCode } = {
    errors: [],
    status: 200,
  },
): Promise<Response> {
  const ctx = caseContext(deps);
  let data;
  try {
    data = await listConsents(ctx, guarded.actor, c.req.param('id') ?? '', requestOrigin(c));
  } catch (error) {
    return refused(c, guarded, error, '/staff');
  }
  const organizations = data.mayWrite && data.caseOpen ? await activeOrganizations(ctx) : [];
  return renderPage(
    c,
    <ConsentsTab
      deps={deps}
      frame={guarded.frame}
      data={data}
      organizations={organizations}
      errors={state.errors}
      done={doneNote(c, DONE, state.status)}
      values={state.values ?? emptyValues(deps)}
    />,
    state.status,
  );
}

/** A refused change: its page (404, 403), or the tab again with the error on its field (409, 400). */
function changeRefused(
  c: Context,
  deps: AppDeps,
  guarded: Guarded,
  error: unknown,
  field: (error: ServiceError) => string,
  values?: ConsentValues,
): Promise<Response> {
  if (!(error instanceof ServiceError) || error.code === 'not_found' || error.code === 'forbidden')
    return refused(c, guarded, error, '/staff', ['forbidden']);
  return consentsPage(c, deps, guarded, {
    errors: [{ field: field(error), message: error.message }],
    ...(values ? { values } : {}),
    status: error.code === 'conflict' ? 409 : 400,
  });
}

export const consentsPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const read = staffAction('cases.read');
  const write = staffAction('cases.write');

  r.staff(
    'get',
    '/staff/consents/expiring',
    read,
    async (c, { frame, actor }) => {
      const consents = await listExpiringConsents(caseContext(deps), actor, requestOrigin(c));
      return renderPage(c, <ExpiringConsentsPage deps={deps} frame={frame} consents={consents} />);
    },
    SEE_CASES,
  );

  r.staff(
    'get',
    '/staff/cases/:id/consents',
    read,
    (c, guarded) => consentsPage(c, deps, guarded),
    SEE_CASES,
  );

  r.staff(
    'post',
    '/staff/cases/:id/consents',
    write,
    async (c, guarded) => {
      const caseId = c.req.param('id') ?? '';
      const form = await readForm(c);
      const values: ConsentValues = {
        organizationId: formText(form, 'organizationId').trim(),
        purpose: formText(form, 'purpose'),
        categories: formList(form, 'categories'),
        method: formText(form, 'method'),
        witness: formText(form, 'witness'),
        startsOn: formText(form, 'startsOn'),
        expiresOn: formText(form, 'expiresOn'),
      };
      try {
        await recordConsent(caseContext(deps), guarded.actor, caseId, { ...values }, requestOrigin(c));
      } catch (error) {
        return changeRefused(c, deps, guarded, error, (e) => e.field ?? 'record-h', values);
      }
      return c.redirect(`/staff/cases/${caseId.toLowerCase()}/consents?done=recorded`, 303);
    },
    { refusal: 'Your role does not include this page. Regional navigators record consents.' },
  );

  r.staff(
    'get',
    '/staff/cases/:id/consents/:consentId/print',
    read,
    async (c, guarded) => {
      const caseId = (c.req.param('id') ?? '').toLowerCase();
      let data;
      try {
        data = await consentForPrint(
          caseContext(deps),
          guarded.actor,
          caseId,
          c.req.param('consentId') ?? '',
          requestOrigin(c),
        );
      } catch (error) {
        return refused(c, guarded, error, '/staff');
      }
      return renderPage(c, <ConsentPrint deps={deps} frame={guarded.frame} caseId={caseId} data={data} />);
    },
    SEE_CASES,
  );

  r.staff(
    'post',
    '/staff/cases/:id/consents/:consentId/revoke',
    write,
    async (c, guarded) => {
      const caseId = c.req.param('id') ?? '';
      try {
        await revokeConsent(
          caseContext(deps),
          guarded.actor,
          c.req.param('consentId') ?? '',
          requestOrigin(c),
          caseId,
        );
      } catch (error) {
        return changeRefused(c, deps, guarded, error, () => 'condition-of-service');
      }
      return c.redirect(`/staff/cases/${caseId.toLowerCase()}/consents?done=revoked`, 303);
    },
    { refusal: 'Your role does not include this page. Regional navigators revoke consents.' },
  );
};
