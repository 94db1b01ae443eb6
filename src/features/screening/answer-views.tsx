/**
 * The parts of the `/identify` answer page: the classification, actions with absolute deadlines and
 * their legal basis, the contacts, the navigator, and the answers as given, all in the page's language
 * (the checklist's and the pathway's texts through the catalogue's `data.` entries).
 */
import type { Child, FC } from 'hono/jsx';
import { useT, type MessageKey, type Translator } from '../../platform/i18n/index.ts';
import { StatewideCard, type Line } from '../help/index.ts';
import {
  pathwayContactKey,
  pathwayTextKeys,
  type Classification,
  type Contact,
  type Indication,
  type PathwayAction,
  type PathwayAnswer,
  type Ruleset,
} from '../pathway/index.ts';
import type { AnswerValue } from './rules.ts';
import type { Instrument, Item } from './schema.ts';
import { fixedChoiceLabel } from './views.tsx';
import { instrumentWords, type InstrumentWords } from './words.ts';

const INDICATION: Record<Indication, MessageKey> = {
  indicated: 'identify.indication.indicated',
  possible: 'identify.indication.possible',
  not_indicated: 'identify.indication.notIndicated',
};

/** The classification in plain words. */
export const ClassificationList: FC<{ c: Classification; riskFactors: number; unknownAgeNote: Child }> = ({
  c,
  riskFactors,
  unknownAgeNote,
}) => {
  const t = useT();
  const strong = (chunks: Child[]) => <strong>{chunks}</strong>;
  return (
    <ul>
      <li>
        {t('identify.class.sexTrafficking', { strong, indication: t.text(INDICATION[c.sexTrafficking]) })}
        {c.sexTrafficking === 'not_indicated' ? null : <> {t('identify.class.sexTraffickingLaw')}</>}
      </li>
      <li>
        {t('identify.class.exploitation', {
          strong,
          indication: t.text(INDICATION[c.commercialSexualExploitation]),
        })}
      </li>
      <li>{t('identify.class.labor', { strong, indication: t.text(INDICATION[c.laborTrafficking]) })}</li>
      <li>{t('identify.class.riskFactors', { strong, count: riskFactors })}</li>
      <li>
        {t('identify.class.age', { strong })}{' '}
        {c.minor === true
          ? t('identify.age.minor')
          : c.minor === false
            ? t('identify.age.adult')
            : unknownAgeNote}
      </li>
    </ul>
  );
};

const BINDS: Record<string, MessageKey> = {
  reporter: 'identify.binds.reporter',
  child_protection: 'identify.binds.childProtection',
  official: 'identify.binds.official',
  anyone: 'identify.binds.anyone',
};

/** The pathway's words for the county's navigator (see `resolveContact`), to say them in the page's language. */
const NAVIGATOR_NAME = /^(.+) \((.+) regional navigator\)$/;
const NAVIGATOR_NOTE = /^Not confirmed yet: call (.+) first, who can connect you with the navigator\.$/;

/**
 * `skip`: a contact whose numbers the page already shows once (the statewide line), named only.
 * `ruleset`: the contacts of the pathway's own file have their names and notes in the catalogue.
 */
