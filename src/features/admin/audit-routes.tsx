/**
 * The audit log's pages: browse it with filters, a page at a time, and export what the filters select
 * as CSV (after a recent re-authentication). Mounted by the administration pages (routes.tsx).
 */
import type { Context } from 'hono';
import type { AppDeps } from '../../app-types.ts';
import { can, type Actor } from '../../platform/access.ts';
import { exportAuditCsv } from '../../platform/audit/audit.ts';
import { staffAction } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import type { Guarded } from '../../web/page.tsx';
import type { Router } from '../../web/route.ts';
import { accountsContext, requestOrigin } from '../../web/session.ts';
import { listUsers, recentlyReauthenticated, type StaffUser } from '../accounts/service.ts';
import { anyTarget, only, ownOrganization, reauthenticateRedirect } from './page-access.ts';
import { AuditBefore, parseAuditFilters } from './schema.ts';
import { browseAudit, organizationChoices } from './service.ts';
import { AUDIT_FIELDS, AuditView, auditSearch, type AuditQueryValues } from './views/audit.tsx';

const AUDIT_PAGE_SIZE = 50;

/**
 * The filters from the query, checked (schema.ts). The organization filter is for statewide readers
 * only (the audit listing narrows everyone else to their own organization's events).
 */
function auditQuery(c: Context, actor: Actor) {
  const q = (name: string) => (c.req.query(name) ?? '').trim();
  const values = Object.fromEntries(AUDIT_FIELDS.map((f) => [f, q(f)])) as unknown as AuditQueryValues;
  const { filters, errors } = parseAuditFilters(values, can(actor, 'audit.read', {}));
  const before = AuditBefore.safeParse(q('before'));
  return { values, filters, before: before.success ? before.data : undefined, errors };
}

async function auditPage(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const { actor } = g;
  const ctx = accountsContext(deps);
  const origin = requestOrigin(c);
  const { values, filters, before, errors } = auditQuery(c, actor);
  const statewide = can(actor, 'audit.read', {});
  const result = errors.length
    ? { events: [], nextBefore: null, statewide }
    : await browseAudit(ctx, actor, { ...filters, limit: AUDIT_PAGE_SIZE, before }, origin);
  // Names for the ids: the people the reader may list (their names decrypted, so the listing is
  // recorded too), and every organization's name.
  const organizations = await organizationChoices(ctx, actor);
  const people = can(actor, 'people.list', { organizationId: actor.organizationId })
    ? await listUsers(ctx, actor, statewide ? null : actor.organizationId, origin)
    : [];
  const personName = (u: StaffUser) => (u.displayName ? `${u.displayName} (${u.email})` : u.email);
  return renderPage(
    c,
    <AuditView
      deps={deps}
      frame={g.frame}
      everyone={result.statewide}
      mayExport={can(actor, 'audit.export', {})}
      organizations={result.statewide ? organizations : []}
      people={people
        .map((u) => ({ id: u.id, name: personName(u) }))
        .sort((a, b) => a.name.localeCompare(b.name))}
      names={{
        people: new Map(people.map((u) => [u.id, personName(u)])),
        organizations: new Map(organizations.map((o) => [o.id, o.name])),
      }}
      values={values}
      errors={errors}
      before={before}
      result={result}
    />,
    errors.length ? 400 : 200,
  );
}

async function auditCsvDownload(c: Context, deps: AppDeps, g: Guarded): Promise<Response> {
  const { session } = g;
  const { values, filters, errors } = auditQuery(c, session.actor);
  // The audit page shows what is wrong with the filters, beside the form.
  if (errors.length) return c.redirect(`/staff/admin/audit${auditSearch(values)}`, 303);
  if (!recentlyReauthenticated(accountsContext(deps), session))
    return reauthenticateRedirect(c, `/staff/admin/audit.csv${auditSearch(values)}`);
  const origin = requestOrigin(c);
  const body = await exportAuditCsv(
    deps.db,
    {
      actorKind: 'user',
      actorUserId: session.userId,
      organizationId: session.actor.organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
    },
    filters,
  );
  const day = new Date().toISOString().slice(0, 10);
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="audit-${day}.csv"`,
  });
}

/** The audit log's routes, on the administration pages' router. */
export function auditPages(r: Router, deps: AppDeps): void {
  r.staff(
    'get',
    '/staff/admin/audit',
    staffAction('audit.read'),
    (c, g) => auditPage(c, deps, g),
    only('audit.read', ownOrganization),
  );
  r.staff(
    'get',
    '/staff/admin/audit.csv',
    staffAction('audit.export'),
    (c, g) => auditCsvDownload(c, deps, g),
    only('audit.export', anyTarget),
  );
}
