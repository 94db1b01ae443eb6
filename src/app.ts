/**
 * Builds the HTTP application from its features. Order: security headers, request log, compression,
 * then the features; every route declares its policy in the registry. Beside it, the public fast
 * path (src/web/fast-path.ts) that answers prepared public answers ahead of the router.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { RequestListener } from 'node:http';
import { compress } from 'hono/compress';
import type { AppDeps } from './app-types.ts';
import { directoryApi } from './features/directory/api.ts';
import { directoryPages } from './features/directory/routes.tsx';
import { helpApi, navigatorFastRoute } from './features/help/api.ts';
import { pathwayApi } from './features/pathway/api.ts';
import { pathwayPages } from './features/pathway/routes.tsx';
import { retentionPages } from './features/retention/routes.tsx';
import { helpPages } from './features/help/routes.tsx';
import { learnPages } from './features/learn/routes.tsx';
import { intakePages } from './features/intake/routes.tsx';
import { mapPages } from './features/map/routes.tsx';
import { screening } from './features/screening/index.ts';
import { opsRoutes } from './features/ops/routes.ts';
import { errorPage, notFoundPage } from './features/ops/errors.tsx';
import { clientAddress, clientAddresses } from './platform/client-address.ts';
import { API_RATE_LIMIT_DEFAULTS, ApiRateLimiter, apiRateLimit } from './platform/rate-limit/index.ts';
import { publicFastPath } from './web/fast-path.ts';
import { publicLanguage, withoutLanguagePrefix } from './web/language.ts';
import { accessLog, rejectNulBytes, requestLog } from './web/http.ts';
import { PolicyRegistry, PUBLIC } from './platform/policy.ts';
import { badRequest } from './platform/problem.ts';
import { securityHeaders } from './platform/security.ts';
import { queueApi } from './features/queue/api.ts';
import { queuePages } from './features/queue/routes.tsx';
import { notificationPages } from './features/notifications/routes.tsx';
import { consentsApi } from './features/consents/api.ts';
import { consentsPages } from './features/consents/routes.tsx';
import { referralsApi } from './features/referrals/api.ts';
import { referralsPages } from './features/referrals/routes.tsx';
import { casePages } from './features/cases/routes.tsx';
import { casesApi } from './features/cases/api.ts';
import { adminPages } from './features/admin/routes.tsx';
import { staffApi } from './features/admin/api.ts';
import { authPages } from './features/accounts/routes.tsx';
import { STAFF_ASSETS_BASE, staffAssets } from './web/staff-assets.ts';
import { accountsApi } from './features/accounts/api.ts';
import { csrfProtection, staffSession } from './web/session.ts';
import { except } from 'hono/combine';
import { sameSiteWrites } from './web/api.ts';
import { safetyPlanPages } from './features/safety-plans/routes.tsx';
import { tasksApi } from './features/tasks/api.ts';
import { tasksPages } from './features/tasks/routes.tsx';
import { transfersPages } from './features/transfers/routes.tsx';
import { stewardshipApi } from './features/stewardship/api.ts';
import { stewardshipPages } from './features/stewardship/routes.tsx';
import { housingApi } from './features/housing/api.ts';
import { housingPages } from './features/housing/routes.tsx';
import { settingsApi, settingsPages } from './features/certified-settings/index.ts';
import { trainingPages } from './features/training/index.ts';
import { trainingReportPages, trainingReportsApi } from './features/training-reports/index.ts';
import { shelterRequestPages } from './features/shelter-requests/routes.tsx';
import { shelterRequestsApi } from './features/shelter-requests/api.ts';
import { housingReportPages } from './features/housing-reports/routes.tsx';
import { evaluationApi, evaluationPages } from './features/evaluation-reports/index.ts';
import { housingReportsApi } from './features/housing-reports/api.ts';
import { eventsPages, eventsPublicPages } from './features/events/index.ts';
import { translationsPages } from './features/translations/index.ts';

export interface BuiltApp {
  app: OpenAPIHono;
  policies: PolicyRegistry;
  /**
   * The public fast path to put ahead of the app on a Node server: `fastPath(listener)` answers
   * prepared public answers itself and passes every other request to `listener` (the app's).
   */
  fastPath: (fallback: RequestListener) => RequestListener;
}

