/**
 * One item's page: its summary, what the person may do (claim, record contact, release, open a case),
 * the decrypted details, the notes and the history.
 */
import type { FC } from 'hono/jsx';
import type { AppDeps } from '../../../app-types.ts';
import type { Actor } from '../../../platform/access.ts';
import { LOCALE_ENGLISH_NAMES } from '../../../platform/i18n/index.ts';
import { HistoryTable, Success, Time } from '../../../web/page.tsx';
import {
  Actions,
  Button,
  DataTable,
  LinkButton,
  Panel,
  SummaryList,
  Tag,
  type SummaryRow,
} from '../../../web/ui.tsx';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../../web/staff-layout.tsx';
import { HintedGroup, Ticks, labelledOptions, type FieldProblem } from '../../../web/forms.tsx';
import type { IntakePayload } from '../../intake/index.ts';
import {
  ESCALATION_NAMES,
  KIND_NAMES,
  OUTCOMES,
  OUTCOME_STATUSES,
  STATUS_NAMES,
  URGENCY_NAMES,
  ageInWords,
  claimedByText,
  isOutcomeCode,
  itemActions,
  outcomesFor,
  waiting,
  type OutcomeStatus,
} from '../rules.ts';
import type { QueueItemDetail } from '../service.ts';

const EVENT_NAMES: Record<string, string> = {
  received: 'Received',
  announced: 'Navigators told it is waiting',
  escalated: 'Escalated',
  opened: 'Opened',
  claimed: 'Claimed',
  released: 'Released back to the queue',
  contacted: 'Contacted',
  could_not_reach: 'Could not reach',
  closed: 'Closed',
  case_opened: 'Case opened',
};

function eventText(event: string, detail: Record<string, unknown>): string {
  const name = EVENT_NAMES[event] ?? event;
  if (event === 'escalated' && (detail.level === 1 || detail.level === 2))
    return `${name}: ${ESCALATION_NAMES[detail.level].toLowerCase()}`;
  if (typeof detail.outcome === 'string' && isOutcomeCode(detail.outcome))
    return `${name}: ${OUTCOMES[detail.outcome].label.toLowerCase()}`;
  return name;
}

const yesNo = (value: boolean | null) => (value === null ? 'Not asked' : value ? 'Yes' : 'No');

const CONTACT_METHOD_NAMES: Record<string, string> = {
  phone_call: 'Phone call',
  text_message: 'Text message',
  email: 'Email',
  through_referrer: 'Through the person who referred',
  other: 'Other',
};

type FieldRow = readonly [label: string, value: string | null | undefined];

/** Facts in order, "Not given" for what is missing; a row given as null or false is left out. */
const Fields: FC<{ rows: readonly (FieldRow | null | false)[]; label?: string }> = ({ rows, label }) => (
  <SummaryList
    label={label}
    rows={rows.map((row): SummaryRow => (row ? [row[0], row[1] ?? 'Not given'] : null))}
  />
);

const Paragraphs: FC<{ text: string }> = ({ text }) => (
  <>
    {text
      .split(/\n{2,}|\r\n\r\n/)
      .filter((p) => p.trim())
      .map((p) => (
        <p>{p}</p>
      ))}
  </>
);