const ContactList: FC<{ contacts: Contact[]; skip?: string | undefined; own: ReadonlySet<string> }> = ({
  contacts,
  skip,
  own,
}) => {
  const t = useT();
  const nameText = (k: Contact): string => {
    if (own.has(k.id)) return t.dataText(pathwayContactKey(k.id, 'name'), k.name);
    const navigator = k.id === 'navigator' ? NAVIGATOR_NAME.exec(k.name) : null;
    return navigator
      ? t.text('identify.contact.navigatorName', { org: navigator[1]!, region: navigator[2]! })
      : k.name;
  };
  const name = (k: Contact): Child =>
    own.has(k.id) ? t.data(pathwayContactKey(k.id, 'name'), k.name) : nameText(k);
  // A note of the pathway's own contacts is where its facts come from, for the people who keep the
  // rules (`/rules`), not for this page: it says only that the contact is not yet confirmed.
  const noteOf = (k: Contact): string | undefined => (own.has(k.id) ? undefined : k.note);
  const note = (k: Contact, text: string): Child => {
    const navigator = k.id === 'navigator' ? NAVIGATOR_NOTE.exec(text) : null;
    if (navigator) return t('identify.contact.navigatorNote', { statewide: navigator[1]! });
    return t.locale === 'en' ? text : <span lang="en">{text}</span>;
  };
  return (
    <ul>
      {contacts.map((k) =>
        k.id === skip ? (
          <li>
            {t('identify.contact.numbersAtTop', {
              name: nameText(k),
              strong: (chunks: Child[]) => <strong>{chunks}</strong>,
            })}
          </li>
        ) : (
          <li>
            <strong>{name(k)}</strong>
            {k.phone ? (
              <>
                {': '}
                <a href={`tel:${k.phone.dial}`}>{t('identify.contact.call', { number: k.phone.display })}</a>
              </>
            ) : null}
            {k.text ? (
              <>
                {' · '}
                <a href={`sms:${k.text.dial}`}>{t('identify.contact.text', { number: k.text.display })}</a>
              </>
            ) : null}
            {k.url ? (
              <>
                {' · '}
                <a href={k.url.startsWith('/') ? t.path(k.url) : k.url} rel="noreferrer">
                  {t('identify.contact.website')}
                </a>
              </>
            ) : null}
            {noteOf(k) ? <span class="hint"> {note(k, noteOf(k)!)}</span> : null}
            {!k.verified && !noteOf(k) ? (
              <span class="hint"> {t('identify.contact.unconfirmed')}</span>
            ) : null}
          </li>
        ),
      )}
    </ul>
  );
};

export interface DueAction {
  action: PathwayAction;
  /** "Now", "By Tuesday, November 24 at 14:05 (within 24 hours)", or null, in the page's language. */
  due: Child;
  /** How to do it, where the action's own text does not say. */
  how?: Child;
}

export const ActionList: FC<{
  actions: DueAction[];
  ruleset: Ruleset;
  skipContact?: string;
  start?: number;
}> = ({ actions, ruleset, skipContact, start = 0 }) => {
  const t = useT();
  const keys = pathwayTextKeys(ruleset);
  const own = new Set(ruleset.contacts.map((k) => k.id));
  const text = (english: string) => {
    const key = keys.get(english);
    return key ? t.data(key, english) : <span lang="en">{english}</span>;
  };
  return (
    <ol class="acts">
      {actions.map(({ action, due, how }, i) => (
        <li class="card">
          <h3 id={`act-${start + i + 1}`}>{text(action.title)}</h3>
          <p class="due">
            {action.required ? t('identify.action.required') : t('identify.action.recommended')}
            {due ? <> · {due}</> : ''} · {BINDS[action.binds] ? t(BINDS[action.binds]!) : action.binds}
          </p>
          <p>{text(action.explanation)}</p>
          {how ? (
            <p>
              {t('identify.action.how', { strong: (c: Child[]) => <strong>{c}</strong> })} {how}
            </p>
          ) : null}
          {action.contacts?.length ? (
            <ContactList contacts={action.contacts} skip={skipContact} own={own} />
          ) : null}
          <p class="src">
            {t('identify.action.basis')}{' '}
            {action.basis.map((b, n) => (
              <>
                {n > 0 ? '; ' : ''}
                {text(b.citation)}
              </>
            ))}
          </p>
        </li>
      ))}
    </ol>
  );
};

/**
 * The county's regional navigator, in a few lines. The statewide line's numbers are shown once on the
 * page (in its help box; in the print view, here), so this names it without repeating them.
 */
