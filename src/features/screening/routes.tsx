/**
 * Administration of screening instruments (`instruments.manage`, state administrators): the list, with
 * the one `/identify` uses; loading another instrument as JSON (pasted or as a file), checked with every
 * problem named; a view of its questions and mappings; publishing and retiring. Each change is audited.
 */
import type { Context } from 'hono';
import type { Feature } from '../../app-types.ts';
import { staffAction } from '../../platform/policy.ts';
import { renderPage } from '../../web/http.ts';
import { messagePage, type FieldError, type Guarded } from '../../web/page.tsx';
import { router } from '../../web/route.ts';
import { requestOrigin } from '../../web/session.ts';
import { INSTRUMENT_ID, INSTRUMENT_VERSION } from './schema.ts';
import {
  changeInstrumentStatus,
  InstrumentError,
  loadInstrument,
  type InstrumentCatalogue,
} from './service.ts';
import { InstrumentView, INSTRUMENTS_PATH as BASE, ListView } from './views/admin.tsx';

const DONE: Record<string, string> = {
  loaded: 'The instrument was checked and loaded. It is not used until you choose "Use this one".',
  already: 'This exact instrument was already loaded: nothing changed.',
  publish: 'The public questions (/identify) now use this instrument.',
  retire:
    'The instrument is retired and can no longer be used. If it was in use, /identify uses the shipped checklist again.',
};

const OPTIONS = { refusal: 'Only a state administrator can manage screening instruments.' };

const notFound = (c: Context, g: Guarded) =>
  messagePage(c, g.frame, 404, 'Instrument not found', 'There is no instrument with that id and version.', {
    href: BASE,
    text: 'Back to screening instruments',
  });

/** The instrument a path names, when its id and version are well formed. */
function keyOf(c: Context): { id: string; version: string } | null {
  const id = c.req.param('id') ?? '';
  const version = c.req.param('version') ?? '';
  return INSTRUMENT_ID.test(id) && INSTRUMENT_VERSION.test(version) ? { id, version } : null;
}

async function listPage(
  c: Context,
  g: Guarded,
  catalogue: InstrumentCatalogue,
  state: { errors: FieldError[]; pasted: string; status: 200 | 400 },
): Promise<Response> {
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

/** Registers `/staff/admin/instruments` and its pages. */
export function instrumentAdminRoutes(catalogue: InstrumentCatalogue): Feature {
  return (app, deps, policies) => {
    const r = router(app, deps, policies);
    const manage = staffAction('instruments.manage');

    r.staff(
      'get',
      BASE,
      manage,
      (c, g) => listPage(c, g, catalogue, { errors: [], pasted: '', status: 200 }),
      OPTIONS,
    );

    r.staff(
      'post',
      BASE,
      manage,
      async (c, g) => {
        const form = (await c.req.parseBody().catch(() => ({}))) as Record<string, unknown>;
        const file = form.file;
        const pasted = typeof form.definition === 'string' ? form.definition : '';
        const fromFile = file instanceof File && file.size > 0;
        const text = fromFile ? await file.text() : pasted;
        const field = fromFile ? 'file' : 'definition';
        try {
          const { already } = await loadInstrument(catalogue, g.actor, text, requestOrigin(c));
          return c.redirect(`${BASE}?done=${already ? 'already' : 'loaded'}`, 303);
        } catch (error) {
          if (!(error instanceof InstrumentError) || error.code === 'forbidden') throw error;
          const errors = error.problems.map((message) => ({ field, message }));
          // Keep what was pasted so it can be corrected (a file is chosen again).
          return listPage(c, g, catalogue, {
            errors,
            pasted: fromFile ? '' : pasted.slice(0, 600_000),
            status: 400,
          });
        }
      },
      OPTIONS,
    );

    r.staff(
      'get',
      `${BASE}/:id/:version`,
      manage,
      async (c, g) => {
        const key = keyOf(c);
        const found = key ? await catalogue.byKey(key.id, key.version) : null;
        if (!found) return notFound(c, g);
        return renderPage(
          c,
          <InstrumentView frame={g.frame} instrument={found.instrument} summary={found.summary} />,
        );
      },
      OPTIONS,
    );

    for (const change of ['publish', 'retire'] as const) {
      r.staff(
        'post',
        `${BASE}/:id/:version/${change}`,
        manage,
        async (c, g) => {
          const key = keyOf(c);
          if (!key) return notFound(c, g);
          try {
            await changeInstrumentStatus(catalogue, g.actor, key.id, key.version, change, requestOrigin(c));
            return c.redirect(`${BASE}?done=${change}`, 303);
          } catch (error) {
            if (!(error instanceof InstrumentError) || error.code === 'forbidden') throw error;
            if (error.code === 'not_found') return notFound(c, g);
            return listPage(c, g, catalogue, {
              errors: [{ field: 'load-h', message: error.message }],
              pasted: '',
              status: 400,
            });
          }
        },
        OPTIONS,
      );
    }
  };
}
