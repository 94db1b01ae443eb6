/**
 * A person's requests about their data, for state administrators: find every case held about them,
 * export everything held in one (JSON), or erase it (crypto-shredding). Export and erase are sensitive
 * actions: the administrator signs in again first, and each is audited. Thin: the work is in
 * `service.ts`, the pages in `views.tsx`.
 */
import type { Context } from 'hono';
import type { Feature } from '../../app-types.ts';
import { ServiceError } from '../../platform/errors.ts';
import { staffAction } from '../../platform/policy.ts';
import { recentlyReauthenticated } from '../accounts/service.ts';
import { renderPage } from '../../web/http.ts';
import { formText, messagePage, readForm, type FieldError, type Guarded } from '../../web/page.tsx';
import { router, type StaffHandler } from '../../web/route.ts';
import { accountsContext, requestOrigin } from '../../web/session.ts';
import type { StaffFrame } from '../../web/staff-layout.tsx';
import { PersonSearchSchema, isCaseId } from './schema.ts';
import { eraseCase, exportCase, findPersonCases } from './service.ts';
import { BACK, CONFIRM_WORD, ConfirmPage, ErasedPage, SearchPage } from './views.tsx';

const OPTIONS = {
  refusal: "Only state administrators handle a person's requests about their data.",
  back: null,
};

const problemPage = (c: Context, frame: StaffFrame, error: ServiceError) =>
  messagePage(
    c,
    frame,
    error.code === 'not_found' ? 404 : error.code === 'conflict' ? 409 : 403,
    error.code === 'not_found' ? 'No such case' : 'This cannot be done',
    error.message,
    BACK,
  );

/**
 * A page about one case: 404 for a path that cannot be a case, the sign-in-again step when it is not
 * recent, then the handler with the case id (lower case); a refusal of the service as a page.
 */
const aboutCase =
  (
    deps: Parameters<Feature>[1],
    step: (id: string) => string,
    handler: (c: Context, g: Guarded, id: string) => Promise<Response>,
  ): StaffHandler =>
  async (c, g) => {
    const id = c.req.param('id') ?? '';
    if (!isCaseId(id))
      return problemPage(c, g.frame, new ServiceError('not_found', 'There is no such case.'));
    if (!recentlyReauthenticated(accountsContext(deps), g.session))
      return c.redirect(`/staff/reauthenticate?next=${encodeURIComponent(step(id))}`, 303);
    try {
      return await handler(c, g, id.toLowerCase());
    } catch (error) {
      if (error instanceof ServiceError) return problemPage(c, g.frame, error);
      throw error;
    }
  };

export const retentionPages: Feature = (app, deps, policies) => {
  const r = router(app, deps, policies);
  const ctx = () => ({ db: deps.db, keyring: deps.keyring });
  const exports = staffAction('cases.export');
  const erases = staffAction('cases.erase');
  const page = (
    c: Context,
    g: Guarded,
    errors: FieldError[],
    values: Record<string, string>,
    matches: Awaited<ReturnType<typeof findPersonCases>> | null,
  ) =>
    renderPage(
      c,
      <SearchPage deps={deps} frame={g.frame} errors={errors} values={values} matches={matches} />,
      errors.length ? 400 : 200,
    );

  r.staff('get', '/staff/admin/person-requests', exports, (c, g) => page(c, g, [], {}, null), OPTIONS);

  r.staff(
    'post',
    '/staff/admin/person-requests',
    exports,
    async (c, g) => {
      const form = await readForm(c);
      const values = {
        caseId: formText(form, 'caseId').trim(),
        chosenName: formText(form, 'chosenName').trim(),
        dateOfBirth: formText(form, 'dateOfBirth').trim(),
      };
      const parsed = PersonSearchSchema.safeParse(values);
      if (!parsed.success)
        return page(
          c,
          g,
          parsed.error.issues.map((i) => ({ field: String(i.path[0]), message: i.message })),
          values,
          null,
        );
      const v = parsed.data;
      const matches = await findPersonCases(
        ctx(),
        g.actor,
        v.caseId ? { caseId: v.caseId } : { chosenName: v.chosenName, dateOfBirth: v.dateOfBirth },
      );
      return page(c, g, [], {}, matches);
    },
    OPTIONS,
  );

  r.staff(
    'get',
    '/staff/admin/cases/:id/export.json',
    exports,
    aboutCase(
      deps,
      (id) => `/staff/admin/cases/${id}/export.json`,
      async (c, g, id) => {
        const document = await exportCase(ctx(), g.actor, id, requestOrigin(c));
        return c.body(JSON.stringify(document, null, 2), 200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Disposition': `attachment; filename="case-${id}.json"`,
        });
      },
    ),
    OPTIONS,
  );

  const erasePath = (id: string) => `/staff/admin/cases/${id}/erase`;
  const confirm = (c: Context, g: Guarded, id: string, errors: FieldError[]) =>
    renderPage(c, <ConfirmPage frame={g.frame} id={id} errors={errors} />, errors.length ? 400 : 200);

  r.staff(
    'get',
    '/staff/admin/cases/:id/erase',
    erases,
    aboutCase(deps, erasePath, async (c, g, id) => confirm(c, g, id, [])),
    OPTIONS,
  );

  r.staff(
    'post',
    '/staff/admin/cases/:id/erase',
    erases,
    aboutCase(deps, erasePath, async (c, g, id) => {
      const form = await readForm(c);
      if (formText(form, 'confirm') !== CONFIRM_WORD)
        return confirm(c, g, id, [
          { field: 'confirm', message: `Type ${CONFIRM_WORD} in capital letters to confirm.` },
        ]);
      await eraseCase(ctx(), g.actor, id, requestOrigin(c));
      return renderPage(c, <ErasedPage frame={g.frame} />);
    }),
    OPTIONS,
  );
};
