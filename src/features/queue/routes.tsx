/**
 * The navigator queue's staff pages: the list of referrals and self-referrals (age, county, region,
 * urgency, time waiting, status, who claimed it) with filters and the signed-in person's notifications;
 * one item's page with its decrypted details, notes and history, and the forms to claim it, record
 * contact and its outcome, or release it. Thin: every read and change goes through `queue.ts`.
 *
 * An item outside the person's regions answers 404 like a missing one, so its existence is not told.
 */
import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, Feature } from '../../app-types.ts';
import { can, type Actor } from '../../platform/access.ts';
import { renderPage } from '../../web/http.ts';
import { SIGNED_IN, staffAction } from '../../platform/policy.ts';
import { CsrfField, ErrorSummary, StaffLayout, type StaffFrame } from '../../web/staff-layout.tsx';
import {
  Choice,
  HistoryTable,
  Success,
  Time,
  formText,
  guardStaffPage,
  messagePage,
  readForm,
  type FieldError,
} from '../../web/page.tsx';
import {
  listNotifications,
  markNotificationsRead,
  type StaffNotification,
} from '../notifications/service.ts';
import { requestOrigin, requireStaff } from '../../web/session.ts';
import type { IntakePayload } from '../intake/payload.ts';
import {
  ESCALATION_NAMES,
  KIND_NAMES,
  OUTCOMES,
  OUTCOME_STATUSES,
  QUEUE_VIEWS,
  QueueError,
  STATUS_NAMES,
  URGENCY_NAMES,
  ageInWords,
  claimItem,
  durationInWords,
  isOutcomeCode,
  listQueue,
  openItem,
  outcomesFor,
  queueScope,
  recordOutcome,
  releaseItem,
  type OutcomeStatus,
  type QueueContext,
  type QueueFilters,
  type QueueItemDetail,
  type QueueItemSummary,
  type QueueView,
} from './service.ts';
import type { Urgency } from '../intake/tables.ts';

const queueContext = (deps: AppDeps): QueueContext => ({ db: deps.db, keyring: deps.keyring });

/** The session and page frame of someone who may use the queue, or the answer for someone who may not. */
const guard = (c: Context, deps: AppDeps) =>
  guardStaffPage(
    c,
    deps,
    (actor) => queueScope(actor, 'intake.read') !== null,
    'Your role does not include the referral queue. Regional navigators and state administrators use it.',
  );

const BACK_TO_QUEUE = { href: '/staff/queue', text: 'Go back to the queue' };

const notFound = (c: Context, frame: StaffFrame) =>
  messagePage(
    c,
    frame,
    404,
    'Referral not found',
    'There is no such referral, or it is not in your regions.',
    BACK_TO_QUEUE,
  );

const forbidden = (c: Context, frame: StaffFrame, message: string) =>
  messagePage(c, frame, 403, 'You cannot do that', message, BACK_TO_QUEUE);

function waiting(item: QueueItemSummary, now: Date): string {
  if (item.closedAt)
    return `Closed after ${durationInWords(item.closedAt.getTime() - item.createdAt.getTime())}`;
  return durationInWords(now.getTime() - item.createdAt.getTime());
}

function claimedByText(item: QueueItemSummary, actor: Actor): string {
  if (!item.claimedBy) return 'Nobody yet';
  return item.claimedBy.userId === actor.userId ? 'You' : item.claimedBy.name;
}

// ---------------------------------------------------------------------------------------------------
// Notifications

