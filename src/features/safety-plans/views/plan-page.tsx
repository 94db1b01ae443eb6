/**
 * The safety plan's tab `/staff/cases/:id/safety-plan`: the plan as it stands, the form pre-filled with
 * the latest version, every earlier version.
 */
import type { FC } from 'hono/jsx';
import type { Line } from '../../help/index.ts';
import { Time, type FieldError, type StaffView } from '../../../web/page.tsx';
import { CsrfField, StaffLayout } from '../../../web/staff-layout.tsx';
import { HintedGroup, Input, Ticks } from '../../../web/forms.tsx';
import { Actions, Button, DataTable, Panel, SrOnly, SummaryList } from '../../../web/ui.tsx';
import { CaseTabTop } from '../../cases/index.ts';
import { formOf, lineWords, rows, type PlanForm } from '../rules.ts';
import { EMPTY_PLAN, SAFETY_PLAN_LIMITS, type SafetyPlanContent } from '../schema.ts';
import type { CaseSafetyPlan } from '../service.ts';

/** A list, or the words for none. */
const Items: FC<{ items: string[]; none: string }> = ({ items, none }) =>
  items.length ? (
    <ul class="usa-list margin-0">
      {items.map((s) => (
        <li>{s}</li>
      ))}
    </ul>
  ) : (
    <>{none}</>
  );

const PlanView: FC<{ plan: SafetyPlanContent; packLines: Line[] }> = ({ plan, packLines }) => {
  const lines = [
    ...plan.lines.map((id) => {
      const line = packLines.find((l) => l.id === id);
      return line ? lineWords(line) : 'A line no longer offered';
    }),
    ...plan.customLines.map((l) => `${l.name}: ${l.phone}`),
  ];
  return (
    <div id="plan">
      <SummaryList
        label="The safety plan"
        rows={[
          ['Warning signs', <Items items={plan.warningSigns} none="None written" />],
          [
            'Safe people',
            <Items items={plan.safePeople.map((p) => `${p.name}: ${p.contact}`)} none="None written" />,
          ],
          ['Safe places', <Items items={plan.safePlaces} none="None written" />],
          ['Code word', plan.codeWord ?? 'None'],
          ['What to do in danger', plan.inDanger ?? 'Not written'],
          ['Lines to call', <Items items={lines} none="None chosen" />],
        ]}
      />
    </div>
  );
};

/** A one-line field of the plan (browsers offer no earlier entries). */
const Field: FC<Omit<Parameters<typeof Input>[0], 'autocomplete'>> = (p) => (
  <Input {...p} autocomplete="off" />
);

/** The plan's multi-line fields: their label, hint and height. */
const LINES = {
  warningSigns: {
    label: 'Warning signs',
    hint: `What tells them things are getting unsafe. One per line, up to ${SAFETY_PLAN_LIMITS.warningSigns}.`,
    rows: 4,
  },
  safePlaces: {
    label: 'Safe places',
    hint: `Where they can go to be safe. One per line, up to ${SAFETY_PLAN_LIMITS.safePlaces}.`,
    rows: 3,
  },
  inDanger: {
    label: 'What to do in danger',
    hint: 'Their steps when they are in danger, for example where to go and who to call first.',
    rows: 4,
    maxlength: 2000,
  },
} as const;

/** A multi-line field with its label and hint. */
const Lines: FC<{ id: keyof typeof LINES; value: string }> = ({ id, value }) => {
  const p: { label: string; hint: string; rows: number; maxlength?: number } = LINES[id];
  return (
    <HintedGroup id={id} label={p.label} hint={p.hint}>
      <textarea
        class="usa-textarea"
        id={id}
        name={id}
        rows={p.rows}
        maxlength={p.maxlength}
        aria-describedby={`${id}-hint`}
      >
        {value}
      </textarea>
    </HintedGroup>
  );
};

