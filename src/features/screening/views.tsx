/**
 * The parts of the `/identify` pages: the instrument's banner, one question as form controls, the step's
 * form with the other answers in hidden fields, and the result (classification, actions with absolute
 * deadlines, the navigator, the answers, the referral button).
 *
 * Every control has a label, radio and check boxes sit in a fieldset with a legend, and an error is tied
 * to its field (`aria-describedby`) and listed in a summary that links to it. No JavaScript is needed;
 * the print view adds one small script under the page's nonce for its "Print this page" button.
 */
import type { Child, FC } from 'hono/jsx';
import { CallLink } from '../../web/public-layout.tsx';
import { StatewideCard, type CountyInfo, type Line } from '../help/index.ts';
import type { Classification, Contact, Indication, PathwayAnswer } from '../pathway/index.ts';
import {
  ANSWER_FIELD,
  YES_NO_LABELS,
  YES_NO_UNKNOWN_LABELS,
  ZIP_FIELD,
  type AnswerValue,
  type PlainAnswer,
} from './rules.ts';
import type { Group, Instrument, Item } from './schema.ts';

/** Styles of these pages only (the site's style sheet is shared by every page). */
export const IDENTIFY_CSS =
  'legend{font-weight:600;font-size:1.1rem;padding:0 .25rem}' +
  '.choice{display:flex;gap:.6rem;align-items:flex-start;margin:.4rem 0}' +
  '.choice input{width:1.6rem;height:1.6rem;min-height:0;margin:.1rem 0 0;flex:none;accent-color:var(--brand)}' +
  '.choice label{font-weight:400;margin:0}.choice .hint{margin:0}' +
  '.err{color:var(--exit);font-weight:700;margin:.25rem 0}.step{font-weight:600;color:var(--muted);margin:0 0 .5rem}' +
  '.q{margin:1rem 0}.nav{margin:1.25rem 0}.due{font-weight:600}dt{font-weight:600}dd{margin:0 0 .5rem}' +
  '.acts{list-style:none;padding:0}[hidden]{display:none!important}' +
  'details.fold{margin:1rem 0;border-top:1px solid var(--line,#ccc);padding-top:.5rem}' +
  'details.fold>summary{cursor:pointer;padding:.6rem 0}' +
  'details.fold>summary h2{display:inline;margin:0;font-size:1.2rem}' +
  '@media print{form,.lines,.noprint{display:none}.card{break-inside:avoid}a{color:inherit}}';

/**
 * Keeps the browser's Back and Forward inside the questions without asking to resend a form: with
 * JavaScript, a step's form is sent with fetch and the next page's <main> replaces this one, as a new
 * history entry of the same document (`history.pushState`, the address stays /identify). Back shows the
 * page kept in memory; nothing goes to the server, into the address or into storage. When the document
 * is loaded again (reload, or Back from another page), the answers are gone: the page says so. Without
 * JavaScript, or when fetch fails, the forms post as usual.
 */
export const IDENTIFY_JS = `(function(){
var d=document,m=d.getElementById('main');
if(!m||!window.fetch||!window.DOMParser||!history.pushState||window.nwdIdf)return;window.nwdIdf=1;
var pages={},base=Date.now(),seq=0,busy=false,st=history.state;
function prep(n){var b=n.querySelector('#print-now');if(b){b.hidden=false;b.onclick=function(){window.print()}}}
function put(p,focus){var cur=d.getElementById('main');if(cur!==p.main)cur.replaceWith(p.main);d.title=p.title;
if(focus){window.scrollTo(0,0);var f=p.main.querySelector('.error[role=alert]')||p.main.querySelector('h1');if(f){if(!f.hasAttribute('tabindex'))f.setAttribute('tabindex','-1');f.focus()}}}
if(st&&st.nwdIdf&&st.nwdIdf!==base){var n=d.createElement('p');n.className='flag';n.textContent='Your earlier answers were not kept when you left these questions. Nothing you entered is stored.';var h=m.querySelector('h1');if(h)h.after(n)}
var first=base+'-0';pages[first]={main:m,title:d.title};history.replaceState({nwdIdf:base,p:first},'');prep(m);
addEventListener('popstate',function(e){var s=e.state,p=s&&s.nwdIdf===base&&pages[s.p];if(p)put(p,true)});
d.addEventListener('submit',function(e){var f=e.target;if(f.getAttribute('action')!=='/identify'||f.method!=='post')return;
e.preventDefault();if(busy)return;busy=true;var b=e.submitter,data=new FormData(f);if(b&&b.name)data.append(b.name,b.value);
fetch('/identify',{method:'POST',body:new URLSearchParams(data),cache:'no-store',credentials:'same-origin'}).then(function(r){return r.text().then(function(t){
var doc=new DOMParser().parseFromString(t,'text/html'),nm=doc.getElementById('main');if(!nm)throw new Error('page');
nm.querySelectorAll('script').forEach(function(x){x.remove()});nm=d.importNode(nm,true);
var id=base+'-'+(++seq),p={main:nm,title:doc.title};pages[id]=p;
if(r.ok)history.pushState({nwdIdf:base,p:id},'');else history.replaceState({nwdIdf:base,p:id},'');
put(p,true);prep(nm);busy=false})}).catch(function(){busy=false;
if(b&&b.name){var i=d.createElement('input');i.type='hidden';i.name=b.name;i.value=b.value;f.appendChild(i)}HTMLFormElement.prototype.submit.call(f)})
})})();`;