export const NavigatorSection: FC<{ answer: PathwayAnswer; statewide: Line; showStatewide: boolean }> = ({
  answer,
  statewide,
  showStatewide,
}) => {
  const t = useT();
  const result = answer.navigator?.results[0];
  const org = result?.navigator ?? null;
  const region = result?.region ?? null;
  const where = showStatewide ? 'below' : 'top';
  const strong = (chunks: Child[]) => <strong>{chunks}</strong>;
  return (
    <section aria-labelledby="nav-h">
      <h2 id="nav-h">{t('identify.nav.title')}</h2>
      {result && result.confirmed && org && region ? (
        <>
          <p>
            {org.city
              ? t('identify.nav.confirmedCity', {
                  county: result.county.name,
                  region: region.name,
                  org: org.name,
                  city: org.city,
                  strong,
                })
              : t('identify.nav.confirmed', {
                  county: result.county.name,
                  region: region.name,
                  org: org.name,
                  strong,
                })}
          </p>
          {org.phones.length || org.website ? (
            <ul class="plain">
              {org.phones.map((p) => (
                <li>
                  <a href={`tel:${p.dial}`}>{t('identify.contact.call', { number: p.display })}</a>
                  {p.description ? ` (${p.description})` : null}
                </li>
              ))}
              {org.website ? (
                <li>
                  <a href={org.website} rel="noreferrer">
                    {t('identify.contact.website')}
                  </a>
                </li>
              ) : null}
            </ul>
          ) : (
            <p>{t('identify.nav.noPhone', { statewide: statewide.name, where })}</p>
          )}
        </>
      ) : result ? (
        <p>
          {t('identify.nav.unconfirmed', {
            county: result.county.name,
            statewide: statewide.name,
            where,
            strong,
          })}
          {region ? (
            <>
              {' '}
              {org
                ? t('identify.nav.likelyWith', { region: region.name, org: org.name })
                : t('identify.nav.likely', { region: region.name })}
            </>
          ) : null}
        </p>
      ) : (
        <p>
          {t('identify.nav.noCounty', {
            statewide: statewide.name,
            where,
            link: (chunks: Child[]) => <a href={t.path('/navigator')}>{chunks}</a>,
          })}
        </p>
      )}
      {result ? (
        <p>
          <a href={`${t.path('/navigator')}?county=${result.county.fips}`}>
            {t('identify.nav.more', { county: result.county.name })}
          </a>
        </p>
      ) : null}
      {showStatewide ? <StatewideCard line={statewide} /> : null}
    </section>
  );
};

/** An answer in the words the page showed, in the page's language. */
export function answerWords(
  t: Translator,
  words: InstrumentWords,
  item: Item,
  value: AnswerValue,
  countyName: (fips: string) => string | undefined,
): string {
  const a = item.answer;
  switch (a.type) {
    case 'yes_no_unknown':
    case 'boolean':
      return fixedChoiceLabel(t, String(value));
    case 'single_choice':
    case 'multi_choice': {
      const values = Array.isArray(value) ? value : [String(value)];
      return a.options
        .filter((o) => values.includes(o.value))
        .map((o) => words.labelText(item, o))
        .join('; ');
    }
    case 'number': {
      const unit = words.unit(item);
      return `${value}${unit ? ` ${unit}` : ''}`;
    }
    case 'county': {
      const name = countyName(String(value));
      return name ? t.text('identify.answer.county', { county: name }) : String(value);
    }
  }
}

/** Every answer given, question and answer as the page showed them. */
export const AnswerList: FC<{
  instrument: Instrument;
  answers: Map<string, AnswerValue>;
  countyName: (fips: string) => string | undefined;
}> = ({ instrument, answers, countyName }) => {
  const t = useT();
  const words = instrumentWords(t, instrument);
  return (
    <dl>
      {instrument.groups.flatMap((g) =>
        g.items.flatMap((item) => {
          const value = answers.get(item.id);
          return value === undefined
            ? []
            : [
                <>
                  <dt>{words.question(item)}</dt>
                  <dd>{answerWords(t, words, item, value, countyName)}</dd>
                </>,
              ];
        }),
      )}
    </dl>
  );
};