export const PlanFormView: FC<{ caseId: string; csrf: string; values: PlanForm; packLines: Line[] }> = ({
  caseId,
  csrf,
  values,
  packLines,
}) => {
  const people = rows(values.safePeople, { name: '', contact: '' }, SAFETY_PLAN_LIMITS.safePeople, 2, 3);
  const custom = rows(values.customLines, { name: '', phone: '' }, SAFETY_PLAN_LIMITS.customLines, 1, 2);
  return (
    <form
      method="post"
      action={`/staff/cases/${caseId}/safety-plan`}
      aria-labelledby="edit-h"
      novalidate
      class="usa-form usa-form--large"
    >
      <h2 id="edit-h">Change the plan</h2>
      <p class="usa-hint">
        Write it with the young person, in their words. Saving keeps the earlier versions. Everything is kept
        encrypted.
      </p>
      <CsrfField token={csrf} />
      <Lines id="warningSigns" value={values.warningSigns} />
      <fieldset class="usa-fieldset margin-top-3">
        <legend class="usa-legend">Safe people: who they can reach, and how</legend>
        {people.map((p, i) => (
          <div class="nwd-pair">
            <Field
              id={`safePeople-${i}-name`}
              label={`Person ${i + 1}: name`}
              maxlength={100}
              value={p.name}
            />
            <Field
              id={`safePeople-${i}-contact`}
              label={`Person ${i + 1}: how to reach them`}
              maxlength={200}
              value={p.contact}
            />
          </div>
        ))}
      </fieldset>
      <Lines id="safePlaces" value={values.safePlaces} />
      <Field
        id="codeWord"
        label="Code word"
        hint="A word that tells a safe person “I need help” without saying it."
        maxlength={100}
        value={values.codeWord}
      />
      <Lines id="inDanger" value={values.inDanger} />
      <fieldset class="usa-fieldset margin-top-3" id="lines">
        <legend class="usa-legend">Lines to call or text</legend>
        <Ticks
          type="checkbox"
          name="lines"
          options={packLines.map((line) => ({ value: line.id, label: lineWords(line) }))}
          checked={(id) => values.lines.includes(id)}
          idOf={(id) => `line-${id}`}
        />
      </fieldset>
      <fieldset class="usa-fieldset margin-top-3">
        <legend class="usa-legend">Other numbers (a counselor, a shelter)</legend>
        {custom.map((l, i) => (
          <div class="nwd-pair">
            <Field
              id={`customLines-${i}-name`}
              label={`Number ${i + 1}: who it is`}
              maxlength={100}
              value={l.name}
            />
            <Field
              id={`customLines-${i}-phone`}
              label={`Number ${i + 1}: phone`}
              type="tel"
              maxlength={30}
              value={l.phone}
            />
          </div>
        ))}
      </fieldset>
      <Actions>
        <Button>Save a new version</Button>
      </Actions>
    </form>
  );
};

export const PlanPage: FC<
  StaffView & {
    plan: CaseSafetyPlan;
    writable: boolean;
    region: string;
    errors: FieldError[];
    values: PlanForm | null;
    saved: string | null;
  }
> = ({ deps, frame, actor, plan, writable, region, errors, values, saved }) => {
  const caseId = plan.case.id;
  const packLines = deps.geography.get().lines;
  const current = plan.current;
  const latest = current !== null && current.version === plan.latestVersion;
  return (
    <StaffLayout frame={frame} title="Safety plan">
      <CaseTabTop
        view={{ ...plan, regionName: region }}
        current="safety-plan"
        errors={errors}
        message={saved}
      />
      {current ? (
        <Panel
          id="current-h"
          heading={latest ? 'The plan now' : `Version ${current.version} (an earlier version)`}
        >
          <p>
            Version {current.version}, saved <Time deps={deps} at={current.createdAt} /> by{' '}
            {current.createdBy.id === actor.userId ? 'you' : current.createdBy.name}.
          </p>
          <PlanView plan={current.content} packLines={packLines} />
          <Actions>
            <a
              class="usa-button usa-button--outline"
              href={`/staff/cases/${caseId}/safety-plan/print${latest ? '' : `?version=${current.version}`}`}
            >
              Printable copy for the young person
              {latest ? '' : <SrOnly> (version {current.version})</SrOnly>}
            </a>
            {latest ? null : <a href={`/staff/cases/${caseId}/safety-plan`}>Go to the latest version</a>}
          </Actions>
        </Panel>
      ) : (
        <p>There is no safety plan yet. Make one together: what to watch for, who to reach, where to go.</p>
      )}
      {writable && (latest || !current) ? (
        <div class="nwd-panel">
          <PlanFormView
            caseId={caseId}
            csrf={frame.csrf}
            values={values ?? formOf(current?.content ?? EMPTY_PLAN)}
            packLines={packLines}
          />
        </div>
      ) : null}
      {plan.versions.length ? (
        <DataTable
          label="Every version of the plan"
          caption="Every version, newest first"
          head={['Version', 'Saved', 'By']}
          id="versions"
        >
          {plan.versions.map((v) => (
            <tr>
              <th scope="row">
                {v.version === current?.version ? (
                  `${v.version} (shown)`
                ) : (
                  <a href={`/staff/cases/${caseId}/safety-plan?version=${v.version}`}>
                    <SrOnly>See version </SrOnly>
                    {v.version}
                  </a>
                )}
              </th>
              <td>
                <Time deps={deps} at={v.createdAt} show="date-time" />
              </td>
              <td>{v.createdBy.id === actor.userId ? 'You' : v.createdBy.name}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </StaffLayout>
  );
};