/** A part of the answer page folded under its heading (open in the print view). */
export const Folded: FC<{ id: string; title: string; open?: boolean; children?: Child }> = ({
  id,
  title,
  open,
  children,
}) => (
  <details class="fold" open={open || undefined}>
    <summary>
      <h2 id={`${id}-h`}>{title}</h2>
    </summary>
    {children}
  </details>
);

/** Says what the instrument is, and that it informs judgement and never labels a young person. */
export const InstrumentBanner: FC<{ instrument: Instrument }> = ({ instrument }) => (
  <div class="flag" role="note" aria-label="About this checklist">
    <p>
      <strong>{instrument.name}</strong>
      {instrument.validated
        ? ` (version ${instrument.version}).`
        : ': not a validated screening instrument. No study has tested these questions.'}{' '}
      Screening informs your judgement. It never labels a young person.
    </p>
  </div>
);

export const DangerNow: FC<{ emergency: Line }> = ({ emergency }) => (
  <div class="error" role="alert">
    <p>
      <strong>If the young person is in danger right now, call 911 before you go on.</strong>{' '}
      <CallLink line={emergency} />
    </p>
  </div>
);

/** The element an error summary links to: the first control of the question. */
export const fieldAnchor = (item: Item): string =>
  item.answer.type === 'number' || item.answer.type === 'county' ? `q-${item.id}` : `q-${item.id}-0`;

function describedBy(item: Item, error: string | undefined): string | undefined {
  const ids = [item.help ? `h-${item.id}` : null, error ? `e-${item.id}` : null].filter((x) => x !== null);
  return ids.length ? ids.join(' ') : undefined;
}

const ErrorText: FC<{ item: Item; error: string | undefined }> = ({ item, error }) =>
  error ? (
    <p class="err" id={`e-${item.id}`}>
      <span class="vh">Error: </span>
      {error}
    </p>
  ) : null;

const Help: FC<{ item: Item }> = ({ item }) =>
  item.help ? (
    <p class="hint" id={`h-${item.id}`}>
      {item.help}
    </p>
  ) : null;

const questionText = (item: Item) => `${item.question}${item.required ? '' : ' (optional)'}`;

function choicesOf(item: Item): { value: string; label: string; help?: string | undefined }[] {
  const a = item.answer;
  if (a.type === 'yes_no_unknown')
    return Object.entries(YES_NO_UNKNOWN_LABELS).map(([value, label]) => ({ value, label }));
  if (a.type === 'boolean') return Object.entries(YES_NO_LABELS).map(([value, label]) => ({ value, label }));
  if (a.type === 'single_choice' || a.type === 'multi_choice')
    return a.options.map((o) => ({ value: o.value, label: o.label, help: o.help }));
  return [];
}