const PayloadView: FC<{ payload: IntakePayload }> = ({ payload }) => (
  <>
    <Panel id="youth-h" heading="About the young person">
      <Fields
        rows={[
          ['Name or initials', payload.youth.name],
          [
            'How to contact them',
            payload.youth.contactMethod ? CONTACT_METHOD_NAMES[payload.youth.contactMethod] : null,
          ],
          ['Contact details', payload.youth.contactValue],
          ['Safe times to contact', payload.youth.safeTimes],
          ['Code word', payload.youth.codeWord],
          ['Language', payload.youth.language],
          ['Agreed to be contacted by a navigator', yesNo(payload.youth.agreedToContact)],
          payload.pageLanguage && payload.pageLanguage !== 'en'
            ? ['Sent from', `The ${LOCALE_ENGLISH_NAMES[payload.pageLanguage]} page`]
            : null,
        ]}
      />
    </Panel>
    {payload.referrer ? (
      <>
        <Panel id="referrer-h" heading="Who referred">
          <Fields
            rows={[
              ['Name', payload.referrer.name],
              ['Role', payload.referrer.role],
              ['Organization', payload.referrer.organization],
              ['Phone', payload.referrer.phone],
              ['Email', payload.referrer.email],
              ['When to call back', payload.referrer.callbackTimes],
            ]}
          />
        </Panel>
      </>
    ) : null}
    <Panel id="observed-h" heading="What was observed">
      {payload.observed ? <Paragraphs text={payload.observed} /> : <p>Nothing written.</p>}
    </Panel>
    {payload.screening ? (
      <>
        <h2>Screening answers</h2>
        <p class="nwd-muted">
          Instrument {payload.screening.instrument.id}, version {payload.screening.instrument.version}.
          Screening informs a person’s judgement; it does not label anyone.
        </p>
        <DataTable label="Screening answers" caption="Answers" head={['Question', 'Answer']}>
          {payload.screening.answers.map((a) => (
            <tr>
              <th scope="row">{a.question || a.itemId}</th>
              <td>{a.answer}</td>
            </tr>
          ))}
        </DataTable>
      </>
    ) : null}
  </>
);

export interface OutcomeValues {
  status: string;
  outcome: string;
  note: string;
}

