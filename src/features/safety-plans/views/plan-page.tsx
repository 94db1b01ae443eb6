/**
 * The safety plan's tab `/staff/cases/:id/safety-plan`: the plan as it stands, the form pre-filled with
 * the latest version, every earlier version.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import type { Line } from '../../help/index.ts';
import type { Actor } from '../../../platform/access.ts';
import { ColumnHeads, Success, Time, type FieldError } from '../../../web/page.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { CaseHeading } from '../../cases/index.ts';
import { formOf, rows, type PlanForm } from '../rules.ts';
import { EMPTY_PLAN, SAFETY_PLAN_LIMITS, type SafetyPlanContent } from '../schema.ts';
import type { CaseSafetyPlan } from '../service.ts';

/** A list, or the words for none. */
const Items: FC<{ items: string[]; none: string }> = ({ items, none }) =>
  items.length ? (
    <ul>
      {items.map((s) => (
        <li>{s}</li>
      ))}
    </ul>
  ) : (
    <>{none}</>
  );

const PlanView: FC<{ plan: SafetyPlanContent; packLines: Line[] }> = ({ plan, packLines }) => (
  <dl id="plan">
    <dt>Warning signs</dt>
    <dd>
      <Items items={plan.warningSigns} none="None written" />
    </dd>
    <dt>Safe people</dt>
    <dd>
      {plan.safePeople.length ? (
        <ul>
          {plan.safePeople.map((p) => (
            <li>
              {p.name}: {p.contact}
            </li>
          ))}
        </ul>
      ) : (
        'None written'
      )}
    </dd>
    <dt>Safe places</dt>
    <dd>
      <Items items={plan.safePlaces} none="None written" />
    </dd>
    <dt>Code word</dt>
    <dd>{plan.codeWord ?? 'None'}</dd>
    <dt>What to do in danger</dt>
    <dd>{plan.inDanger ?? 'Not written'}</dd>
    <dt>Lines to call</dt>
    <dd>
      {plan.lines.length || plan.customLines.length ? (
        <ul>
          {plan.lines.map((id) => {
            const line = packLines.find((l) => l.id === id);
            return <li>{line ? `${line.name}${line.call ? `: ${line.call.display}` : ''}` : id}</li>;
          })}
          {plan.customLines.map((l) => (
            <li>
              {l.name}: {l.phone}
            </li>
          ))}
        </ul>
      ) : (
        'None chosen'
      )}
    </dd>
  </dl>
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
    <form method="post" action={`/staff/cases/${caseId}/safety-plan`} aria-labelledby="edit-h" novalidate>
      <h2 id="edit-h">Change the plan</h2>
      <p class="hint">
        Write it with the young person, in their words. Saving keeps the earlier versions. Everything is kept
        encrypted.
      </p>
      <CsrfField token={csrf} />
      <label for="warningSigns">Warning signs</label>
      <p class="hint" id="warningSigns-hint">
        What tells them things are getting unsafe. One per line, up to {SAFETY_PLAN_LIMITS.warningSigns}.
      </p>
      <textarea id="warningSigns" name="warningSigns" rows={4} cols={40} aria-describedby="warningSigns-hint">
        {values.warningSigns}
      </textarea>
      <fieldset>
        <legend>Safe people: who they can reach, and how</legend>
        {people.map((p, i) => (
          <div class="filters">
            <div>
              <label for={`safePeople-${i}-name`}>Person {i + 1}: name</label>
              <input
                id={`safePeople-${i}-name`}
                name={`safePeople-${i}-name`}
                type="text"
                maxlength={100}
                value={p.name}
              />
            </div>
            <div>
              <label for={`safePeople-${i}-contact`}>Person {i + 1}: how to reach them</label>
              <input
                id={`safePeople-${i}-contact`}
                name={`safePeople-${i}-contact`}
                type="text"
                maxlength={200}
                value={p.contact}
              />
            </div>
          </div>
        ))}
      </fieldset>
      <label for="safePlaces">Safe places</label>
      <p class="hint" id="safePlaces-hint">
        Where they can go to be safe. One per line, up to {SAFETY_PLAN_LIMITS.safePlaces}.
      </p>
      <textarea id="safePlaces" name="safePlaces" rows={3} cols={40} aria-describedby="safePlaces-hint">
        {values.safePlaces}
      </textarea>
      <label for="codeWord">Code word</label>
      <p class="hint" id="codeWord-hint">
        A word that tells a safe person “I need help” without saying it.
      </p>
      <input
        id="codeWord"
        name="codeWord"
        type="text"
        maxlength={100}
        value={values.codeWord}
        aria-describedby="codeWord-hint"
      />
      <label for="inDanger">What to do in danger</label>
      <p class="hint" id="inDanger-hint">
        Their steps when they are in danger, for example where to go and who to call first.
      </p>
      <textarea
        id="inDanger"
        name="inDanger"
        rows={4}
        cols={40}
        maxlength={2000}
        aria-describedby="inDanger-hint"
      >
        {values.inDanger}
      </textarea>
      <fieldset id="lines">
        <legend>Lines to call or text</legend>
        {packLines.map((line) => (
          <label>
            <input type="checkbox" name="lines" value={line.id} checked={values.lines.includes(line.id)} />{' '}
            {line.name}
            {line.call ? ` (${line.call.display})` : ''}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Other numbers (a counsellor, a shelter)</legend>
        {custom.map((l, i) => (
          <div class="filters">
            <div>
              <label for={`customLines-${i}-name`}>Number {i + 1}: who it is</label>
              <input
                id={`customLines-${i}-name`}
                name={`customLines-${i}-name`}
                type="text"
                maxlength={100}
                value={l.name}
              />
            </div>
            <div>
              <label for={`customLines-${i}-phone`}>Number {i + 1}: phone</label>
              <input
                id={`customLines-${i}-phone`}
                name={`customLines-${i}-phone`}
                type="tel"
                maxlength={30}
                value={l.phone}
                autocomplete="off"
              />
            </div>
          </div>
        ))}
      </fieldset>
      <p>
        <button type="submit">Save a new version</button>
      </p>
    </form>
  );
};

export const PlanPage: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  actor: Actor;
  plan: CaseSafetyPlan;
  writable: boolean;
  region: string;
  errors: FieldError[];
  values: PlanForm | null;
  saved: string | null;
}> = ({ deps, frame, actor, plan, writable, region, errors, values, saved }) => {
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
        <section aria-labelledby="current-h">
          <h2 id="current-h">
            {latest ? 'The plan now' : `Version ${current.version} (an earlier version)`}
          </h2>
          <p>
            Version {current.version}, saved <Time deps={deps} at={current.createdAt} /> by{' '}
            {current.createdBy.id === actor.userId ? 'you' : current.createdBy.name}.{' '}
            <a
              href={`/staff/cases/${caseId}/safety-plan/print${latest ? '' : `?version=${current.version}`}`}
            >
              Printable copy for the young person
              {latest ? '' : <span class="skip"> (version {current.version})</span>}
            </a>
          </p>
          {latest ? null : (
            <p>
              <a href={`/staff/cases/${caseId}/safety-plan`}>Go to the latest version</a>
            </p>
          )}
          <PlanView plan={current.content} packLines={packLines} />
        </section>
      ) : (
        <p>There is no safety plan yet. Make one together: what to watch for, who to reach, where to go.</p>
      )}
      {writable && (latest || !current) ? (
        <PlanFormView
          caseId={caseId}
          csrf={frame.csrf}
          values={values ?? formOf(current?.content ?? EMPTY_PLAN)}
          packLines={packLines}
        />
      ) : null}
      {plan.versions.length ? (
        <table id="versions" tabindex={0}>
          <caption>Every version, newest first</caption>
          <ColumnHeads names={['Version', 'Saved', 'By']} />
          <tbody>
            {plan.versions.map((v) => (
              <tr>
                <th scope="row">
                  {v.version === current?.version ? (
                    `${v.version} (shown)`
                  ) : (
                    <a href={`/staff/cases/${caseId}/safety-plan?version=${v.version}`}>
                      <span class="skip">See version </span>
                      {v.version}
                    </a>
                  )}
                </th>
                <td>
                  <Time deps={deps} at={v.createdAt} />
                </td>
                <td>{v.createdBy.id === actor.userId ? 'You' : v.createdBy.name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </StaffLayout>
  );
};
