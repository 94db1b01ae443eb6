/**
 * The administration pages of screening instruments: the list (with the form that loads another) and
 * one instrument's questions with what each answer tells the pathway.
 */
import type { FC } from 'hono/jsx';
import type { FieldError } from '../../../web/page.tsx';
import { Success } from '../../../web/page.tsx';
import { Actions, Button, DataTable, Panel, SrOnly, SummaryList } from '../../../web/ui.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { YES_NO_LABELS, YES_NO_UNKNOWN_LABELS } from '../rules.ts';
import type { Instrument, Item, Mapping } from '../schema.ts';
import type { InstrumentSummary } from '../service.ts';

export const INSTRUMENTS_PATH = '/staff/admin/instruments';

const ADMIN_CSS = '#definition{font:.9rem/1.4 ui-monospace,monospace;min-height:12rem}';

export const instrumentPath = (s: { id: string; version: string }) =>
  `${INSTRUMENTS_PATH}/${encodeURIComponent(s.id)}/${encodeURIComponent(s.version)}`;

const STATUS: Record<InstrumentSummary['status'], string> = {
  shipped: 'Shipped, always available',
  loaded: 'Loaded',
  published: 'Published',
  retired: 'Retired',
};

/** A one-button form that publishes or retires an instrument. */
const StatusButton: FC<{
  frame: StaffFrame;
  s: InstrumentSummary;
  change: 'publish' | 'retire';
  label: string;
}> = ({ frame, s, change, label }) => (
  <form method="post" action={`${instrumentPath(s)}/${change}`}>
    <CsrfField token={frame.csrf} />
    <Button variant="outline">
      {label}
      <SrOnly>
        {' '}
        ({s.name} {s.version})
      </SrOnly>
    </Button>
  </form>
);

export const ListView: FC<{
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
    <DataTable
      label="Instruments"
      caption="Instruments"
      head={['Name', 'Version', 'Validated', 'Status', 'Change']}
    >
      {list.map((s) => (
        <tr>
          <th scope="row">
            <a href={instrumentPath(s)}>{s.name}</a>
          </th>
          <td>{s.version}</td>
          <td>{s.validated ? 'Yes' : 'No'}</td>
          <td>
            {STATUS[s.status]}
            {s.inUse ? <strong> · in use</strong> : null}
          </td>
          <td>
            <Actions>
              {s.inUse || s.status === 'retired' || (s.status === 'shipped' && list[0] !== s) ? null : (
                <StatusButton frame={frame} s={s} change="publish" label="Use this one" />
              )}
              {s.status === 'loaded' || s.status === 'published' ? (
                <StatusButton frame={frame} s={s} change="retire" label="Retire" />
              ) : null}
            </Actions>
          </td>
        </tr>
      ))}
    </DataTable>

    <h2 id="load-h">Load an instrument</h2>
    <p>
      Write the instrument as JSON in the format described in <code>docs/screening.md</code> (the shipped
      checklist, <code>data/mn/instruments/safe-harbor-indicators.json</code>, is an example). It is checked
      first: every question needs plain-language text, and every answer may only set facts and risk factors
      the pathway knows. A loaded instrument is kept as it is, under its id and version, and is not used until
      you choose it.
    </p>
    <form
      method="post"
      action={INSTRUMENTS_PATH}
      enctype="multipart/form-data"
      aria-labelledby="load-h"
      novalidate
      class="usa-form"
    >
      <CsrfField token={frame.csrf} />
      <div class="usa-form-group">
        <label class="usa-label" for="file">
          Choose a JSON file
        </label>
        <input class="usa-file-input" id="file" name="file" type="file" accept=".json,application/json" />
      </div>
      <div class="usa-form-group">
        <label class="usa-label" for="definition">
          Or paste the JSON
        </label>
        <textarea
          class="usa-textarea"
          id="definition"
          name="definition"
          spellcheck={false}
          autocomplete="off"
        >
          {pasted}
        </textarea>
      </div>
      <Button>Check and load</Button>
    </form>
  </StaffLayout>
);

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

export const InstrumentView: FC<{
  frame: StaffFrame;
  instrument: Instrument;
  summary: InstrumentSummary;
}> = ({ frame, instrument: i, summary }) => (
  <StaffLayout frame={frame} title={i.name}>
    <SummaryList
      label="About this instrument"
      rows={[
        ['Id and version', `${i.id} ${i.version}`],
        [
          'Status',
          `${STATUS[summary.status]}${summary.inUse ? ' · in use by the public guided questions' : ''}`,
        ],
        ['Validated', i.validated ? 'Yes' : 'No: shown to people as not a validated instrument'],
        ['Description', i.description],
        ['License', i.licence],
        ['Source', `${i.source} (retrieved ${i.retrieved}; ${i.verified ? 'verified' : 'not verified'})`],
        i.note ? ['Note', i.note] : null,
      ]}
    />
    {i.groups.map((g, n) => (
      <section aria-labelledby={`g-${g.id}`}>
        <h2 id={`g-${g.id}`}>
          Page {n + 1}: {g.title}
        </h2>
        {g.intro ? <p>{g.intro}</p> : null}
        {g.items.map((item) => (
          <Panel id={`q-${item.id}`} heading={item.question}>
            {item.help ? <p class="usa-hint">{item.help}</p> : null}
            <p>
              {TYPE_NAMES[item.answer.type]} · {item.required ? 'required' : 'optional'}
            </p>
            <DataTable
              label={`What each answer to "${item.question}" tells the pathway`}
              caption="What each answer tells the pathway"
              head={['Answer', 'Sets']}
            >
              {answerRows(item).map((r) => (
                <tr>
                  <td>{r.answer}</td>
                  <td>{r.sets}</td>
                </tr>
              ))}
            </DataTable>
          </Panel>
        ))}
      </section>
    ))}
    <p>
      <a href={INSTRUMENTS_PATH}>Back to screening instruments</a>
    </p>
  </StaffLayout>
);
