/**
 * Body content of the public `/learn/<slug>` pages.
 *
 * The layout renders the page title as the only `<h1>`, the header, the quick-exit button and the
 * lines-to-call box (`#lines`); these components render only what goes under the title. Every fact
 * comes from the public sources in `shared/seeds` (summarised in DOMAIN.md) and each page names its
 * sources in plain words. Keep each body small: the whole page must fit in 14 KB gzipped.
 *
 * Every paragraph, heading and list item is a message of the catalogue (`learn.*`), one key each, in
 * English, Spanish, Somali and Hmong; links inside a message are tags (`<navigator>…</navigator>`)
 * rendered by `LINKS` in the page's language.
 *
 * Language rules: "young people", "youth", "victim", "survivor", "someone who hurts you", "buyer".
 * Never the stigmatising words listed in DOMAIN.md §2, in any language (the tests check this).
 */
import type { Child, FC } from 'hono/jsx';
import { useT, type MessageKey, type MessageValues, type Translator } from '../../platform/i18n/index.ts';

/** One block of a page's body: a heading, a paragraph, or a list whose items are messages. */
export type Block = { h: MessageKey } | { p: MessageKey } | { ul: MessageKey[] } | { ol: MessageKey[] };

export interface LearnPage {
  slug: string;
  /** Message keys of the page's title and its one-line summary. */
  title: MessageKey;
  summary: MessageKey;
  audience: 'youth' | 'friend' | 'professional' | 'everyone';
  blocks: Block[];
  Body: FC;
}

/** The tags the learn messages use: emphasis, the site's pages (in the page's language), and the lines. */
export function learnTags(t: Translator): MessageValues {
  const link = (href: string) => (chunks: Child[]) => <a href={href}>{chunks}</a>;
  return {
    strong: (chunks: Child[]) => <strong>{chunks}</strong>,
    navigator: link(t.path('/navigator')),
    services: link(t.path('/services')),
    contact: link(t.path('/help/contact-me')),
    identify: link(t.path('/identify')),
    rules: link(t.path('/rules')),
    privacy: link(t.path('/privacy')),
    rights: link(t.path('/learn/your-rights')),
    friend: link(t.path('/learn/help-a-friend')),
    pro: link(t.path('/learn/for-professionals')),
    online: link(t.path('/learn/staying-safe-online')),
    // Day One, the statewide line (DOMAIN.md §6), and 911: the same in every language.
    call: link('tel:+18662231111'),
    text: link('sms:+16123999995'),
    emergency: link('tel:911'),
  };
}

/** Renders a list of blocks with the page's translator. */
export const Blocks: FC<{ blocks: Block[]; values?: MessageValues }> = ({ blocks, values }) => {
  const t = useT();
  const tags = { ...learnTags(t), ...values };
  return (
    <>
      {blocks.map((b) => {
        if ('h' in b) return <h2>{t(b.h, tags)}</h2>;
        if ('p' in b) return <p>{t(b.p, tags)}</p>;
        if ('ul' in b)
          return (
            <ul>
              {b.ul.map((k) => (
                <li>{t(k, tags)}</li>
              ))}
            </ul>
          );
        return (
          <ol>
            {b.ol.map((k) => (
              <li>{t(k, tags)}</li>
            ))}
          </ol>
        );
      })}
    </>
  );
};

/**
 * The Flesch–Kincaid grade the professionals' page states for its English text (measured by
 * test/reading-level.ts; the reading-level test checks that the two agree).
 */
export const PROFESSIONALS_GRADE = 7;

const WHAT_IS_EXPLOITATION: Block[] = [
  { p: 'learn.what.intro' },
  { h: 'learn.what.h.what' },
  { p: 'learn.what.definition' },
  {
    ul: [
      'learn.what.value.money',
      'learn.what.value.food',
      'learn.what.value.rides',
      'learn.what.value.status',
    ],
  },
  { p: 'learn.what.notOnlySex' },
  { h: 'learn.what.h.trafficking' },
  { p: 'learn.what.trafficking' },
  { p: 'learn.what.noForce' },
  { h: 'learn.what.h.who' },
  { p: 'learn.what.who' },
  { h: 'learn.what.h.fault' },
  { p: 'learn.what.fault' },
  { h: 'learn.what.h.help' },
  { ul: ['learn.what.callDayOne', 'learn.what.navigator', 'learn.what.danger'] },
  { p: 'learn.what.sources' },
];

const YOUR_RIGHTS: Block[] = [
  { p: 'learn.rights.intro' },
  { h: 'learn.rights.h.notCriminal' },
  { ul: ['learn.rights.victim', 'learn.rights.notCharged', 'learn.rights.buyers'] },
  { h: 'learn.rights.h.help' },
  { p: 'learn.rights.help' },
  { h: 'learn.rights.h.privacy' },
  { p: 'learn.rights.privacy' },
  { h: 'learn.rights.h.reach' },
  { ul: ['learn.rights.dayOne', 'learn.rights.navigator', 'learn.rights.contact', 'learn.rights.askFirst'] },
  { h: 'learn.rights.h.report' },
  { p: 'learn.rights.report' },
  { p: 'learn.rights.notTrouble' },
  { p: 'learn.rights.sources' },
];