export const Notifications: FC<{
  deps: AppDeps;
  frame: StaffFrame;
  unread: number;
  notifications: StaffNotification[];
  now: Date;
}> = ({ deps, frame, unread, notifications, now }) => (
  <section aria-labelledby="notifications-h">
    <h2 id="notifications-h">Notifications</h2>
    <p id="notification-count">
      {unread === 0
        ? 'You have no unread notifications.'
        : `You have ${unread} unread ${unread === 1 ? 'notification' : 'notifications'}.`}
    </p>
    {notifications.length ? (
      <ul class="plain">
        {notifications.map((n) => (
          <li>
            {n.read ? null : <strong>New: </strong>}
            {n.link ? <a href={n.link}>{n.text}</a> : n.text}
            {' · '}
            <Time deps={deps} at={n.createdAt} /> ({durationInWords(now.getTime() - n.createdAt.getTime())}{' '}
            ago)
            {n.read ? null : (
              <form method="post" action={`/staff/notifications/${n.id}/read`}>
                <CsrfField token={frame.csrf} />
                <button type="submit" class="btn alt">
                  Mark as read<span class="skip">: {n.text}</span>
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
    ) : null}
    {unread > 1 ? (
      <form method="post" action="/staff/notifications/read">
        <CsrfField token={frame.csrf} />
        <button type="submit" class="btn alt">
          Mark all as read
        </button>
      </form>
    ) : null}
  </section>
);

// ---------------------------------------------------------------------------------------------------
// The list

interface ListValues {
  view: string;
  region: string;
  urgency: string;
}

function regionOptions(deps: AppDeps, actor: Actor): { id: string; name: string }[] {
  const scope = queueScope(actor, 'intake.read');
  const regions = [...deps.geography.get().regions.values()]
    .filter((r) => scope && (scope.all || scope.regions.includes(r.id)))
    .map((r) => ({ id: r.id, name: r.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return scope?.all ? [...regions, { id: 'none', name: 'No region (county not known)' }] : regions;
}

function listFilters(
  c: Context,
  deps: AppDeps,
  actor: Actor,
): { values: ListValues; filters: QueueFilters; errors: FieldError[] } {
  const q = (name: string) => (c.req.query(name) ?? '').trim();
  const values: ListValues = { view: q('view'), region: q('region'), urgency: q('urgency') };
  const errors: FieldError[] = [];
  const filters: QueueFilters = {};
  if (values.view) {
    if (Object.hasOwn(QUEUE_VIEWS, values.view)) filters.view = values.view as QueueView;
    else errors.push({ field: 'view', message: 'Choose which items to show from the list.' });
  }
  if (values.region) {
    if (regionOptions(deps, actor).some((r) => r.id === values.region)) filters.region = values.region;
    else errors.push({ field: 'region', message: 'Choose one of your regions from the list.' });
  }
  if (values.urgency) {
    if (Object.hasOwn(URGENCY_NAMES, values.urgency)) filters.urgency = values.urgency as Urgency;
    else errors.push({ field: 'urgency', message: 'Choose an urgency from the list.' });
  }
  return { values, filters, errors };
}

const LIST_DONE: Record<string, string> = {
  read: 'Marked as read.',
};

const QueueTable: FC<{ items: QueueItemSummary[]; actor: Actor; now: Date }> = ({ items, actor, now }) => (
  <table id="queue" tabindex={0}>
    <caption>
      {items.length === 0
        ? 'No referrals match'
        : `${items.length} ${items.length === 1 ? 'referral' : 'referrals'}, most urgent and longest waiting first`}
    </caption>
    <thead>
      <tr>
        <th scope="col">Waiting</th>
        <th scope="col">Urgency</th>
        <th scope="col">Age</th>
        <th scope="col">County</th>
        <th scope="col">Region</th>
        <th scope="col">Kind</th>
        <th scope="col">Status</th>
        <th scope="col">Claimed by</th>
      </tr>
    </thead>
    <tbody>
      {items.map((item) => (
        <tr>
          <th scope="row">
            <a href={`/staff/queue/${item.id}`}>
              {waiting(item, now)}
              <span class="skip">
                {' '}
                — open this {KIND_NAMES[item.kind].toLowerCase()}
                {item.countyName ? ` from ${item.countyName} County` : ''}
              </span>
            </a>
          </th>
          <td>{item.urgency === 'immediate' ? <strong>Immediate</strong> : URGENCY_NAMES[item.urgency]}</td>
          <td>{ageInWords(item.age, item.ageBand)}</td>
          <td>{item.countyName ?? 'Not known'}</td>
          <td>{item.regionName ?? 'No region'}</td>
          <td>{KIND_NAMES[item.kind]}</td>
          <td>
            {STATUS_NAMES[item.status]}
            {item.escalationLevel > 0 && item.status === 'new'
              ? ` (${ESCALATION_NAMES[item.escalationLevel]})`
              : ''}
          </td>
          <td>{claimedByText(item, actor)}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

async function queuePage(c: Context, deps: AppDeps): Promise<Response> {
  const g = await guard(c, deps);
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const { values, filters, errors } = listFilters(c, deps, actor);
  const now = new Date();
  const [items, notes] = await Promise.all([
    errors.length ? Promise.resolve([]) : listQueue(queueContext(deps), actor, filters),
    listNotifications(deps.db, actor.userId),
  ]);
  const regions = regionOptions(deps, actor);
  const scope = queueScope(actor, 'intake.read');
  return renderPage(
    c,
    <StaffLayout frame={frame} title="Referral queue">
      <ErrorSummary errors={errors} />
      <Success message={LIST_DONE[c.req.query('done') ?? ''] ?? null} />
      <p>
        {scope?.all
          ? 'Referrals and self-referrals from every region, and those whose county is not known.'
          : regions.length
            ? `Referrals and self-referrals for ${regions.map((r) => r.name).join(', ')}.`
            : 'You have no regions yet: ask your organisation’s administrator to assign yours.'}{' '}
        Opening one is recorded in the audit log.
      </p>
      <Notifications
        deps={deps}
        frame={frame}
        unread={notes.unread}
        notifications={notes.notifications}
        now={now}
      />
      <form method="get" action="/staff/queue" aria-labelledby="filter-h" novalidate>
        <h2 id="filter-h">Filter the queue</h2>
        <div class="filters">
          <div>
            <label for="view">Show</label>
            <select id="view" name="view">
              {(Object.keys(QUEUE_VIEWS) as QueueView[]).map((v) => (
                <option value={v} selected={(values.view || 'open') === v}>
                  {QUEUE_VIEWS[v]}
                </option>
              ))}
            </select>
          </div>
          {regions.length > 1 ? (
            <div>
              <Choice
                id="region"
                label="Region"
                placeholder="All your regions"
                options={regions.map((r) => ({ value: r.id, label: r.name }))}
                selected={values.region}
              />
            </div>
          ) : null}
          <div>
            <Choice
              id="urgency"
              label="Urgency"
              placeholder="Any urgency"
              options={(Object.keys(URGENCY_NAMES) as Urgency[]).map((u) => ({
                value: u,
                label: URGENCY_NAMES[u],
              }))}
              selected={values.urgency}
            />
          </div>
        </div>
        <button type="submit">Show referrals</button> <a href="/staff/queue">Clear filters</a>
      </form>
      <QueueTable items={items} actor={actor} now={now} />
    </StaffLayout>,
    errors.length ? 400 : 200,
  );
}

// ---------------------------------------------------------------------------------------------------
// One item

const DETAIL_DONE: Record<string, string> = {
  claimed: 'You have claimed this referral. Record what happens when you try to make contact.',
  released: 'The referral is back in the queue for the region’s navigators.',
  contacted: 'Contact recorded.',
  could_not_reach: 'Recorded that you could not reach them.',
  closed: 'The referral is closed.',
};

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

const Field: FC<{ label: string; value: string | null | undefined }> = ({ label, value }) => (
  <>
    <dt>{label}</dt>
    <dd>{value ?? 'Not given'}</dd>
  </>
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
    <h2>About the young person</h2>
    <dl>
      <Field label="Name or initials" value={payload.youth.name} />
      <Field
        label="How to contact them"
        value={payload.youth.contactMethod ? CONTACT_METHOD_NAMES[payload.youth.contactMethod] : null}
      />
      <Field label="Contact details" value={payload.youth.contactValue} />
      <Field label="Safe times to contact" value={payload.youth.safeTimes} />
      <Field label="Code word" value={payload.youth.codeWord} />
      <Field label="Language" value={payload.youth.language} />
      <Field label="Agreed to be contacted by a navigator" value={yesNo(payload.youth.agreedToContact)} />
    </dl>
    {payload.referrer ? (
      <>
        <h2>Who referred</h2>
        <dl>
          <Field label="Name" value={payload.referrer.name} />
          <Field label="Role" value={payload.referrer.role} />
          <Field label="Organisation" value={payload.referrer.organization} />
          <Field label="Phone" value={payload.referrer.phone} />
          <Field label="Email" value={payload.referrer.email} />
          <Field label="When to call back" value={payload.referrer.callbackTimes} />
        </dl>
      </>
    ) : null}
    <h2>What was observed</h2>
    {payload.observed ? <Paragraphs text={payload.observed} /> : <p>Nothing written.</p>}
    {payload.screening ? (
      <>
        <h2>Screening answers</h2>
        <p class="hint">
          Instrument {payload.screening.instrument.id}, version {payload.screening.instrument.version}.
          Screening informs a person’s judgement; it does not label anyone.
        </p>
        <table tabindex={0}>
          <caption>Answers</caption>
          <thead>
            <tr>
              <th scope="col">Question</th>
              <th scope="col">Answer</th>
            </tr>
          </thead>
          <tbody>
            {payload.screening.answers.map((a) => (
              <tr>
                <th scope="row">{a.question || a.itemId}</th>
                <td>{a.answer}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    ) : null}
  </>
);

interface OutcomeValues {
  status: string;
  outcome: string;
  note: string;
}

const OutcomeForm: FC<{ item: QueueItemDetail; frame: StaffFrame; values: OutcomeValues }> = ({
  item,
  frame,
  values,
}) => (
  <form method="post" action={`/staff/queue/${item.id}/outcome`} aria-labelledby="outcome-h" novalidate>
    <h3 id="outcome-h">Record contact</h3>
    <CsrfField token={frame.csrf} />
    <fieldset id="status">
      <legend>What happened</legend>
      {OUTCOME_STATUSES.map((s) => (
        <label>
          <input type="radio" name="status" value={s} checked={values.status === s} /> {STATUS_NAMES[s]}
        </label>
      ))}
    </fieldset>
    <label for="outcome">Outcome</label>
    <p class="hint" id="outcome-hint">
      Choose one that goes with what happened.
    </p>
    <select id="outcome" name="outcome" aria-describedby="outcome-hint">
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
    <label for="note">Note (optional)</label>
    <p class="hint" id="note-hint">
      Kept encrypted and shown only to people who can open this referral. Write only what the next person
      needs.
    </p>
    <textarea id="note" name="note" rows={4} cols={40} maxlength={4000} aria-describedby="note-hint">
      {values.note}
    </textarea>
    <p>
      <button type="submit">Record</button>
    </p>
  </form>
);

const EMPTY_OUTCOME: OutcomeValues = { status: '', outcome: '', note: '' };

async function itemPage(
  c: Context,
  deps: AppDeps,
  state: { errors: FieldError[]; values: OutcomeValues; status: ContentfulStatusCode } = {
    errors: [],
    values: EMPTY_OUTCOME,
    status: 200,
  },
): Promise<Response> {
  const g = await guard(c, deps);
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  let item: QueueItemDetail;
  try {
    item = await openItem(queueContext(deps), actor, c.req.param('id') ?? '', requestOrigin(c));
  } catch (error) {
    if (error instanceof QueueError && error.code === 'not_found') return notFound(c, frame);
    throw error;
  }
  const now = new Date();
  const mayHandle = can(actor, 'intake.handle', { regionId: item.regionId });
  const mine = item.claimedBy?.userId === actor.userId;
  const open = item.status !== 'closed';
  const mayRelease = mayHandle && open && item.status !== 'new' && (mine || can(actor, 'intake.handle', {}));
  const done = state.status === 200 ? (DETAIL_DONE[c.req.query('done') ?? ''] ?? null) : null;
  // A case opened from this item (its history says which), or the way to open one.
  const caseOpened = item.history.find((h) => h.event === 'case_opened')?.detail.case;
  const mayOpenCase =
    can(actor, 'cases.write', { regionId: item.regionId }) && (item.status === 'new' || mine || !open);
  return renderPage(
    c,
    <StaffLayout frame={frame} title={KIND_NAMES[item.kind]}>
      <ErrorSummary errors={state.errors} />
      <Success message={done} />
      <p>
        <a href="/staff/queue">Back to the queue</a>
      </p>
      <dl id="summary" tabindex={-1}>
        <dt>Received</dt>
        <dd>
          <Time deps={deps} at={item.createdAt} />
        </dd>
        <dt>{item.closedAt ? 'Time to close' : 'Waiting'}</dt>
        <dd>{waiting(item, now)}</dd>
        <Field label="Urgency" value={URGENCY_NAMES[item.urgency]} />
        <Field label="Age" value={ageInWords(item.age, item.ageBand)} />
        <Field label="County" value={item.countyName ?? 'Not known'} />
        <Field label="Region" value={item.regionName ?? 'No region: a state administrator routes it'} />
        <Field label="Status" value={STATUS_NAMES[item.status]} />
        <Field label="Claimed by" value={claimedByText(item, actor)} />
        {item.outcome && isOutcomeCode(item.outcome) ? (
          <Field label="Latest outcome" value={OUTCOMES[item.outcome].label} />
        ) : null}
        <Field
          label="Escalation"
          value={ESCALATION_NAMES[item.escalationLevel] ?? String(item.escalationLevel)}
        />
      </dl>
      {mayHandle && open ? (
        <section aria-labelledby="act-h">
          <h2 id="act-h">What to do</h2>
          {item.status === 'new' ? (
            <form method="post" action={`/staff/queue/${item.id}/claim`}>
              <CsrfField token={frame.csrf} />
              <p>Claim it so that the region’s other navigators know you are making contact.</p>
              <button type="submit">Claim this referral</button>
            </form>
          ) : null}
          {mine ? <OutcomeForm item={item} frame={frame} values={state.values} /> : null}
          {!mine && item.status !== 'new' ? (
            <p>{item.claimedBy?.name ?? 'A colleague'} has claimed it. Only they can record contact.</p>
          ) : null}
          {mayRelease ? (
            <form method="post" action={`/staff/queue/${item.id}/release`}>
              <CsrfField token={frame.csrf} />
              <p class="hint">
                {mine
                  ? 'If you cannot follow it up, give it back to the queue for the region’s navigators.'
                  : 'Release the claim so that another navigator can take it.'}
              </p>
              <button type="submit" class="btn alt">
                Release back to the queue
              </button>
            </form>
          ) : null}
        </section>
      ) : null}
      {typeof caseOpened === 'string' ? (
        <p>
          <a href={`/staff/cases/${caseOpened}`}>Go to the case opened from this referral</a>
        </p>
      ) : mayOpenCase ? (
        <section aria-labelledby="case-h">
          <h2 id="case-h">Open a case</h2>
          <p>
            When the young person wants a navigator’s ongoing support, open a case: what this referral says
            about them is filled in, and the referral is closed as connected to services.
          </p>
          <p>
            <a class="btn" href={`/staff/cases/new?from=${item.id}`}>
              Open a case for this young person
            </a>
          </p>
        </section>
      ) : null}
      <PayloadView payload={item.payload} />
      <h2>Notes</h2>
      {item.notes.length ? (
        <ul class="plain">
          {item.notes.map((n) => (
            <li>
              <p>
                <Time deps={deps} at={n.at} />, {n.by}: {STATUS_NAMES[n.status]} ({OUTCOMES[n.outcome].label})
              </p>
              <Paragraphs text={n.text} />
            </li>
          ))}
        </ul>
      ) : (
        <p>No notes yet.</p>
      )}
      <HistoryTable
        deps={deps}
        caption="History"
        entries={item.history.map((h) => ({
          at: h.at,
          what: eventText(h.event, h.detail),
          who: h.byUserId === actor.userId ? 'You' : h.by,
        }))}
      />
    </StaffLayout>,
    state.status,
  );
}

async function changeAction(
  c: Context,
  deps: AppDeps,
  change: 'claim' | 'release' | 'outcome',
): Promise<Response> {
  const g = await guard(c, deps);
  if (g instanceof Response) return g;
  const { actor, frame } = g;
  const id = c.req.param('id') ?? '';
  const ctx = queueContext(deps);
  const origin = requestOrigin(c);
  let values = EMPTY_OUTCOME;
  let done: string = change === 'claim' ? 'claimed' : 'released';
  try {
    if (change === 'claim') await claimItem(ctx, actor, id, origin);
    else if (change === 'release') await releaseItem(ctx, actor, id, origin);
    else {
      const form = await readForm(c);
      values = {
        status: formText(form, 'status'),
        outcome: formText(form, 'outcome'),
        note: formText(form, 'note'),
      };
      await recordOutcome(ctx, actor, id, values, origin);
      done = values.status;
    }
  } catch (error) {
    if (!(error instanceof QueueError)) throw error;
    switch (error.code) {
      case 'not_found':
        return notFound(c, frame);
      case 'forbidden':
        return forbidden(c, frame, error.message);
      case 'conflict':
        return itemPage(c, deps, {
          errors: [{ field: change === 'outcome' ? 'status' : 'summary', message: error.message }],
          values,
          status: 409,
        });
      case 'invalid':
        return itemPage(c, deps, {
          errors: [{ field: error.field ?? 'status', message: error.message }],
          values,
          status: 400,
        });
    }
  }
  return c.redirect(`/staff/queue/${id.toLowerCase()}?done=${done}`, 303);
}

async function markReadAction(c: Context, deps: AppDeps, all: boolean): Promise<Response> {
  const session = requireStaff(c);
  if (session instanceof Response) return session;
  await markNotificationsRead(deps.db, session.userId, all ? null : (c.req.param('id') ?? ''));
  return c.redirect(queueScope(session.actor, 'intake.read') ? '/staff/queue?done=read' : '/staff', 303);
}

export const queuePages: Feature = (app, deps, policies) => {
  const read = staffAction('intake.read');
  const handle = staffAction('intake.handle');
  policies.declare('GET', '/staff/queue', read);
  policies.declare('GET', '/staff/queue/:id', read);
  policies.declare('POST', '/staff/queue/:id/claim', handle);
  policies.declare('POST', '/staff/queue/:id/release', handle);
  policies.declare('POST', '/staff/queue/:id/outcome', handle);
  app.get('/staff/queue', (c) => queuePage(c, deps));
  app.get('/staff/queue/:id', (c) => itemPage(c, deps));
  app.post('/staff/queue/:id/claim', (c) => changeAction(c, deps, 'claim'));
  app.post('/staff/queue/:id/release', (c) => changeAction(c, deps, 'release'));
  app.post('/staff/queue/:id/outcome', (c) => changeAction(c, deps, 'outcome'));

  policies.declare('POST', '/staff/notifications/read', SIGNED_IN);
  policies.declare('POST', '/staff/notifications/:id/read', SIGNED_IN);
  app.post('/staff/notifications/read', (c) => markReadAction(c, deps, true));
  app.post('/staff/notifications/:id/read', (c) => markReadAction(c, deps, false));
};
