/**
 * The safety plan's tab `/staff/cases/:id/safety-plan`: the plan as it stands, the form pre-filled with
 * the latest version, every earlier version.
 */
import type { FC } from 'hono/jsx';
import type { Line } from '../../help/index.ts';
import { Success, Time, type FieldError, type StaffView } from '../../../web/page.tsx';
import { CsrfField, ErrorSummary, StaffLayout } from '../../../web/staff-layout.tsx';
import { Actions, Button, DataTable, Panel, SrOnly, SummaryList } from '../../../web/ui.tsx';
import { CaseHeading } from '../../cases/index.ts';
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

/** A text input with its label (the staff look), for the rows of people and numbers. */
const Input: FC<{ id: string; label: string; value: string; maxlength: number; type?: 'text' | 'tel' }> = (
  p,
) => (
  <div class="usa-form-group">
    <label class="usa-label" for={p.id}>
      {p.label}
    </label>
    <input
      class="usa-input"
      id={p.id}
      name={p.id}
      type={p.type ?? 'text'}
      maxlength={p.maxlength}
      value={p.value}
      autocomplete="off"
    />
  </div>
);

/** A multi-line field with its label and hint. */
const Lines: FC<{
  id: string;
  label: string;
  hint: string;
  rows: number;
  value: string;
  maxlength?: number;
}> = (p) => (
  <div class="usa-form-group">
    <label class="usa-label" for={p.id}>
      {p.label}
    </label>
    <div class="usa-hint" id={`${p.id}-hint`}>
      {p.hint}
    </div>
    <textarea
      class="usa-textarea"
      id={p.id}
      name={p.id}
      rows={p.rows}
      maxlength={p.maxlength}
      aria-describedby={`${p.id}-hint`}
    >
      {p.value}
    </textarea>
  </div>
);

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
      <Lines
        id="warningSigns"
        label="Warning signs"
        hint={`What tells them things are getting unsafe. One per line, up to ${SAFETY_PLAN_LIMITS.warningSigns}.`}
        rows={4}
        value={values.warningSigns}
      />
      <fieldset class="usa-fieldset margin-top-3">
        <legend class="usa-legend">Safe people: who they can reach, and how</legend>
        {people.map((p, i) => (
          <div class="nwd-pair">
            <Input
              id={`safePeople-${i}-name`}
              label={`Person ${i + 1}: name`}
              maxlength={100}
              value={p.name}
            />
            <Input
              id={`safePeople-${i}-contact`}
              label={`Person ${i + 1}: how to reach them`}
              maxlength={200}
              value={p.contact}
            />
          </div>
        ))}
      </fieldset>
      <Lines
        id="safePlaces"
        label="Safe places"
        hint={`Where they can go to be safe. One per line, up to ${SAFETY_PLAN_LIMITS.safePlaces}.`}
        rows={3}
        value={values.safePlaces}
      />
      <div class="usa-form-group">
        <label class="usa-label" for="codeWord">
          Code word
        </label>
        <div class="usa-hint" id="codeWord-hint">
          A word that tells a safe person “I need help” without saying it.
        </div>
        <input
          class="usa-input"
          id="codeWord"
          name="codeWord"
          type="text"
          maxlength={100}
          value={values.codeWord}
          aria-describedby="codeWord-hint"
          autocomplete="off"
        />
      </div>
      <Lines
        id="inDanger"
        label="What to do in danger"
        hint="Their steps when they are in danger, for example where to go and who to call first."
        rows={4}
        maxlength={2000}
        value={values.inDanger}
      />
      <fieldset class="usa-fieldset margin-top-3" id="lines">
        <legend class="usa-legend">Lines to call or text</legend>
        {packLines.map((line) => (
          <div class="usa-checkbox">
            <input
              class="usa-checkbox__input"
              type="checkbox"
              id={`line-${line.id}`}
              name="lines"
              value={line.id}
              checked={values.lines.includes(line.id)}
            />
            <label class="usa-checkbox__label" for={`line-${line.id}`}>
              {lineWords(line)}
            </label>
          </div>
        ))}
      </fieldset>
      <fieldset class="usa-fieldset margin-top-3">
        <legend class="usa-legend">Other numbers (a counselor, a shelter)</legend>
        {custom.map((l, i) => (
          <div class="nwd-pair">
            <Input
              id={`customLines-${i}-name`}
              label={`Number ${i + 1}: who it is`}
              maxlength={100}
              value={l.name}
            />
            <Input
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
      <ErrorSummary errors={errors} />
      <Success message={saved} />
      <CaseHeading
        caseId={caseId}
        label={plan.label}
        regionName={region}
        current="safety-plan"
        closed={plan.case.status !== 'open'}
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