const SIGNS: Block[] = [
  { p: 'learn.signs.intro' },
  { h: 'learn.signs.h.risk' },
  { p: 'learn.signs.risk' },
  {
    ul: [
      'learn.signs.risk.home',
      'learn.signs.risk.school',
      'learn.signs.risk.abuse',
      'learn.signs.risk.health',
      'learn.signs.risk.family',
      'learn.signs.risk.money',
      'learn.signs.risk.others',
      'learn.signs.risk.identity',
      'learn.signs.risk.gang',
    ],
  },
  { p: 'learn.signs.young' },
  { h: 'learn.signs.h.notice' },
  {
    ul: [
      'learn.signs.notice.gifts',
      'learn.signs.notice.trades',
      'learn.signs.notice.control',
      'learn.signs.notice.club',
      'learn.signs.notice.school',
    ],
  },
  { h: 'learn.signs.h.start' },
  { p: 'learn.signs.start' },
  { h: 'learn.signs.h.act' },
  { ul: ['learn.signs.act.listen', 'learn.signs.act.call', 'learn.signs.act.work'] },
  { p: 'learn.signs.sources' },
];

const HELP_A_FRIEND: Block[] = [
  { p: 'learn.friend.intro' },
  { h: 'learn.friend.h.listen' },
  { ul: ['learn.friend.listen.time', 'learn.friend.listen.believe', 'learn.friend.listen.details'] },
  { h: 'learn.friend.h.confront' },
  { p: 'learn.friend.confront' },
  { h: 'learn.friend.h.secrets' },
  { p: 'learn.friend.secrets' },
  { p: 'learn.friend.danger' },
  { h: 'learn.friend.h.reach' },
  {
    ul: [
      'learn.friend.reach.call',
      'learn.friend.reach.navigator',
      'learn.friend.reach.victim',
      'learn.friend.reach.choices',
    ],
  },
  { h: 'learn.friend.h.self' },
  { p: 'learn.friend.self' },
  { p: 'learn.friend.sources' },
];

const FOR_PROFESSIONALS: Block[] = [
  { p: 'learn.pro.intro' },
  { p: 'learn.pro.level' },
  { h: 'learn.pro.h.who' },
  { p: 'learn.pro.who' },
  { p: 'learn.pro.trafficking' },
  { h: 'learn.pro.h.how' },
  { ol: ['learn.pro.how.now', 'learn.pro.how.written'] },
  { p: 'learn.pro.anyone' },
  { h: 'learn.pro.h.next' },
  { p: 'learn.pro.next' },
  { h: 'learn.pro.h.applies' },
  { p: 'learn.pro.applies' },
  { h: 'learn.pro.h.connect' },
  { ul: ['learn.pro.connect.navigator', 'learn.pro.connect.services'] },
  { h: 'learn.pro.h.abroad' },
  { p: 'learn.pro.abroad' },
  { p: 'learn.pro.sources' },
];

const STAYING_SAFE_ONLINE: Block[] = [
  { p: 'learn.online.intro' },
  { h: 'learn.online.h.exit' },
  { p: 'learn.online.exit' },
  { h: 'learn.online.h.private' },
  { p: 'learn.online.private' },
  { h: 'learn.online.h.history' },
  { p: 'learn.online.history' },
  { h: 'learn.online.h.phone' },
  {
    ul: [
      'learn.online.phone.list',
      'learn.online.phone.delete',
      'learn.online.phone.other',
      'learn.online.phone.location',
    ],
  },
  { h: 'learn.online.h.networks' },
  { p: 'learn.online.networks' },
  { p: 'learn.online.privacy' },
  { p: 'learn.online.sources' },
];

function page(p: Omit<LearnPage, 'Body'>, values?: MessageValues): LearnPage {
  const Body: FC = () => <Blocks blocks={p.blocks} values={values} />;
  return { ...p, Body };
}

export const LEARN_PAGES: LearnPage[] = [
  page({
    slug: 'what-is-exploitation',
    title: 'learn.what.title',
    summary: 'learn.what.summary',
    audience: 'youth',
    blocks: WHAT_IS_EXPLOITATION,
  }),
  page({
    slug: 'your-rights',
    title: 'learn.rights.title',
    summary: 'learn.rights.summary',
    audience: 'youth',
    blocks: YOUR_RIGHTS,
  }),
  page({
    slug: 'signs',
    title: 'learn.signs.title',
    summary: 'learn.signs.summary',
    audience: 'everyone',
    blocks: SIGNS,
  }),
  page({
    slug: 'help-a-friend',
    title: 'learn.friend.title',
    summary: 'learn.friend.summary',
    audience: 'friend',
    blocks: HELP_A_FRIEND,
  }),
  page(
    {
      slug: 'for-professionals',
      title: 'learn.pro.title',
      summary: 'learn.pro.summary',
      audience: 'professional',
      blocks: FOR_PROFESSIONALS,
    },
    { grade: PROFESSIONALS_GRADE },
  ),
  page({
    slug: 'staying-safe-online',
    title: 'learn.online.title',
    summary: 'learn.online.summary',
    audience: 'everyone',
    blocks: STAYING_SAFE_ONLINE,
  }),
];