/** One question, with its current answer and error. */
export const Question: FC<{
  item: Item;
  value: AnswerValue | undefined;
  error: string | undefined;
  counties: CountyInfo[];
  zip: string;
}> = ({ item, value, error, counties, zip }) => {
  const a = item.answer;
  const name = `${ANSWER_FIELD}${item.id}`;
  const invalid = error ? 'true' : undefined;
  if (a.type === 'number')
    return (
      <div class="q">
        <label for={`q-${item.id}`}>{questionText(item)}</label>
        <Help item={item} />
        <ErrorText item={item} error={error} />
        <input
          id={`q-${item.id}`}
          name={name}
          type="text"
          inputmode="numeric"
          autocomplete="off"
          size={5}
          maxlength={7}
          value={value === undefined ? '' : String(value)}
          aria-describedby={describedBy(item, error)}
          aria-invalid={invalid}
        />
        {a.unit ? ` ${a.unit}` : null}
      </div>
    );
  if (a.type === 'county')
    return (
      <fieldset class="q" id={`f-${item.id}`} aria-describedby={describedBy(item, error)}>
        <legend>{questionText(item)}</legend>
        <Help item={item} />
        <ErrorText item={item} error={error} />
        <label for={`q-${item.id}`}>County</label>
        <select id={`q-${item.id}`} name={name} aria-invalid={invalid}>
          <option value="">Not known, or use the ZIP code</option>
          {counties.map((c) => (
            <option value={c.fips} selected={value === c.fips}>
              {c.name}
            </option>
          ))}
        </select>
        <label for={`q-${item.id}-zip`}>Or ZIP code</label>
        <input
          id={`q-${item.id}-zip`}
          name={`${ZIP_FIELD}${item.id}`}
          type="text"
          inputmode="numeric"
          autocomplete="off"
          size={6}
          maxlength={5}
          value={zip}
          aria-invalid={invalid}
        />
      </fieldset>
    );
  const multi = a.type === 'multi_choice';
  const chosen = Array.isArray(value) ? value : value === undefined ? [] : [String(value)];
  return (
    <fieldset class="q" id={`f-${item.id}`} aria-describedby={describedBy(item, error)}>
      <legend>{questionText(item)}</legend>
      <Help item={item} />
      <ErrorText item={item} error={error} />
      {choicesOf(item).map((choice, n) => (
        <div class="choice">
          <input
            type={multi ? 'checkbox' : 'radio'}
            id={`q-${item.id}-${n}`}
            name={name}
            value={choice.value}
            checked={chosen.includes(choice.value)}
            aria-describedby={choice.help ? `q-${item.id}-${n}-h` : undefined}
          />
          <div>
            <label for={`q-${item.id}-${n}`}>{choice.label}</label>
            {choice.help ? (
              <p class="hint" id={`q-${item.id}-${n}-h`}>
                {choice.help}
              </p>
            ) : null}
          </div>
        </div>
      ))}
    </fieldset>
  );
};

export const Hidden: FC<{ fields: [string, string][] }> = ({ fields }) => (
  <>
    {fields.map(([name, value]) => (
      <input type="hidden" name={name} value={value} />
    ))}
  </>
);

/** One group's page: its questions, the other answers carried along, Next and Back. */
export const StepForm: FC<{
  instrument: Instrument;
  formKey: string;
  step: number;
  group: Group;
  values: Map<string, AnswerValue>;
  zips: Map<string, string>;
  errors: Map<string, string>;
  carried: [string, string][];
  counties: CountyInfo[];
}> = ({ instrument, formKey, step, group, values, zips, errors, carried, counties }) => {
  const last = step === instrument.groups.length;
  return (
    <form method="post" action="/identify" novalidate>
      <input type="hidden" name="instrument" value={formKey} />
      <input type="hidden" name="step" value={String(step)} />
      <Hidden fields={carried} />
      {group.items.map((item) => (
        <Question
          item={item}
          value={values.get(item.id)}
          error={errors.get(item.id)}
          counties={counties}
          zip={zips.get(item.id) ?? ''}
        />
      ))}
      <p class="nav">
        {/* First in the form, so Enter in a text box means Next. */}
        <button type="submit" name="go" value="next">
          {last ? 'See what to do' : 'Next'}
        </button>
        {step > 1 ? (
          <button type="submit" name="go" value="back" class="btn alt">
            Back
          </button>
        ) : null}
      </p>
    </form>
  );
};

const INDICATION: Record<Indication, string> = {
  indicated: 'the answers point to it',
  possible: 'possible: some answers were "Not sure"',
  not_indicated: 'not indicated by these answers',
};

/** The classification in plain words. */
export const ClassificationList: FC<{ c: Classification; riskFactors: number; unknownAgeNote: string }> = ({
  c,
  riskFactors,
  unknownAgeNote,
}) => (
  <ul>
    <li>
      <strong>Sex trafficking</strong>: {INDICATION[c.sexTrafficking]}.
      {c.sexTrafficking === 'not_indicated'
        ? null
        : ' In Minnesota, when someone else profits it is sex trafficking; no force, fraud or coercion is needed, at any age.'}
    </li>
    <li>
      <strong>Commercial sexual exploitation</strong>: {INDICATION[c.commercialSexualExploitation]}.
    </li>
    <li>
      <strong>Labor trafficking</strong>: {INDICATION[c.laborTrafficking]}.
    </li>
    <li>
      <strong>Risk factors</strong>:{' '}
      {riskFactors === 0
        ? 'none given.'
        : `${riskFactors} given. They make a young person more vulnerable; they are not proof of anything.`}
    </li>
    <li>
      <strong>Age</strong>:{' '}
      {c.minor === true
        ? 'under 18: the law on child protection applies.'
        : c.minor === false
          ? '18 or older.'
          : unknownAgeNote}
    </li>
  </ul>
);

const BINDS: Record<string, string> = {
  reporter: 'Your step',
  child_protection: 'Child protection’s step',
  official: 'An official’s step',
  anyone: 'Anyone can do this',
};