const OutcomeForm: FC<{ item: QueueItemDetail; frame: StaffFrame; values: OutcomeValues }> = ({
  item,
  frame,
  values,
}) => (
  <form
    method="post"
    action={`/staff/queue/${item.id}/outcome`}
    aria-labelledby="outcome-h"
    novalidate
    class="usa-form nwd-subform"
  >
    <h3 id="outcome-h">Record contact</h3>
    <CsrfField token={frame.csrf} />
    <fieldset id="status" class="usa-fieldset usa-form-group">
      <legend class="usa-legend">What happened</legend>
      <Ticks
        type="radio"
        name="status"
        options={labelledOptions(STATUS_NAMES, OUTCOME_STATUSES)}
        checked={(s) => values.status === s}
      />
    </fieldset>
    <HintedGroup id="outcome" label="Outcome" hint="Choose one that goes with what happened.">
      <select id="outcome" name="outcome" aria-describedby="outcome-hint" class="usa-select">
        <option value="">Choose an outcome</option>
        {OUTCOME_STATUSES.map((s: OutcomeStatus) => (
          <optgroup label={STATUS_NAMES[s]}>
            {outcomesFor(s).map((code) => (
              <option value={code} selected={values.outcome === code}>
                {OUTCOMES[code].label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </HintedGroup>
    <HintedGroup
      id="note"
      label="Note (optional)"
      hint="Kept encrypted and shown only to people who can open this referral. Write only what the next person needs."
    >
      <textarea
        id="note"
        name="note"
        rows={4}
        cols={40}
        maxlength={4000}
        aria-describedby="note-hint"
        class="usa-textarea"
      >
        {values.note}
      </textarea>
    </HintedGroup>
    <Actions>
      <Button>Record</Button>
    </Actions>
  </form>
);

export const EMPTY_OUTCOME: OutcomeValues = { status: '', outcome: '', note: '' };

export const ItemPage: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  actor: Actor;
  item: QueueItemDetail;
  errors: FieldProblem[];
  values: OutcomeValues;
  done: string | null;
  now: Date;
}> = ({ deps, frame, actor, item, errors, values, done, now }) => {
  const { mayHandle, mine, open, mayRelease, mayOpenCase } = itemActions(actor, item);
  // A case opened from this item (its history says which), or the way to open one.
  const caseOpened = item.history.find((h) => h.event === 'case_opened')?.detail.case;
  return (
    <StaffLayout frame={frame} title={KIND_NAMES[item.kind]}>
      <ErrorSummary errors={errors} />
      <Success message={done} />
      <p>
        <a href="/staff/queue">Back to the queue</a>
      </p>
      <div id="summary" tabindex={-1} class="nwd-panel">
        <SummaryList
          label="The referral"
          rows={[
            ['Received', <Time deps={deps} at={item.createdAt} />],
            [item.closedAt ? 'Time to close' : 'Waiting', waiting(item, now)],
            [
              'Urgency',
              item.urgency === 'immediate' ? (
                <Tag tone="error">{URGENCY_NAMES[item.urgency]}</Tag>
              ) : (
                URGENCY_NAMES[item.urgency]
              ),
            ],
            ['Age', ageInWords(item.age, item.ageBand)],
            ['County', item.countyName ?? 'Not known'],
            ['Region', item.regionName ?? 'No region: a state administrator routes it'],
            ['Status', STATUS_NAMES[item.status]],
            ['Claimed by', claimedByText(item, actor)],
            !!item.outcome && isOutcomeCode(item.outcome) && ['Latest outcome', OUTCOMES[item.outcome].label],
            ['Escalation', ESCALATION_NAMES[item.escalationLevel] ?? String(item.escalationLevel)],
          ]}
        />
      </div>
      {mayHandle && open ? (
        <Panel id="act-h" heading="What to do">
          {item.status === 'new' ? (
            <form method="post" action={`/staff/queue/${item.id}/claim`}>
              <CsrfField token={frame.csrf} />
              <p>Claim it so that the region’s other navigators know you are making contact.</p>
              <Button>Claim this referral</Button>
            </form>
          ) : null}
          {mine ? <OutcomeForm item={item} frame={frame} values={values} /> : null}
          {!mine && item.status !== 'new' ? (
            <p>{item.claimedBy?.name ?? 'A colleague'} has claimed it. Only they can record contact.</p>
          ) : null}
          {mayRelease ? (
            <form method="post" action={`/staff/queue/${item.id}/release`}>
              <CsrfField token={frame.csrf} />
              <p class="nwd-muted margin-top-3">
                {mine
                  ? 'If you cannot follow it up, give it back to the queue for the region’s navigators.'
                  : 'Release the claim so that another navigator can take it.'}
              </p>
              <Button variant="outline">Release back to the queue</Button>
            </form>
          ) : null}
        </Panel>
      ) : null}
      {typeof caseOpened === 'string' ? (
        <Actions>
          <LinkButton href={`/staff/cases/${caseOpened}`}>
            Go to the case opened from this referral
          </LinkButton>
        </Actions>
      ) : mayOpenCase ? (
        <Panel id="case-h" heading="Open a case">
          <p>
            When the young person wants a navigator’s ongoing support, open a case: what this referral says
            about them is filled in, and the referral is closed as connected to services.
          </p>
          <Actions>
            <LinkButton href={`/staff/cases/new?from=${item.id}`}>
              Open a case for this young person
            </LinkButton>
          </Actions>
        </Panel>
      ) : null}
      <PayloadView payload={item.payload} />
      <Panel id="notes-h" heading="Notes">
        {item.notes.length ? (
          <ul class="usa-list usa-list--unstyled">
            {item.notes.map((n) => (
              <li class="nwd-note">
                <p class="nwd-note-head">
                  <Time deps={deps} at={n.at} />, {n.by}: {STATUS_NAMES[n.status]} (
                  {OUTCOMES[n.outcome].label})
                </p>
                <Paragraphs text={n.text} />
              </li>
            ))}
          </ul>
        ) : (
          <p>No notes yet.</p>
        )}
      </Panel>
      <HistoryTable
        deps={deps}
        caption="History"
        entries={item.history.map((h) => ({
          at: h.at,
          what: eventText(h.event, h.detail),
          who: h.byUserId === actor.userId ? 'You' : h.by,
        }))}
      />
    </StaffLayout>
  );
};
