/**
 * Administration of screening instruments (`instruments.manage`, state administrators): the list, with
 * the one `/identify` uses; loading another instrument as JSON (pasted or as a file), checked with every
 * problem named; a view of its questions and mappings; publishing and retiring. Each change is audited.
 */
import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { App, AppDeps } from '../../app-types.ts';
import { can } from '../../platform/access.ts';
import { renderPage } from '../../web/http.ts';
import { staffAction, type PolicyRegistry } from '../../platform/policy.ts';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../web/staff-layout.tsx';
import { Success, guardStaffPage, messagePage, type FieldError } from '../../web/page.tsx';
import { requestOrigin } from '../../web/session.ts';
import { YES_NO_LABELS, YES_NO_UNKNOWN_LABELS } from './rules.ts';
import { INSTRUMENT_ID, INSTRUMENT_VERSION, type Instrument, type Item, type Mapping } from './schema.ts';
import {
  changeInstrumentStatus,
  InstrumentError,
  loadInstrument,
  type InstrumentCatalogue,
  type InstrumentSummary,
} from './service.ts';

const BASE = '/staff/admin/instruments';
const ADMIN_CSS = 'textarea{font:.9rem/1.4 ui-monospace,monospace;width:100%;min-height:12rem;padding:.5rem}';

const DONE: Record<string, string> = {
  loaded: 'The instrument was checked and loaded. It is not used until you choose "Use this one".',
  already: 'This exact instrument was already loaded: nothing changed.',
  publish: 'The public questions (/identify) now use this instrument.',
  retire:
    'The instrument is retired and can no longer be used. If it was in use, /identify uses the shipped checklist again.',
};

const STATUS: Record<InstrumentSummary['status'], string> = {
  shipped: 'Shipped, always available',
  loaded: 'Loaded',
  published: 'Published',
  retired: 'Retired',
};

const guard = (c: Context, deps: AppDeps) =>
  guardStaffPage(
    c,
    deps,
    (actor) => can(actor, 'instruments.manage'),
    'Only a state administrator can manage screening instruments.',
  );

const notFound = (c: Context, frame: StaffFrame) =>
  messagePage(c, frame, 404, 'Instrument not found', 'There is no instrument with that id and version.', {
    href: BASE,
    text: 'Back to screening instruments',
  });

const path = (s: { id: string; version: string }) =>
  `${BASE}/${encodeURIComponent(s.id)}/${encodeURIComponent(s.version)}`;