export function createApp(deps: AppDeps): BuiltApp {
  const app = new OpenAPIHono({
    // `/es/navigator` routes as `/navigator`; `publicLanguage` below sets the page's language.
    getPath: withoutLanguagePrefix,
    defaultHook: (result, c) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const field = issue?.path.join('.') || 'request';
        return badRequest(c, field, `${field}: ${issue?.message ?? 'is not valid'}`);
      }
      return undefined;
    },
  });
  const policies = new PolicyRegistry();

  // First: every later part (audit, throttles, limits) reads the client address it decides.
  app.use(clientAddresses(deps.config));
  app.use(securityHeaders({ hsts: deps.config.production }));
  const access = accessLog(deps.log);
  app.use(requestLog(access));
  // Only a client that asks for compression pays for the middleware (and its copy of the response).
  const gzip = compress();
  app.use((c, next) => {
    c.header('Vary', 'Accept-Encoding');
    return c.req.header('Accept-Encoding') ? gzip(c, next) : next();
  });
  // After the headers, the log and compression, so a prefixed address that is not a public page is
  // answered, logged and compressed like any other.
  app.use(publicLanguage());
  app.use(
    rejectNulBytes((c) =>
      c.req.path.startsWith('/api/')
        ? badRequest(
            c,
            'request',
            'The address holds a NUL character (%00), which no field accepts. Remove it and try again.',
          )
        : c.text(
            'The address holds a character (%00) this site does not accept. Go back and try again.',
            400,
          ),
    ),
  );

  // An edit to the geography committed on any instance shows on the next request (one cheap version read).
  const fresh = () =>
    deps.geography.fresh((error) => deps.log.warn({ err: String(error) }, 'could not check reference data'));
  app.use(async (_c, next) => {
    await fresh();
    await next();
  });
  // Staff routes read the session cookie and check CSRF; public routes never touch cookies. The staff
  // design system's files (/staff/assets/…) are the same for everyone: no session lookup for them.
  const staffOnly = except(`${STAFF_ASSETS_BASE}/*`, staffSession(deps), csrfProtection(deps));
  for (const path of ['/staff', '/staff/*']) app.use(path, staffOnly);
  // API writes signed in with the session cookie must come from this site (bearer tokens need not).
  app.use('/api/*', sameSiteWrites(deps));
  // Per token and per address, with RateLimit-* headers; 429 problem+json past the limit. One limiter
  // for the router and the fast path, so they spend the same leased allowances.
  const limits = deps.config.apiRateLimit ?? API_RATE_LIMIT_DEFAULTS;
  const limiter = new ApiRateLimiter(deps.db, limits);
  app.use('/api/v1/*', apiRateLimit({ db: deps.db, limits, address: clientAddress, limiter }));

  for (const feature of [
    opsRoutes,
    helpPages,
    helpApi,
    pathwayApi,
    pathwayPages,
    retentionPages,
    directoryPages,
    directoryApi,
    mapPages,
    learnPages,
    screening,
    intakePages,
    staffAssets,
    authPages,
    adminPages,
    accountsApi,
    staffApi,
    queuePages,
    notificationPages,
    queueApi,
    consentsPages,
    referralsPages,
    consentsApi,
    referralsApi,
    casePages,
    casesApi,
    tasksPages,
    tasksApi,
    transfersPages,
    safetyPlanPages,
    stewardshipPages,
    stewardshipApi,
    housingPages,
    shelterRequestPages,
    housingApi,
    shelterRequestsApi,
    settingsPages,
    settingsApi,
    housingReportPages,
    housingReportsApi,
    eventsPublicPages,
    eventsPages,
    trainingReportPages,
    trainingReportsApi,
    evaluationPages,
    evaluationApi,
    trainingPages,
    translationsPages,
  ]) {
    feature(app, deps, policies);
  }

  const openApiPath = '/api/openapi.json';
  policies.declare('GET', openApiPath, PUBLIC);
  app.doc31(openApiPath, {
    openapi: '3.1.0',
    info: {
      title: 'No Wrong Door API',
      version: '1.0.0',
      description:
        'Minnesota Safe Harbor / No Wrong Door: who to call for a place, and the directory of services (Open Referral HSDS 3.1). Errors are application/problem+json.',
      license: { name: 'AGPL-3.0-or-later', url: 'https://www.gnu.org/licenses/agpl-3.0.html' },
    },
    servers: [{ url: '/' }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token from `nwd tokens create`.',
  });

  app.notFound((c) => notFoundPage(c, deps));
  app.onError((error, c) => errorPage(c, deps, error));

  const fastPath = publicFastPath({
    routes: [navigatorFastRoute(deps)],
    fresh,
    limiter,
    trustedProxies: deps.config.trustedProxies,
    trustedProxyHeader: deps.config.trustedProxyHeader,
    hsts: deps.config.production,
    log: access,
  });
  return { app, policies, fastPath };
}
