/**
 * The parts of the `/identify` pages: the instrument's banner, one question as form controls, the step's
 * form with the other answers in hidden fields (the answer page's own parts are in answer-views.tsx),
 * all in the page's language.
 *
 * Every control has a label, radio and check boxes sit in a fieldset with a legend, and an error is tied
 * to its field (`aria-describedby`) and listed in a summary that links to it. No JavaScript is needed;
 * the print view adds one small script under the page's nonce for its "Print this page" button.
 */
import type { Child, FC } from 'hono/jsx';
import { useT, type Translator } from '../../platform/i18n/index.ts';
import { CallLink } from '../../web/public-layout.tsx';
import type { CountyInfo, Line } from '../help/index.ts';
import { ANSWER_FIELD, YES_NO_LABELS, YES_NO_UNKNOWN_LABELS, ZIP_FIELD, type AnswerValue } from './rules.ts';
import type { Group, Instrument, Item } from './schema.ts';
import { instrumentWords, type InstrumentWords } from './words.ts';

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
 * history entry of the same document (`history.pushState`, the address stays the questions' own, such as
 * /identify or /es/identify). Back shows the page kept in memory; nothing goes to the server, into the
 * address or into storage. When the document is loaded again (reload, or Back from another page), the
 * answers are gone: the page says so (`lostNotice`, in the page's language). Without JavaScript, or when
 * fetch fails, the forms post as usual. `action` is the questions' address in the page's language.
 */
export function identifyJs(action: string, lostNotice: string): string {
  // JSON is a JavaScript string literal; "<" is escaped so the text cannot close the script element.
  const js = (text: string) => JSON.stringify(text).replace(/</g, '\\u003c');
  return `(function(){
var d=document,m=d.getElementById('main'),A=${js(action)};
if(!m||!window.fetch||!window.DOMParser||!history.pushState||window.nwdIdf)return;window.nwdIdf=1;
var pages={},base=Date.now(),seq=0,busy=false,st=history.state;
function prep(n){var b=n.querySelector('#print-now');if(b){b.hidden=false;b.onclick=function(){window.print()}}}
function put(p,focus){var cur=d.getElementById('main');if(cur!==p.main)cur.replaceWith(p.main);d.title=p.title;
if(focus){window.scrollTo(0,0);var f=p.main.querySelector('.error[role=alert]')||p.main.querySelector('h1');if(f){if(!f.hasAttribute('tabindex'))f.setAttribute('tabindex','-1');f.focus()}}}
if(st&&st.nwdIdf&&st.nwdIdf!==base){var n=d.createElement('p');n.className='flag';n.textContent=${js(lostNotice)};var h=m.querySelector('h1');if(h)h.after(n)}
var first=base+'-0';pages[first]={main:m,title:d.title};history.replaceState({nwdIdf:base,p:first},'');prep(m);
addEventListener('popstate',function(e){var s=e.state,p=s&&s.nwdIdf===base&&pages[s.p];if(p)put(p,true)});
d.addEventListener('submit',function(e){var f=e.target;if(f.getAttribute('action')!==A||f.method!=='post')return;
e.preventDefault();if(busy)return;busy=true;var b=e.submitter,data=new FormData(f);if(b&&b.name)data.append(b.name,b.value);
fetch(A,{method:'POST',body:new URLSearchParams(data),cache:'no-store',credentials:'same-origin'}).then(function(r){return r.text().then(function(t){
var doc=new DOMParser().parseFromString(t,'text/html'),nm=doc.getElementById('main');if(!nm)throw new Error('page');
nm.querySelectorAll('script').forEach(function(x){x.remove()});nm=d.importNode(nm,true);
var id=base+'-'+(++seq),p={main:nm,title:doc.title};pages[id]=p;
if(r.ok)history.pushState({nwdIdf:base,p:id},'');else history.replaceState({nwdIdf:base,p:id},'');
put(p,true);prep(nm);busy=false})}).catch(function(){busy=false;
if(b&&b.name){var i=d.createElement('input');i.type='hidden';i.name=b.name;i.value=b.value;f.appendChild(i)}HTMLFormElement.prototype.submit.call(f)})
})})();`;
}

/** The questions' script for this page, under its nonce, in the page's language. */
export const IdentifyScript: FC<{ nonce: string }> = ({ nonce }) => {
  const t = useT();
  return (
    <script
      nonce={nonce}
      dangerouslySetInnerHTML={{ __html: identifyJs(t.path('/identify'), t.text('identify.script.lost')) }}
    />
  );
};

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
export const InstrumentBanner: FC<{ instrument: Instrument }> = ({ instrument }) => {
  const t = useT();
  const strong = (chunks: Child[]) => <strong>{chunks}</strong>;
  const name = instrumentWords(t, instrument).name();
  return (
    <div class="flag" role="note" aria-label={t.text('identify.banner.label')}>
      <p>
        {instrument.validated
          ? t('identify.banner.validated', { name, version: instrument.version, strong })
          : t('identify.banner.notValidated', { name, strong })}
      </p>
    </div>
  );
};

export const DangerNow: FC<{ emergency: Line }> = ({ emergency }) => {
  const t = useT();
  return (
    <div class="error" role="alert">
      <p>
        <strong>{t('identify.dangerNow')}</strong> <CallLink line={emergency} />
      </p>
    </div>
  );
};

/** The element an error summary links to: the first control of the question. */
export const fieldAnchor = (item: Item): string =>
  item.answer.type === 'number' || item.answer.type === 'county' ? `q-${item.id}` : `q-${item.id}-0`;

function describedBy(item: Item, error: string | undefined): string | undefined {
  const ids = [item.help ? `h-${item.id}` : null, error ? `e-${item.id}` : null].filter((x) => x !== null);
  return ids.length ? ids.join(' ') : undefined;
}

const ErrorText: FC<{ item: Item; error: string | undefined }> = ({ item, error }) => {
  const t = useT();
  return error ? (
    <p class="err" id={`e-${item.id}`}>
      <span class="vh">{t('identify.error.prefix')} </span>
      {error}
    </p>
  ) : null;
};

const Help: FC<{ item: Item; words: InstrumentWords }> = ({ item, words }) =>
  item.help ? (
    <p class="hint" id={`h-${item.id}`}>
      {words.help(item)}
    </p>
  ) : null;

const QuestionText: FC<{ item: Item; words: InstrumentWords }> = ({ item, words }) => {
  const t = useT();
  return (
    <>
      {words.question(item)}
      {item.required ? null : <> {t('identify.optional')}</>}
    </>
  );
};

/** The words of the fixed answers (Yes, No, Not sure) in the page's language. */
export function fixedChoiceLabel(t: Translator, value: string): string {
  return value === 'yes'
    ? t.text('identify.choice.yes')
    : value === 'no'
      ? t.text('identify.choice.no')
      : value === 'unknown'
        ? t.text('identify.choice.unknown')
        : value;
}

function choicesOf(
  t: Translator,
  words: InstrumentWords,
  item: Item,
): { value: string; label: Child; help?: Child }[] {
  const a = item.answer;
  if (a.type === 'yes_no_unknown')
    return Object.keys(YES_NO_UNKNOWN_LABELS).map((value) => ({ value, label: fixedChoiceLabel(t, value) }));
  if (a.type === 'boolean')
    return Object.keys(YES_NO_LABELS).map((value) => ({ value, label: fixedChoiceLabel(t, value) }));
  if (a.type === 'single_choice' || a.type === 'multi_choice')
    return a.options.map((o) => ({
      value: o.value,
      label: words.label(item, o),
      help: words.optionHelp(item, o),
    }));
  return [];
}

/** One question, with its current answer and error. */
export const Question: FC<{
  instrument: Instrument;
  item: Item;
  value: AnswerValue | undefined;
  error: string | undefined;
  counties: CountyInfo[];
  zip: string;
}> = ({ instrument, item, value, error, counties, zip }) => {
  const t = useT();
  const words = instrumentWords(t, instrument);
  const a = item.answer;
  const name = `${ANSWER_FIELD}${item.id}`;
  const invalid = error ? 'true' : undefined;
  if (a.type === 'number') {
    const unit = words.unit(item);
    return (
      <div class="q">
        <label for={`q-${item.id}`}>
          <QuestionText item={item} words={words} />
        </label>
        <Help item={item} words={words} />
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
        {unit ? ` ${unit}` : null}
      </div>
    );
  }
  if (a.type === 'county')
    return (
      <fieldset class="q" id={`f-${item.id}`} aria-describedby={describedBy(item, error)}>
        <legend>
          <QuestionText item={item} words={words} />
        </legend>
        <Help item={item} words={words} />
        <ErrorText item={item} error={error} />
        <label for={`q-${item.id}`}>{t('identify.county.label')}</label>
        <select id={`q-${item.id}`} name={name} aria-invalid={invalid}>
          <option value="">{t.text('identify.county.none')}</option>
          {counties.map((c) => (
            <option value={c.fips} selected={value === c.fips}>
              {c.name}
            </option>
          ))}
        </select>
        <label for={`q-${item.id}-zip`}>{t('identify.county.zip')}</label>
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
      <legend>
        <QuestionText item={item} words={words} />
      </legend>
      <Help item={item} words={words} />
      <ErrorText item={item} error={error} />
      {choicesOf(t, words, item).map((choice, n) => (
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
  const t = useT();
  const last = step === instrument.groups.length;
  return (
    <form method="post" action={t.path('/identify')} novalidate>
      <input type="hidden" name="instrument" value={formKey} />
      <input type="hidden" name="step" value={String(step)} />
      <Hidden fields={carried} />
      {group.items.map((item) => (
        <Question
          instrument={instrument}
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
          {last ? t('identify.seeWhatToDo') : t('identify.next')}
        </button>
        {step > 1 ? (
          <button type="submit" name="go" value="back" class="btn alt">
            {t('identify.back')}
          </button>
        ) : null}
      </p>
    </form>
  );
};