const ListView: FC<{
  frame: StaffFrame;
  list: InstrumentSummary[];
  errors: FieldError[];
  pasted: string;
  done: string | null;
}> = ({ frame, list, errors, pasted, done }) => (
  <StaffLayout frame={frame} title="Screening instruments">
    <style nonce={frame.nonce} dangerouslySetInnerHTML={{ __html: ADMIN_CSS }} />
    <ErrorSummary errors={errors} />
    <Success message={done} />
    <p>
      The public guided questions at <a href="/identify">/identify</a> use the instrument marked "in use". The
      shipped Safe Harbor indicators checklist is always available; it is not a validated instrument. Load
      another only if your agency is licensed to use it.
    </p>
    <table tabindex={0}>
      <caption>Instruments</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Version</th>
          <th scope="col">Validated</th>
          <th scope="col">Status</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {list.map((s) => (
          <tr>
            <th scope="row">
              <a href={path(s)}>{s.name}</a>
              <br />
              <code>{s.id}</code>
            </th>
            <td>{s.version}</td>
            <td>{s.validated ? 'Yes' : 'No'}</td>
            <td>
              {STATUS[s.status]}
              {s.inUse ? <strong> · in use</strong> : null}
            </td>
            <td>
              {s.inUse || s.status === 'retired' || (s.status === 'shipped' && list[0] !== s) ? null : (
                <form method="post" action={`${path(s)}/publish`}>
                  <CsrfField token={frame.csrf} />
                  <button type="submit" class="btn alt">
                    Use this one
                    <span class="skip">
                      {' '}
                      ({s.name} {s.version})
                    </span>
                  </button>
                </form>
              )}
              {s.status === 'loaded' || s.status === 'published' ? (
                <form method="post" action={`${path(s)}/retire`}>
                  <CsrfField token={frame.csrf} />
                  <button type="submit" class="btn alt">
                    Retire
                    <span class="skip">
                      {' '}
                      ({s.name} {s.version})
                    </span>
                  </button>
                </form>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>

    <h2 id="load-h">Load an instrument</h2>
    <p>
      Write the instrument as JSON in the format described in <code>docs/screening.md</code> (the shipped
      checklist, <code>data/mn/instruments/safe-harbor-indicators.json</code>, is an example). It is checked
      first: every question needs plain-language text, and every answer may only set facts and risk factors
      the pathway knows. A loaded instrument is kept as it is, under its id and version, and is not used until
      you choose it.
    </p>
    <form method="post" action={BASE} enctype="multipart/form-data" aria-labelledby="load-h" novalidate>
      <CsrfField token={frame.csrf} />
      <label for="file">Choose a JSON file</label>
      <input id="file" name="file" type="file" accept=".json,application/json" />
      <label for="definition">Or paste the JSON</label>
      <textarea id="definition" name="definition" spellcheck={false} autocomplete="off">
        {pasted}
      </textarea>
      <p>
        <button type="submit">Check and load</button>
      </p>
    </form>
  </StaffLayout>
);

async function listPage(
  c: Context,
  deps: AppDeps,
  catalogue: InstrumentCatalogue,
  state: { errors: FieldError[]; pasted: string; status: 200 | 400 },
): Promise<Response> {
  const g = await guard(c, deps);
  if (g instanceof Response) return g;
  const done = state.status === 200 ? (DONE[c.req.query('done') ?? ''] ?? null) : null;
  return renderPage(
    c,
    <ListView
      frame={g.frame}
      list={await catalogue.list()}
      errors={state.errors}
      pasted={state.pasted}
      done={done}
    />,
    state.status,
  );
}

async function loadAction(c: Context, deps: AppDeps, catalogue: InstrumentCatalogue): Promise<Response> {
  const g = await guard(c, deps);
  if (g instanceof Response) return g;
  const form = (await c.req.parseBody().catch(() => ({}))) as Record<string, unknown>;
  const file = form.file;
  const pasted = typeof form.definition === 'string' ? form.definition : '';
  const fromFile = file instanceof File && file.size > 0;
  const text = fromFile ? await file.text() : pasted;
  const field = fromFile ? 'file' : 'definition';
  try {
    const { already } = await loadInstrument(catalogue, g.session.actor, text, requestOrigin(c));
    return c.redirect(`${BASE}?done=${already ? 'already' : 'loaded'}`, 303);
  } catch (error) {
    if (!(error instanceof InstrumentError)) throw error;
    const errors = error.problems.map((message) => ({ field, message }));
    // Keep what was pasted so it can be corrected (a file is chosen again).
    return listPage(c, deps, catalogue, {
      errors,
      pasted: fromFile ? '' : pasted.slice(0, 600_000),
      status: 400,
    });
  }
}

function mappingText(map: Mapping | undefined): string {
  if (!map) return 'nothing';
  const parts = [
    ...Object.entries(map.facts ?? {}).map(([k, v]) => `${k} = ${String(v)}`),
    ...(map.riskFactors ?? []).map((r) => `risk factor ${r}`),
  ];
  return parts.length ? parts.join(', ') : 'nothing';
}

function answerRows(item: Item): { answer: string; sets: string }[] {
  const a = item.answer;
  switch (a.type) {
    case 'yes_no_unknown':
      return Object.entries(YES_NO_UNKNOWN_LABELS).map(([k, label]) => ({
        answer: label,
        sets: mappingText(a.map?.[k as 'yes']),
      }));
    case 'boolean':
      return Object.entries(YES_NO_LABELS).map(([k, label]) => ({
        answer: label,
        sets: mappingText(a.map?.[k as 'yes']),
      }));
    case 'single_choice':
    case 'multi_choice':
      return a.options.map((o) => ({ answer: o.label, sets: mappingText(o.map) }));
    case 'number':
      return [
        {
          answer: `A whole number from ${a.min} to ${a.max}${a.unit ? ` ${a.unit}` : ''}`,
          sets: a.fact ? `${a.fact} = the number` : 'nothing',
        },
        ...(a.ranges ?? []).map((r) => ({
          answer: `From ${r.min ?? 'any'} to ${r.max ?? 'any'}`,
          sets: mappingText(r.map),
        })),
      ];
    case 'county':
      return [{ answer: 'A county (or a ZIP code)', sets: 'county = its FIPS code' }];
  }
}

const TYPE_NAMES: Record<Item['answer']['type'], string> = {
  yes_no_unknown: 'Yes, No or Not sure',
  boolean: 'Yes or No',
  single_choice: 'One choice',
  multi_choice: 'Any of the choices',
  number: 'A number',
  county: 'A county',
};

const InstrumentView: FC<{ frame: StaffFrame; instrument: Instrument; summary: InstrumentSummary }> = ({
  frame,
  instrument: i,
  summary,
}) => (
  <StaffLayout frame={frame} title={i.name}>
    <table tabindex={0}>
      <caption>About this instrument</caption>
      <tbody>
        <tr>
          <th scope="row">Id and version</th>
          <td>
            <code>{i.id}</code> {i.version}
          </td>
        </tr>
        <tr>
          <th scope="row">Status</th>
          <td>
            {STATUS[summary.status]}
            {summary.inUse ? ' · in use by /identify' : ''}
          </td>
        </tr>
        <tr>
          <th scope="row">Validated</th>
          <td>{i.validated ? 'Yes' : 'No: shown to people as not a validated instrument'}</td>
        </tr>
        <tr>
          <th scope="row">Description</th>
          <td>{i.description}</td>
        </tr>
        <tr>
          <th scope="row">Licence</th>
          <td>{i.licence}</td>
        </tr>
        <tr>
          <th scope="row">Source</th>
          <td>
            {i.source} (retrieved {i.retrieved}; {i.verified ? 'verified' : 'not verified'})
          </td>
        </tr>
        {i.note ? (
          <tr>
            <th scope="row">Note</th>
            <td>{i.note}</td>
          </tr>
        ) : null}
      </tbody>
    </table>
    {i.groups.map((g, n) => (
      <section aria-labelledby={`g-${g.id}`}>
        <h2 id={`g-${g.id}`}>
          Page {n + 1}: {g.title}
        </h2>
        {g.intro ? <p>{g.intro}</p> : null}
        {g.items.map((item) => (
          <div class="card">
            <h3>{item.question}</h3>
            {item.help ? <p class="hint">{item.help}</p> : null}
            <p>
              <code>{item.id}</code> · {TYPE_NAMES[item.answer.type]} ·{' '}
              {item.required ? 'required' : 'optional'}
            </p>
            <table tabindex={0}>
              <caption>What each answer tells the pathway</caption>
              <thead>
                <tr>
                  <th scope="col">Answer</th>
                  <th scope="col">Sets</th>
                </tr>
              </thead>
              <tbody>
                {answerRows(item).map((r) => (
                  <tr>
                    <td>{r.answer}</td>
                    <td>{r.sets}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </section>
    ))}
    <p>
      <a href={BASE}>Back to screening instruments</a>
    </p>
  </StaffLayout>
);

const validKey = (id: string, version: string) => INSTRUMENT_ID.test(id) && INSTRUMENT_VERSION.test(version);

async function viewPage(c: Context, deps: AppDeps, catalogue: InstrumentCatalogue): Promise<Response> {
  const g = await guard(c, deps);
  if (g instanceof Response) return g;
  const id = c.req.param('id') ?? '';
  const version = c.req.param('version') ?? '';
  const found = validKey(id, version) ? await catalogue.byKey(id, version) : null;
  if (!found) return notFound(c, g.frame);
  return renderPage(
    c,
    <InstrumentView frame={g.frame} instrument={found.instrument} summary={found.summary} />,
  );
}

async function statusAction(
  c: Context,
  deps: AppDeps,
  catalogue: InstrumentCatalogue,
  change: 'publish' | 'retire',
): Promise<Response> {
  const g = await guard(c, deps);
  if (g instanceof Response) return g;
  const id = c.req.param('id') ?? '';
  const version = c.req.param('version') ?? '';
  if (!validKey(id, version)) return notFound(c, g.frame);
  try {
    await changeInstrumentStatus(catalogue, g.session.actor, id, version, change, requestOrigin(c));
    return c.redirect(`${BASE}?done=${change}`, 303);
  } catch (error) {
    if (!(error instanceof InstrumentError)) throw error;
    if (error.code === 'not_found') return notFound(c, g.frame);
    return listPage(c, deps, catalogue, {
      errors: [{ field: 'load-h', message: error.message }],
      pasted: '',
      status: 400,
    });
  }
}

export function instrumentAdminPages(
  app: App,
  deps: AppDeps,
  policies: PolicyRegistry,
  catalogue: InstrumentCatalogue,
): void {
  const manage = staffAction('instruments.manage');
  policies.declare('GET', BASE, manage);
  policies.declare('POST', BASE, manage);
  policies.declare('GET', `${BASE}/:id/:version`, manage);
  policies.declare('POST', `${BASE}/:id/:version/publish`, manage);
  policies.declare('POST', `${BASE}/:id/:version/retire`, manage);
  app.get(BASE, (c) => listPage(c, deps, catalogue, { errors: [], pasted: '', status: 200 }));
  app.post(BASE, (c) => loadAction(c, deps, catalogue));
  app.get(`${BASE}/:id/:version`, (c) => viewPage(c, deps, catalogue));
  app.post(`${BASE}/:id/:version/publish`, (c) => statusAction(c, deps, catalogue, 'publish'));
  app.post(`${BASE}/:id/:version/retire`, (c) => statusAction(c, deps, catalogue, 'retire'));
}