/** `skip`: a contact whose numbers the page already shows once (the statewide line), named only. */
const ContactList: FC<{ contacts: Contact[]; skip?: string | undefined }> = ({ contacts, skip }) => (
  <ul>
    {contacts.map((k) =>
      k.id === skip ? (
        <li>
          <strong>{k.name}</strong>: the numbers are at the top of this page.
        </li>
      ) : (
        <li>
          <strong>{k.name}</strong>
          {k.phone ? (
            <>
              {': '}
              <a href={`tel:${k.phone.dial}`}>Call {k.phone.display}</a>
            </>
          ) : null}
          {k.text ? (
            <>
              {' · '}
              <a href={`sms:${k.text.dial}`}>Text {k.text.display}</a>
            </>
          ) : null}
          {k.url ? (
            <>
              {' · '}
              <a href={k.url} rel="noreferrer">
                Website
              </a>
            </>
          ) : null}
          {k.note ? <span class="hint"> {k.note}</span> : null}
          {!k.verified && !k.note ? <span class="hint"> (not yet confirmed in a source)</span> : null}
        </li>
      ),
    )}
  </ul>
);

export interface DueAction {
  action: PathwayAnswer['actions'][number];
  /** "Now", "By Tuesday, November 24 at 14:05 (within 24 hours)", or null. */
  due: string | null;
  /** How to do it, where the action's own text does not say. */
  how?: string | null;
}

export const ActionList: FC<{ actions: DueAction[]; skipContact?: string; start?: number }> = ({
  actions,
  skipContact,
  start = 0,
}) => (
  <ol class="acts">
    {actions.map(({ action, due, how }, i) => (
      <li class="card">
        <h3 id={`act-${start + i + 1}`}>{action.title}</h3>
        <p class="due">
          {action.required ? 'Required' : 'Recommended'}
          {due ? ` · ${due}` : ''} · {BINDS[action.binds] ?? action.binds}
        </p>
        <p>{action.explanation}</p>
        {how ? (
          <p>
            <strong>How:</strong> {how}
          </p>
        ) : null}
        {action.contacts?.length ? <ContactList contacts={action.contacts} skip={skipContact} /> : null}
        <p class="src">
          Basis:{' '}
          {action.basis.map((b, n) => (
            <>
              {n > 0 ? '; ' : ''}
              {b.citation}
            </>
          ))}
        </p>
      </li>
    ))}
  </ol>
);

/**
 * The county's regional navigator, in a few lines. The statewide line's numbers are shown once on the
 * page (in its help box; in the print view, here), so this names it without repeating them.
 */
export const NavigatorSection: FC<{ answer: PathwayAnswer; statewide: Line; showStatewide: boolean }> = ({
  answer,
  statewide,
  showStatewide,
}) => {
  const result = answer.navigator?.results[0];
  const org = result?.navigator ?? null;
  const region = result?.region ?? null;
  const where = showStatewide ? 'below' : 'at the top of this page';
  return (
    <section aria-labelledby="nav-h">
      <h2 id="nav-h">The regional navigator</h2>
      {result && result.confirmed && org && region ? (
        <>
          <p>
            {result.county.name} County is in the {region.name} region. The navigator is at{' '}
            <strong>{org.name}</strong>
            {org.city ? ` in ${org.city}` : ''}.
          </p>
          {org.phones.length || org.website ? (
            <ul class="plain">
              {org.phones.map((p) => (
                <li>
                  <a href={`tel:${p.dial}`}>Call {p.display}</a>
                  {p.description ? ` (${p.description})` : null}
                </li>
              ))}
              {org.website ? (
                <li>
                  <a href={org.website} rel="noreferrer">
                    Website
                  </a>
                </li>
              ) : null}
            </ul>
          ) : (
            <p>
              Their phone number is not listed here yet: {statewide.name} (numbers {where}) can connect you.
            </p>
          )}
        </>
      ) : result ? (
        <p>
          We have not confirmed the navigator for {result.county.name} County yet.{' '}
          <strong>Start with {statewide.name}</strong> (numbers {where}): they answer any time and can connect
          you.
          {region ? ` Likely region: ${region.name}${org ? `, with ${org.name}` : ''} (not confirmed).` : ''}
        </p>
      ) : (
        <p>
          You did not give a county, so we cannot name the regional navigator. {statewide.name} (numbers{' '}
          {where}) answers any time and can connect you, or{' '}
          <a href="/navigator">find the navigator for a place</a>.
        </p>
      )}
      {result ? (
        <p>
          <a href={`/navigator?county=${result.county.fips}`}>
            More about help in {result.county.name} County
          </a>
        </p>
      ) : null}
      {showStatewide ? <StatewideCard line={statewide} /> : null}
    </section>
  );
};

export const AnswerList: FC<{ answers: PlainAnswer[] }> = ({ answers }) => (
  <dl>
    {answers.map((a) => (
      <>
        <dt>{a.question}</dt>
        <dd>{a.answer}</dd>
      </>
    ))}
  </dl>
);
